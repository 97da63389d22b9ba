"""Small builders for test data: valid pegawai with NIPs that agree with their birth date and
gender, in a unit tree of our choosing."""

import itertools
from datetime import date

from pegawai.models import Golongan, Jabatan, Pegawai, UnitKerja, User

_sequence = itertools.count(1)


def unit(kode: str, nama: str | None = None, parent: UnitKerja | None = None) -> UnitKerja:
    fields = {"kode": kode, "nama": nama or kode, "jenis": "opd" if parent is None else "bidang"}
    if parent is None:
        return UnitKerja.objects.add_root(create_kwargs=fields)
    created = UnitKerja.objects.add_child(parent, create_kwargs=fields)
    parent.refresh_from_db()
    return created


def jabatan(
    nama: str = "Pengadministrasi Perkantoran", jenis: str = "pelaksana", jenjang: str = ""
) -> Jabatan:
    return Jabatan.objects.get_or_create(nama=nama, defaults={"jenis": jenis, "jenjang": jenjang})[
        0
    ]


def nip_for(born: date, tmt: date, gender: str, sequence: int) -> str:
    return f"{born:%Y%m%d}{tmt:%Y%m}{'1' if gender == 'L' else '2'}{sequence:03d}"


def pegawai(
    unit: UnitKerja,
    *,
    nama: str | None = None,
    atasan: Pegawai | None = None,
    user: User | None = None,
    gender: str = "L",
    status: str = "pns",
    save: bool = True,
    **extra,
) -> Pegawai:
    number = next(_sequence)
    born = date(1970 + number % 20, 1 + number % 12, 1 + number % 28)
    tmt = date(2010, 1, 1)
    nip = nip_for(born, tmt, gender, number % 999 + 1)
    kode = 109 if status == "pppk" else 32
    values = {
        "nip": nip,
        "nama": nama or f"Pegawai {number}",
        "status_kepegawaian": status,
        "jenis_kelamin": gender,
        "tempat_lahir": "Jambi",
        "tanggal_lahir": born,
        "tmt_cpns": None if status == "pppk" else tmt,
        "tmt_pns": date(2011, 1, 1) if status == "pns" else None,
        "golongan": Golongan.objects.get(kode=kode),
        "tmt_golongan": date(2019, 4, 1),
        "jabatan": jabatan(),
        "tmt_jabatan": date(2020, 1, 1),
        "unit": unit,
        "atasan": atasan,
        "pendidikan_terakhir": "s1",
        "user": user,
    } | extra
    obj = Pegawai(**values)
    if save:
        obj.full_clean()
        obj.save()
    return obj


def user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password="rahasia-123", **extra)


def pelatihan(nama: str = "Sistem Informasi Kesehatan", jp: int = 24, **extra):
    """A training organised by the cast's Dinas Kesehatan when there is one (its pengelola run
    the batches); pass unit_penyelenggara=None for a training of the province."""
    from pelatihan.models import Pelatihan

    values = {
        "unit_penyelenggara": UnitKerja.objects.filter(kode="DINKES").first(),
        "nama": nama,
        "jenis": 3,
        "bidang": "Kesehatan",
        "jp": jp,
        "penyelenggara_jenis": "internal",
        "penyelenggara": "BPSDM Provinsi Jambi",
    }
    return Pelatihan.objects.create(**values | extra)


def angkatan(
    pelatihan=None,
    *,
    kuota: int = 2,
    mulai: date = date(2026, 3, 2),
    selesai: date = date(2026, 3, 6),
    status: str = "pendaftaran",
    sesi: int = 5,
    **extra,
):
    from datetime import timedelta

    from pelatihan.models import Angkatan, Sesi

    batch = Angkatan.objects.create(
        pelatihan=pelatihan or globals()["pelatihan"](),
        nama="Angkatan I",
        tanggal_mulai=mulai,
        tanggal_selesai=selesai,
        kuota=kuota,
        status=status,
        **extra,
    )
    Sesi.objects.bulk_create(
        Sesi(angkatan=batch, tanggal=mulai + timedelta(days=i), topik=f"Hari {i + 1}")
        for i in range(sesi)
    )
    return batch


def catatan_jp(pegawai: Pegawai, jp: int, *, year: int):
    """A verified external activity of `jp` hours in the pegawai's JP ledger of `year` (no
    default: a fixed year would read as this year until the calendar turns)."""
    from pelatihan.models import CatatanJP, KegiatanEksternal

    kegiatan = KegiatanEksternal.objects.create(
        pegawai=pegawai,
        nama="K",
        jenis=11,
        penyelenggara="P",
        jp=jp,
        tanggal_mulai=date(year, 1, 5),
        tanggal_selesai=date(year, 1, 5),
        file="k.pdf",
    )
    return CatatanJP.objects.create(
        pegawai=pegawai, kegiatan=kegiatan, tahun=year, tanggal=date(year, 1, 5), jp=jp, uraian="K"
    )


def periode(cast, *, nama: str = "T1", rate: tuple[str, str] | None = None):
    """A quarterly period for Dinas Kesehatan opened by its pengelola; with `rate`, the cast's
    pegawai rated by their atasan (hasil kerja, perilaku kerja)."""
    from evaluasi import services
    from evaluasi.models import PeriodePenilaian

    opened = services.periode_open(
        periode=PeriodePenilaian(
            nama=nama,
            jenis="triwulan",
            tanggal_mulai=date(2026, 1, 1),
            tanggal_selesai=date(2026, 3, 31),
        ),
        units=[cast.dinkes],
        by=cast.pengelola,
    )
    if rate:
        services.penilaian_save(
            periode=opened,
            pegawai=cast.pegawai_pegawai,
            penilai=cast.atasan_pegawai,
            hasil_kerja=rate[0],
            perilaku_kerja=rate[1],
        )
    return opened


def tonggak(c):
    """A milestone of the cast pegawai's running change project, mentored by the cast's mentor."""
    from evaluasi import services
    from evaluasi.models import AksiPerubahan, TonggakAksi

    aksi = services.aksi_register(
        aksi=AksiPerubahan(
            judul="Antrean daring", masalah="Antre dua jam", layanan="Pendaftaran",
            inovasi="WhatsApp", manfaat="Cepat", mentor=c.mentor_pegawai,
            tanggal_mulai=date(2026, 1, 15),
        ),
        by=c.pegawai,
    )  # fmt: skip
    milestone = services.tonggak_add(
        aksi=aksi,
        tonggak=TonggakAksi(tahap="pendek", uraian="Uji coba loket", jatuh_tempo=date(2026, 2, 1)),
        by=c.pegawai,
    )
    services.aksi_transition(aksi=aksi, action="mulai", by=c.pegawai)
    return milestone


def tonggak_lapor(milestone, c) -> None:
    """The pegawai reports the milestone done, with one piece of evidence."""
    from evaluasi import services
    from evaluasi.models import BuktiTonggak

    bukti = [BuktiTonggak(keterangan="Foto", tautan="https://contoh.jambiprov.go.id/f")]
    services.tonggak_report(tonggak=milestone, by=c.pegawai, catatan="Selesai.", bukti=bukti)
