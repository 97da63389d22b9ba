"""Every state-changing URL of the project, POSTed by every role of the cast, on its own object
and on somebody else's: the status each must answer, and that a refused request changed nothing
in the database or among the uploaded files. A URL name in neither MATRIX nor GET_ONLY fails the
suite, so a new view must say who may change what through it; a GET_ONLY view POSTed by the
managers must not write either.

Expectations: OK (allowed: a 2xx/3xx that is not the login page, and the database changed),
NOOP (answered 2xx/3xx and nothing changed: a form refusing the input, a step already taken),
LOGIN (anonymous: sent to log in, nothing changed), or a refusal status (403, 404, 405) with
nothing changed. Each POST runs in a savepoint rolled back afterwards, so every role meets the
same world and one world serves a whole row."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from evaluasi import services as evaluasi_services
from evaluasi.models import (
    AksiPerubahan,
    BerkasLaporan,
    BuktiTonggak,
    LaporanKeberlanjutan,
    LaporanPascaPelatihan,
    PeriodePenilaian,
    PutaranIklim,
    TonggakAksi,
)
from evaluasi.referensi import PERNYATAAN_IKLIM
from masyarakat import services as masyarakat_services
from masyarakat import surel
from masyarakat.impor import CONTOH, KOLOM
from masyarakat.models import ForumDialog, Masukan, PendaftaranForum, UnitLayanan
from masyarakat.referensi import KEYS
from pegawai import dua_faktor
from pegawai import services as pegawai_services
from pegawai.forms import PegawaiForm
from pegawai.models import (
    CatatanDisiplin,
    HariLibur,
    ImporPegawai,
    Notifikasi,
    Pegawai,
    RekonsiliasiSiasn,
    RiwayatGolongan,
    SelisihSiasn,
    User,
)
from pelatihan import services as pelatihan_services
from pelatihan.forms import AngkatanForm, PelatihanForm, TargetKompetensiFormSet
from pelatihan.models import (
    AturanKonversiJP,
    KegiatanEksternal,
    KerjaSama,
    Kompetensi,
    PelatihanKompetensi,
    PendaftaranBeasiswa,
    PerguruanTinggi,
    Peserta,
    ProgramBeasiswa,
    RencanaPengembangan,
)
from pembinaan import services as pembinaan_services
from pembinaan.models import (
    AnggotaKomiteTalenta,
    JabatanKritikal,
    KandidatSuksesi,
    LaporanMonitoring,
    PenempatanTalenta,
)
from tests import factories
from tests.files import image_bytes, pdf_bytes
from tests.pembinaan.test_access_matrix import url_names
from tests.snapshot import changed, snapshot

ROLES = ["anonymous", "pegawai", "rekan", "atasan", "outsider", "mentor", "pengelola_pegawai",
         "pengelola", "pengelola_lain", "provinsi", "admin"]  # fmt: skip
OK, NOOP, LOGIN = "ok", "noop", "login"
PEGAWAI_ROLES = ["pegawai", "rekan", "atasan", "outsider", "mentor"]
# Users with no pegawai record: the views for a pegawai's own things refuse them.
WITHOUT_PROFILE = ["pengelola", "pengelola_lain", "provinsi", "admin"]


def expect(default, **given) -> dict:
    """Every role `default`, anonymous sent to log in, unless given."""
    return dict.fromkeys(ROLES, default) | {"anonymous": LOGIN} | given


def everyone(value) -> dict:
    return dict.fromkeys(ROLES, value)


# Who finds a record about the cast's pegawai (yankes, reports to atasan) at all: themself,
# their atasan, the HR of Dinas Kesehatan and administrators. The rest get 404.
UNSEEN = dict.fromkeys(["rekan", "outsider", "mentor", "pengelola_lain", "provinsi"], 404)
ORGANISERS = expect(403, pengelola=OK, pengelola_pegawai=OK, admin=OK)
PROVINCE = expect(403, provinsi=OK, admin=OK)
ADMIN_ONLY = expect(403, admin=OK)
ANY_MANAGER = expect(403, pengelola=OK, pengelola_pegawai=OK, pengelola_lain=OK, provinsi=OK,
                     admin=OK)  # fmt: skip
PEGAWAI_THEMSELVES = expect(403, **dict.fromkeys(PEGAWAI_ROLES + ["pengelola_pegawai"], OK))
ABOUT_PEGAWAI = expect(403, **UNSEEN)  # visible to pegawai, atasan, Dinkes HR, admin: 403
# A period of Dinas Kesehatan, or a file of its subjects: whoever may not see it finds no such
# row (404), as with a wrong id; a pegawai's login is refused the HR page whatever the id (403).
PERIODE_DINKES = expect(404, pengelola=OK, pengelola_pegawai=OK, provinsi=OK, admin=OK)
BERKAS_DINKES = expect(403, pengelola=OK, pengelola_pegawai=OK, admin=OK, pengelola_lain=404,
                       provinsi=404)  # fmt: skip


@dataclass
class Row:
    url: str
    args: Callable = lambda w: []
    data: Callable = lambda w, user: {}
    expected: dict = field(default_factory=dict)
    before: Callable | None = None  # (client, world) after logging in, before the snapshot


# --- The world: one of each thing a POST can change ----------------------------------------


def invite(pegawai: Pegawai) -> None:
    """A login made and mailed, its password not set yet."""
    pegawai = Pegawai.objects.get(pk=pegawai.pk)
    pegawai_services.pegawai_akun_create(pegawai=pegawai, base_url="http://sibina.test/")


def _pegawai_with_login(unit, username, **extra) -> Pegawai:
    return factories.pegawai(unit, user=factories.user(username), **extra)


@pytest.fixture
def world(cast_lengkap, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = cast_lengkap
    today = timezone.localdate()
    w = SimpleNamespace(cast=c, today=today)
    w.pegawai, w.rekan, w.pp = c.pegawai_pegawai, c.rekan_pegawai, c.pengelola_pegawai_pegawai

    # Pegawai records and logins.
    w.calon = factories.pegawai(c.yankes, nama="Calon Peserta", atasan=c.atasan_pegawai)
    Pegawai.objects.filter(pk=w.calon.pk).update(
        email="calon@jambiprov.go.id", email_diubah_oleh=c.pengelola
    )
    kepala = User.objects.create_superuser("kepala", password="rahasia-123")
    w.super_pegawai = factories.pegawai(c.yankes, nama="Kepala Dinas", user=kepala)
    w.nonaktif = _pegawai_with_login(c.yankes, "pensiun", atasan=c.atasan_pegawai)
    w.nonaktif_admin = _pegawai_with_login(c.yankes, "diblokir")
    for p, by_admin in [(w.nonaktif, False), (w.nonaktif_admin, True)]:
        Pegawai.objects.filter(pk=p.pk).update(
            aktif=False, alasan_nonaktif="pensiun", tanggal_nonaktif=date(2026, 6, 30)
        )
        User.objects.filter(pk=p.user_id).update(is_active=False, dinonaktifkan_admin=by_admin)
    w.impor = ImporPegawai.objects.create(
        nama_berkas="a.csv",
        diunggah_oleh=c.pengelola,
        status=ImporPegawai.Status.SIAP,
        jumlah_baru=1,
    )
    w.notifikasi = Notifikasi.objects.create(
        penerima=c.pegawai, kunci="uji", judul="Uji", url=reverse("tugas")
    )
    w.kalender = pembinaan_services.kalender_pribadi_buat(user=c.pegawai)
    w.rekonsiliasi = RekonsiliasiSiasn.objects.create(
        unit=c.dinkes, nama_berkas="siasn.csv", diunggah_oleh=c.pengelola
    )
    w.selisih = SelisihSiasn.objects.create(
        rekonsiliasi=w.rekonsiliasi, jenis="jabatan", nip=w.pegawai.nip, pegawai=w.pegawai,
        nilai_sibina="A", nilai_siasn="B",
    )  # fmt: skip

    # Somebody in Dinas Kesehatan itself, whom its HR officer may name as a mentor.
    factories.pegawai(c.dinkes, nama="Staf Sekretariat")

    # Trainings of Dinas Kesehatan: open, running, finished.
    w.pelatihan = factories.pelatihan(wajib_aksi_perubahan=True)
    w.terbuka = factories.angkatan(
        w.pelatihan, kuota=10, mulai=date(2027, 2, 1), selesai=date(2027, 2, 5)
    )
    w.terbuka2 = factories.angkatan(
        w.pelatihan, kuota=10, mulai=date(2027, 3, 1), selesai=date(2027, 3, 5)
    )
    w.berjalan = factories.angkatan(w.pelatihan, kuota=10, status="berjalan")
    w.selesai = factories.angkatan(
        w.pelatihan, kuota=10, mulai=date(2026, 5, 4), selesai=date(2026, 5, 8), status="berjalan"
    )
    T = Peserta.Status
    new = Peserta.objects.create
    w.p_rekan_diajukan = new(angkatan=w.terbuka, pegawai=w.rekan, status=T.DIAJUKAN)
    w.p_calon_disetujui = new(angkatan=w.terbuka, pegawai=w.calon, status=T.DISETUJUI_ATASAN)
    w.p_pp_disetujui = new(angkatan=w.terbuka, pegawai=w.pp, status=T.DISETUJUI_ATASAN)
    w.p_pegawai_terbuka = new(angkatan=w.terbuka, pegawai=w.pegawai, status=T.TERDAFTAR)
    w.p_pegawai_berjalan = new(angkatan=w.berjalan, pegawai=w.pegawai, status=T.TERDAFTAR)
    w.p_pp_berjalan = new(angkatan=w.berjalan, pegawai=w.pp, status=T.TERDAFTAR)
    w.p_pegawai_selesai = new(angkatan=w.selesai, pegawai=w.pegawai, status=T.TERDAFTAR)
    w.p_rekan_selesai = new(angkatan=w.selesai, pegawai=w.rekan, status=T.TERDAFTAR)
    passed = [w.p_pegawai_selesai, w.p_rekan_selesai]
    for sesi in w.selesai.sesi.all():
        pelatihan_services.kehadiran_record(sesi=sesi, hadir={p.pk for p in passed})
    for p in passed:
        p.nilai_post = 85
        p.save()
        pelatihan_services.peserta_decide(peserta=p, lulus=True)
    w.selesai.status = "selesai"
    w.selesai.save()
    evaluasi_services.laporan_sync(pegawai=w.pegawai)
    evaluasi_services.laporan_sync(pegawai=w.rekan)
    w.laporan = LaporanPascaPelatihan.objects.get(pegawai=w.pegawai)
    w.laporan_rekan = LaporanPascaPelatihan.objects.get(pegawai=w.rekan)
    LaporanPascaPelatihan.objects.filter(pk=w.laporan_rekan.pk).update(
        status=LaporanPascaPelatihan.Status.DIAJUKAN, perubahan="Antrean lebih singkat"
    )

    # External activities, competencies, scholarships.
    def kegiatan(pegawai):
        return KegiatanEksternal.objects.create(
            pegawai=pegawai, nama="Seminar", jenis=11, penyelenggara="Unja", jp=6,
            tanggal_mulai=date(2026, 1, 5), tanggal_selesai=date(2026, 1, 5), file="k.pdf",
        )  # fmt: skip

    w.kegiatan, w.kegiatan_pp = kegiatan(w.pegawai), kegiatan(w.pp)
    w.coaching = KegiatanEksternal.objects.create(
        pegawai=w.pegawai, nama="Coaching SKP", jenis=14, penyelenggara="Yankes", jumlah=3, jp=6,
        tanggal_mulai=date(2026, 2, 2), tanggal_selesai=date(2026, 2, 27), file="c.pdf",
    )  # fmt: skip
    w.aturan = AturanKonversiJP.objects.get(jenis=14)
    w.kompetensi = Kompetensi.objects.order_by("pk").first()
    pt = PerguruanTinggi.objects.create(nama="Unja", kota="Jambi")

    def program(nama, mulai, selesai):
        return ProgramBeasiswa.objects.create(
            nama=nama, perguruan_tinggi=pt, jenjang="s2", program_studi="MM",
            jenis="tugas_belajar", kuota=3, pendaftaran_mulai=mulai, pendaftaran_selesai=selesai,
            lama_studi_bulan=24, usia_maks=60,
        )  # fmt: skip

    w.program = program("S2 2026", date(2026, 1, 1), date(2026, 1, 31))
    w.program_buka = program("S2 2027", today - timedelta(days=5), today + timedelta(days=5))

    def pendaftaran(pegawai):
        return PendaftaranBeasiswa.objects.create(
            program=w.program, pegawai=pegawai, status="memenuhi_syarat",
            predikat_tahun_lalu="baik", predikat_dua_tahun_lalu="baik",
            tanpa_hukuman_disiplin=True, dokumen="b.pdf",
        )  # fmt: skip

    w.pendaftaran, w.pendaftaran_pp = pendaftaran(w.pegawai), pendaftaran(w.pp)
    w.studi = pelatihan_services.beasiswa_accept(
        pendaftaran=pendaftaran(w.rekan), tanggal_mulai=date(2026, 2, 1)
    )
    (tmp_path / "b.pdf").write_bytes(pdf_bytes())
    (tmp_path / "k.pdf").write_bytes(pdf_bytes())

    # Evaluation: periods of Dinas Kesehatan (open, closed) and one across two OPDs.
    w.periode = factories.periode(c, nama="T1", rate=("sesuai", "sesuai"))
    w.penilaian = w.periode.penilaian.get(pegawai=w.pegawai)
    w.periode_unit = w.periode.periode_units.get()
    w.periode_tutup = factories.periode(c, nama="T2")
    evaluasi_services.periode_close(periode=w.periode_tutup)
    w.periode_lintas = evaluasi_services.periode_open(
        periode=PeriodePenilaian(
            nama="Tahunan", jenis="tahunan", tanggal_mulai=date(2026, 1, 1),
            tanggal_selesai=date(2026, 12, 31),
        ),
        units=[c.dinkes, c.bkd], by=c.admin,
    )  # fmt: skip
    w.putaran = PutaranIklim.objects.create(
        nama="S2", tanggal_mulai=date(2026, 7, 1), tanggal_selesai=date(2026, 12, 31),
        dibuka_oleh=c.pengelola,
    )  # fmt: skip
    w.putaran.units.set([c.dinkes])

    # Change projects of the pegawai, mentored by the mentor (of BKD).
    def aksi(judul, status, **extra):
        return AksiPerubahan.objects.create(
            pegawai=w.pegawai, unit=w.pegawai.unit, judul=judul, masalah="Antrean panjang",
            layanan="Loket", inovasi="Antrean daring", manfaat="Cepat", mentor=c.mentor_pegawai,
            tanggal_mulai=date(2026, 1, 15), status=status, **extra,
        )  # fmt: skip

    w.aksi_rencana = aksi("Rencana", "rencana")
    w.aksi_berjalan = aksi("Berjalan", "berjalan")
    w.aksi_selesai = aksi("Selesai", "selesai", hasil="Antrean 10 menit",
                          dipublikasikan_at=timezone.now())  # fmt: skip
    w.tonggak_rencana = TonggakAksi.objects.create(
        aksi=w.aksi_berjalan, tahap="pendek", uraian="Uji coba", jatuh_tempo=date(2026, 2, 1)
    )
    w.tonggak_dilaporkan = TonggakAksi.objects.create(
        aksi=w.aksi_berjalan, tahap="menengah", uraian="Sosialisasi", catatan="Sudah",
        jatuh_tempo=date(2026, 3, 1), status="dilaporkan", dilaporkan_at=timezone.now(),
    )  # fmt: skip
    w.keberlanjutan = LaporanKeberlanjutan.objects.create(
        aksi=w.aksi_selesai, bulan=6, jatuh_tempo=today
    )

    # Citizens: a service unit of yankes, feedback at each step, a forum.
    w.layanan = UnitLayanan.objects.create(nama="Poli Umum", kode="poli", unit=c.yankes)
    w.layanan.petugas.add(w.pegawai, w.rekan, c.atasan_pegawai)  # its officers, assigned by HR
    w.masukan = Masukan.objects.create(
        unit_layanan=w.layanan, kategori="keluhan", isi="Lama sekali"
    )
    w.masukan_ditanggapi = Masukan.objects.create(
        unit_layanan=w.layanan, kategori="keluhan", isi="Kotor", status="ditanggapi",
        tanggapan="Sudah dibersihkan", ditanggapi_at=timezone.now(),
    )  # fmt: skip
    w.masukan_pegawai = Masukan.objects.create(
        unit_layanan=w.layanan, kategori="keluhan", isi="Petugas ketus", status="diteruskan",
        pegawai_dilayani=w.pegawai,
    )  # fmt: skip
    w.forum = ForumDialog.objects.create(
        topik="Forum", unit_layanan=w.layanan, waktu=timezone.now() + timedelta(days=20),
        format="tatap_muka", kapasitas=20,
    )  # fmt: skip
    w.pendaftar_forum = PendaftaranForum.objects.create(
        forum=w.forum, nama="Rahmah", kontak="r@contoh.id", status="terdaftar"
    )

    # Development plans of this year: the pegawai's draft, the rekan's submitted to the atasan;
    # next year's agreed plan of the calon names a Dinkes training (the AKPK's classical row),
    # for another competency than w.kompetensi, whose needs stay without evidence.
    def plan_line(pegawai, kompetensi, tahun, **extra):
        return pelatihan_services.baris_rencana_add(
            pegawai=pegawai, tahun=tahun, kompetensi=kompetensi, level_target=3, jp=6,
            **{"bentuk": 22} | extra,
        )  # fmt: skip

    w.baris_draf = plan_line(w.pegawai, w.kompetensi, today.year)
    w.rencana_draf = w.baris_draf.rencana
    w.baris_diajukan = plan_line(w.rekan, w.kompetensi, today.year)
    w.rencana_diajukan = w.baris_diajukan.rencana
    pelatihan_services.rencana_submit(rencana=w.rencana_diajukan, by=c.rekan)
    akpk_kompetensi = Kompetensi.objects.exclude(pk=w.kompetensi.pk).order_by("pk").first()
    PelatihanKompetensi.objects.create(pelatihan=w.pelatihan, kompetensi=akpk_kompetensi, level=3)
    agreed = plan_line(w.calon, akpk_kompetensi, today.year + 1, bentuk=3, pelatihan=w.pelatihan)
    RencanaPengembangan.objects.filter(pk=agreed.rencana_id).update(
        status="disetujui", tanggal_pertemuan=today, disetujui_at=timezone.now()
    )

    # The province's development program.
    w.program_pembinaan = pembinaan_services.program_create(tahun=2026, by=c.admin)
    w.target = w.program_pembinaan.target.first()

    # What only the pages that show need: a monitoring report, an evaluation PDF, evidence and
    # an agreement's document.
    w.monitoring = LaporanMonitoring.objects.create(
        program=w.program_pembinaan, periode_mulai=date(2026, 10, 1),
        periode_selesai=date(2026, 10, 31),
    )  # fmt: skip
    # Made before: a new request makes another (one still in the making would answer instead).
    w.berkas = BerkasLaporan(
        jenis="pegawai", pegawai=w.pegawai, diminta_oleh=c.pengelola, status="selesai"
    )
    w.berkas.file.save("pegawai.pdf", ContentFile(pdf_bytes()), save=True)
    w.bukti = BuktiTonggak(tonggak=w.tonggak_dilaporkan, keterangan="Foto")
    w.bukti.file.save("foto.png", ContentFile(image_bytes()), save=True)
    w.kerja_sama = KerjaSama.objects.create(
        perguruan_tinggi=pt, nomor="1/KS/2026", judul="SDM", ruang_lingkup="Tugas belajar",
        tanggal_tanda_tangan=date(2026, 1, 1), tanggal_berakhir=date(2028, 1, 1),
        dokumen="b.pdf",
    )  # fmt: skip
    w.hari_libur = HariLibur.objects.get(tanggal=date(2026, 8, 17))  # shipped (pegawai.kalender)
    w.disiplin = CatatanDisiplin.objects.create(
        pegawai=w.pegawai, tingkat="ringan", jenis_hukuman="teguran_lisan", nomor_sk="800/1/2026",
        tanggal_sk=date(2026, 2, 1), tmt=date(2026, 2, 1),
    )  # fmt: skip

    # Talent management: the pegawai placed in box 5, their colleague in the pool (box 9), a
    # critical position with the colleague as successor; the mentor sits on the committee.
    def penempatan(pegawai, kotak):
        return PenempatanTalenta.objects.create(
            pegawai=pegawai, opd=c.dinkes, tahun_kinerja=2025, predikat="Baik",
            kinerja="sesuai", skor_potensial=70, potensial="menengah", kotak_hitung=kotak,
            kotak=kotak, dihitung_at=timezone.now(),
        )  # fmt: skip

    w.penempatan = penempatan(w.pegawai, 5)
    penempatan(w.calon, 9)
    w.kritikal = JabatanKritikal.objects.create(
        jabatan=w.pegawai.jabatan, alasan="Langka", ditetapkan_oleh=c.admin
    )
    w.kandidat = KandidatSuksesi.objects.create(
        jabatan_kritikal=w.kritikal, pegawai=w.calon, kesiapan="siap", kompetensi=w.kompetensi,
        level_target=3, bentuk=15, jp=10, ditambah_oleh=c.admin,
    )  # fmt: skip
    w.kandidat_baru = penempatan(w.rekan, 8).pegawai
    w.anggota = AnggotaKomiteTalenta.objects.create(user=c.mentor, ditambah_oleh=c.admin)
    w.klien_api, _ = pembinaan_services.klien_api_create(
        nama="SIMPEG Dinkes", units=[c.dinkes], cakupan="tulis", by=c.admin
    )
    # Two golongan steps of the pegawai (one may be removed), the later with its decree's scan.
    for kode, tahun in [(32, 2019), (33, 2023)]:
        w.riwayat = RiwayatGolongan(pegawai=w.pegawai, golongan_id=kode, tmt=date(tahun, 4, 1))
        w.riwayat.dokumen.save("sk.pdf", ContentFile(pdf_bytes()), save=False)
        pegawai_services.riwayat_save(riwayat=w.riwayat, user=c.admin)
    # The steps above notify people as the workflows do; the matrix reads only w.notifikasi.
    Notifikasi.objects.exclude(pk=w.notifikasi.pk).delete()
    return w


# --- POST data a legitimate actor sends ------------------------------------------------------


def initial_data(*forms) -> dict:
    """What a browser sends back for unbound forms (and formsets) as they are rendered."""
    from django import forms as django_forms

    data = {}
    for form in forms:
        if hasattr(form, "management_form"):
            data |= initial_data(form.management_form, *form.forms)
            continue
        for bound in form:
            value = bound.value()
            if value is None or value is False or isinstance(bound.field, django_forms.FileField):
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                formatted = bound.field.widget.format_value(value)
                data[bound.html_name] = "" if formatted is None else formatted
    return data


def pdf(name="berkas.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def plan_line_data(w, **overrides):
    return {"kompetensi": w.kompetensi.pk, "level_target": 3, "bentuk": 22, "jp": 6,
            "biaya": 0} | overrides  # fmt: skip


def pegawai_data(w, user, **overrides):
    return {
        "nip": "19900315 201503 1 002", "nama": "Ahmad Fauzi", "status_kepegawaian": "pns",
        "jenis_kelamin": "L", "tempat_lahir": "Jambi", "tanggal_lahir": "1990-03-15",
        "tmt_cpns": "2015-03-01", "tmt_pns": "2016-03-01", "golongan": 32,
        "tmt_golongan": "2019-04-01", "jabatan": w.pegawai.jabatan_id, "tmt_jabatan": "2022-01-01",
        "unit": w.cast.yankes.pk, "atasan": w.cast.atasan_pegawai.nip,
        "pendidikan_terakhir": "s1", "email": "ahmad@jambiprov.go.id", "telepon": "0812",
    } | overrides  # fmt: skip


def pegawai_update_data(w, user):
    form = PegawaiForm(instance=Pegawai.objects.get(pk=w.pegawai.pk), user=w.cast.admin)
    return initial_data(form) | {"telepon": "0811999", "email": "budi.baru@jambiprov.go.id"}


def set_address_first(client, w):
    """The officer now posting writes the calon's email through the pegawai form first."""
    form = PegawaiForm(instance=Pegawai.objects.get(pk=w.calon.pk), user=w.cast.admin)
    data = initial_data(form) | {"email": "alamat.baru@jambiprov.go.id"}
    response = client.post(reverse("pegawai:update", args=[w.calon.pk]), data)
    assert response.status_code == 302
    assert Pegawai.objects.get(pk=w.calon.pk).email == "alamat.baru@jambiprov.go.id"


def pelatihan_data(w, user):
    return {
        "nama": "TIK untuk Pelayanan Kesehatan", "jenis": 3, "bidang": "Kesehatan", "jp": 24,
        "penyelenggara_jenis": "internal", "penyelenggara": "Dinkes",
        "unit_penyelenggara": w.cast.dinkes.pk, "target-TOTAL_FORMS": 0,
        "target-INITIAL_FORMS": 0,
    }  # fmt: skip


def pelatihan_update_data(w, user):
    pelatihan = type(w.pelatihan).objects.get(pk=w.pelatihan.pk)
    form = PelatihanForm(instance=pelatihan, user=w.cast.admin)
    formset = TargetKompetensiFormSet(instance=pelatihan)
    return initial_data(form, formset) | {"nama": "Nama baru"}


def angkatan_data(w, user):
    return {
        "nama": "Angkatan II", "tanggal_mulai": "2027-04-05", "tanggal_selesai": "2027-04-09",
        "tempat": "Jambi", "kuota": 30, "status": "pendaftaran", "ambang_kehadiran": 80,
        "nilai_lulus": 70,
    }  # fmt: skip


def angkatan_update_data(w, user):
    # The pass mark of a Dinas Kesehatan batch: its organisers set it, nobody else.
    form = AngkatanForm(instance=type(w.terbuka).objects.get(pk=w.terbuka.pk))
    return initial_data(form) | {"nilai_lulus": "90", "tempat": "Aula Dinkes"}


def kompetensi_data(w, user):
    data = {"kode": "T.UJI.01", "nama": "Uji", "deskripsi": "Uji",
            "levels-TOTAL_FORMS": 5, "levels-INITIAL_FORMS": 0}  # fmt: skip
    for i in range(5):
        data |= {f"levels-{i}-level": i + 1, f"levels-{i}-deskripsi": f"Level {i + 1}"}
    return data


def standar_data(w, user):
    return {
        "standar_kompetensi-TOTAL_FORMS": 1, "standar_kompetensi-INITIAL_FORMS": 0,
        "standar_kompetensi-0-kompetensi": w.kompetensi.pk, "standar_kompetensi-0-level": 3,
    }  # fmt: skip


def penilaian_kompetensi_data(w, user):
    return {"kompetensi": w.kompetensi.pk, "level": 3, "tanggal": "2026-02-01",
            "sumber": "uji_kompetensi"}  # fmt: skip


def beasiswa_data(w, user):
    return {
        "nama": "S3 2027", "perguruan_tinggi": w.program.perguruan_tinggi_id, "jenjang": "s3",
        "program_studi": "Kesmas", "jenis": "tugas_belajar", "kuota": 2,
        "pendaftaran_mulai": "2027-01-01", "pendaftaran_selesai": "2027-01-31",
        "lama_studi_bulan": 36, "masa_kerja_min_tahun": 2, "tahun_predikat": 2,
        "faktor_ikatan_dinas": 2,
    }  # fmt: skip


def kerja_sama_data(w, user):
    return {
        "perguruan_tinggi": w.program.perguruan_tinggi_id, "nomor": "2/KS/2026", "judul": "SDM",
        "ruang_lingkup": "Tugas belajar", "tanggal_tanda_tangan": "2026-01-01",
        "tanggal_berakhir": "2028-01-01", "dokumen": pdf(),
    }  # fmt: skip


def kegiatan_data(w, user):
    return {
        "nama": "Seminar Nasional", "jenis": 9, "penyelenggara": "Unja",
        "tanggal_mulai": "2026-05-04", "tanggal_selesai": "2026-05-05", "skala": "nasional",
        "jp": "", "nomor_sertifikat": "SN/1", "file": pdf("sertifikat.pdf"),
    }  # fmt: skip


def around(user) -> str:
    """The NIP of somebody the user's change project may name as mentor: their atasan, or a
    colleague of their unit."""
    profil = Pegawai.objects.filter(user=user).first()
    if profil is None:
        return Pegawai.objects.first().nip
    if profil.atasan_id:
        return profil.atasan.nip
    return Pegawai.objects.filter(unit=profil.unit).exclude(pk=profil.pk).first().nip


def aksi_data(w, user):
    return {
        "judul": "Loket ramah", "masalah": "Antrean", "layanan": "Loket", "inovasi": "Nomor",
        "manfaat": "Cepat", "mentor_nip": around(user), "tanggal_mulai": "2026-11-02",
    }  # fmt: skip


def aksi_update_data(w, user):
    from evaluasi.forms import AksiForm

    aksi = AksiPerubahan.objects.get(pk=w.aksi_rencana.pk)
    return initial_data(AksiForm(instance=aksi, pegawai=aksi.pegawai)) | {"judul": "Judul baru"}


def iklim_answers(w, user):
    return {key: "4" for key, *_ in PERNYATAAN_IKLIM} | {"teks": "Rapat lebih singkat"}


def survei_file():
    content = ",".join(KOLOM) + "\n" + ",".join(CONTOH) + "\n"
    return SimpleUploadedFile("kertas.csv", content.encode(), content_type="text/csv")


def reset_password(client, w):
    """A citizen's first password: the link of the invitation, then the form it leads to."""
    user = User.objects.get(pk=w.cast.pegawai.pk)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    client.get(reverse("password_reset_confirm", args=[uid, token]))


def close_login(w, *, by):
    """The cast pegawai's login, closed on the account pages by `by`."""
    pegawai_services.akun_deactivate(
        akun=User.objects.get(pk=w.cast.pegawai.pk), user=by, alasan="Uji"
    )


def _first_code(user) -> str:
    """The code an authenticator app shows for the key the enrolment page gave this login."""
    if user is None:
        return "000000"
    device = dua_faktor.totp_pending(user=user)
    return f"{totp(device.bin_key):06d}"


def _pass_second_step(client, w):
    """The signed-in login enrolled, and this session passed the second step."""
    if "_auth_user_id" not in client.session:
        return
    user = User.objects.get(pk=client.session["_auth_user_id"])
    device = TOTPDevice.objects.create(user=user, name="Ponsel")
    client.post(reverse("dua_faktor:verify"), {"kode": f"{totp(device.bin_key):06d}"})


def _next_code(user) -> str:
    """The code of the next 30-second step (django-otp accepts one step of drift)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
    return f"{totp(device.bin_key, drift=1):06d}" if device else "000000"


def uid(w):
    return urlsafe_base64_encode(force_bytes(w.cast.pegawai.pk))


# --- The matrix ------------------------------------------------------------------------------

MATRIX = {
    # Accounts.
    "login": Row(
        "login",
        data=lambda w, u: {"username": "pegawai", "password": "rahasia-123"},
        expected=everyone(NOOP) | {"anonymous": OK},  # signed in already: sent on
    ),
    # Only the session goes, which the snapshot leaves out.
    "logout": Row("logout", expected=everyone(NOOP) | {"anonymous": LOGIN}),
    "password_change": Row(
        "password_change",
        data=lambda w, u: {
            "old_password": "rahasia-123",
            "new_password1": "Sandi-Baru-2026!",
            "new_password2": "Sandi-Baru-2026!",
        },
        expected=expect(OK),
    ),
    "password_reset_confirm": Row(
        "password_reset_confirm",
        args=lambda w: [uid(w), "set-password"],
        data=lambda w, u: {
            "new_password1": "Sandi-Baru-2026!",
            "new_password2": "Sandi-Baru-2026!",
        },
        expected={"anonymous": OK, "pengelola": OK},
        before=reset_password,
    ),
    # The province's program.
    "pembinaan:program_create": Row(
        "pembinaan:program_create", data=lambda w, u: {"tahun": "2027"}, expected=ADMIN_ONLY
    ),
    # Queued after the commit, which a test's transaction never reaches: nothing to see here.
    "pembinaan:capaian_refresh": Row(
        "pembinaan:capaian_refresh",
        args=lambda w: [w.program_pembinaan.pk],
        expected=ADMIN_ONLY | {"admin": NOOP},
    ),
    "pembinaan:target_update": Row(
        "pembinaan:target_update",
        args=lambda w: [w.target.pk],
        data=lambda w, u: {"nilai_target": "42"},
        expected=ADMIN_ONLY,
    ),
    # The holiday calendar: administrators only; a date already listed is refused, not saved.
    "hari_libur:create": Row(
        "hari_libur:create",
        data=lambda w, u: {
            "tanggal": "2027-03-10",
            "jenis": "libur_nasional",
            "nama": "Hari Suci Nyepi",
            "dasar": "SKB 2027",
        },
        expected=ADMIN_ONLY,
    ),  # fmt: skip
    "hari_libur:create:tanggal_ganda": Row(
        "hari_libur:create",
        data=lambda w, u: {"tanggal": "2026-08-17", "jenis": "libur_nasional", "nama": "Ganda"},
        expected=ADMIN_ONLY | {"admin": NOOP},
    ),
    "hari_libur:update": Row(
        "hari_libur:update",
        args=lambda w: [w.hari_libur.pk],
        data=lambda w, u: {
            "tanggal": "2026-08-17",
            "jenis": "libur_nasional",
            "nama": "HUT Kemerdekaan RI",
            "dasar": w.hari_libur.dasar,
        },
        expected=ADMIN_ONLY,
    ),  # fmt: skip
    "hari_libur:delete": Row(
        "hari_libur:delete", args=lambda w: [w.hari_libur.pk], expected=ADMIN_ONLY
    ),
    "pembinaan:laporan_request": Row(
        "pembinaan:laporan_request",
        args=lambda w: [w.program_pembinaan.pk],
        data=lambda w, u: {"periode": "triwulan-1"},  # of 2026: ended
        expected=PROVINCE,  # BKD/BPSDM monitor the program (pembinaan.access)
    ),
    # No evidence of a need in the small world: the managers are answered, nothing planned.
    "pembinaan:kebutuhan_rencanakan": Row(
        "pembinaan:kebutuhan_rencanakan",
        data=lambda w, u: {"kompetensi": w.kompetensi.pk, "unit": w.cast.dinkes.pk},
        # Province HR plan for any unit; another unit's HR asking for Dinkes: not theirs, 404.
        expected=expect(
            403,
            pengelola=NOOP,
            pengelola_pegawai=NOOP,
            pengelola_lain=404,
            provinsi=NOOP,
            admin=NOOP,
        ),  # fmt: skip
    ),
    # Disciplinary records: the HR of the pegawai's unit, never about themselves; a sanction
    # that does not belong to its level is refused and nothing is saved.
    "pegawai:disiplin_create": Row(
        "pegawai:disiplin_create",
        args=lambda w: [w.pegawai.pk],
        data=lambda w, u: DISIPLIN_DATA,
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pegawai:disiplin_create/own": Row(
        "pegawai:disiplin_create",
        args=lambda w: [w.pp.pk],
        data=lambda w, u: DISIPLIN_DATA,
        expected={"pengelola_pegawai": 403, "pengelola": OK},
    ),
    "pegawai:disiplin_create:jenis_salah": Row(
        "pegawai:disiplin_create",
        args=lambda w: [w.pegawai.pk],
        data=lambda w, u: DISIPLIN_DATA | {"jenis_hukuman": "teguran_lisan"},
        expected=ABOUT_PEGAWAI | {"pengelola": NOOP, "pengelola_pegawai": NOOP, "admin": NOOP},
    ),
    "pegawai:disiplin_update": Row(
        "pegawai:disiplin_update",
        args=lambda w: [w.disiplin.pk],
        data=lambda w, u: DISIPLIN_DATA,
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    # Next year's AKPK of Dinas Kesehatan: its classical row becomes a planned batch of the Dinkes
    # training; province HR do not run that training (skipped, nothing made); BKD's HR: 404.
    "pembinaan:akpk_rencanakan": Row(
        "pembinaan:akpk_rencanakan",
        data=lambda w, u: {"unit": w.cast.dinkes.pk, "tahun": w.today.year + 1},
        expected=expect(
            403, pengelola=OK, pengelola_pegawai=OK, pengelola_lain=404, provinsi=NOOP, admin=OK
        ),  # fmt: skip
    ),
    # Development plans: the pegawai drafts and submits their own; the direct atasan changes a
    # submitted one and decides it; HR and the province read (403); others do not see it (404).
    "pelatihan:rencana_create": Row(
        "pelatihan:rencana_create",
        data=lambda w, u: {"tahun": w.today.year},
        expected=expect(OK, pegawai=NOOP, rekan=NOOP, **dict.fromkeys(WITHOUT_PROFILE, 403)),
    ),
    "pelatihan:baris_create": Row(
        "pelatihan:baris_create",
        args=lambda w: [w.rencana_draf.pk],
        data=lambda w, u: plan_line_data(w),
        expected=ABOUT_PEGAWAI | {"pegawai": OK, "provinsi": 403},
    ),
    "pelatihan:baris_create/diajukan": Row(
        "pelatihan:baris_create",
        args=lambda w: [w.rencana_diajukan.pk],
        data=lambda w, u: plan_line_data(w),
        expected=ABOUT_PEGAWAI | {"atasan": OK, "rekan": 403, "pegawai": 404, "provinsi": 403},
    ),
    "pelatihan:baris_update": Row(
        "pelatihan:baris_update",
        args=lambda w: [w.baris_draf.pk],
        data=lambda w, u: plan_line_data(w, jp=9),
        expected=ABOUT_PEGAWAI | {"pegawai": OK, "provinsi": 403},
    ),
    "pelatihan:baris_delete": Row(
        "pelatihan:baris_delete",
        args=lambda w: [w.baris_draf.pk],
        expected=ABOUT_PEGAWAI | {"pegawai": OK, "provinsi": 403},
    ),
    "pelatihan:rencana_submit": Row(
        "pelatihan:rencana_submit",
        args=lambda w: [w.rencana_draf.pk],
        expected=ABOUT_PEGAWAI | {"pegawai": OK, "provinsi": 403},
    ),
    "pelatihan:rencana_decide": Row(
        "pelatihan:rencana_decide",
        args=lambda w: [w.rencana_diajukan.pk],
        data=lambda w, u: {"keputusan": "setujui", "tanggal_pertemuan": w.today.isoformat()},
        expected=ABOUT_PEGAWAI | {"atasan": OK, "rekan": 403, "pegawai": 404, "provinsi": 403},
    ),
    # Pegawai records and their logins.
    "pegawai:create": Row(
        "pegawai:create",
        data=pegawai_data,
        expected=ORGANISERS | {"pengelola_lain": NOOP, "provinsi": NOOP},  # not their unit
    ),
    "pegawai:update": Row(
        "pegawai:update",
        args=lambda w: [w.pegawai.pk],
        data=pegawai_update_data,
        expected=ABOUT_PEGAWAI
        | {"pegawai": OK, "pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pegawai:deactivate": Row(
        "pegawai:deactivate",
        args=lambda w: [w.pegawai.pk],
        data=lambda w, u: {"alasan": "pensiun", "tanggal": "2026-11-30"},
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pegawai:deactivate/own": Row(
        "pegawai:deactivate",
        args=lambda w: [w.pp.pk],
        data=lambda w, u: {"alasan": "pensiun", "tanggal": "2026-11-30"},
        expected={"pengelola_pegawai": 403, "pengelola": OK},
    ),
    "pegawai:deactivate/superuser": Row(
        "pegawai:deactivate",
        args=lambda w: [w.super_pegawai.pk],
        data=lambda w, u: {"alasan": "pensiun", "tanggal": "2026-11-30"},
        expected={"pengelola": 403, "pengelola_pegawai": 403, "admin": OK},
    ),
    "pegawai:activate": Row(
        "pegawai:activate",
        args=lambda w: [w.nonaktif.pk],
        expected=ABOUT_PEGAWAI
        | {"pegawai": 404, "pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pegawai:activate/deactivated-by-admin": Row(
        "pegawai:activate",
        args=lambda w: [w.nonaktif_admin.pk],
        expected={"pengelola": 403, "pengelola_pegawai": 403, "admin": OK},
    ),
    # The address was written by cast.pengelola: another manager vouches for it by sending.
    "pegawai:akun_create": Row(
        "pegawai:akun_create",
        args=lambda w: [w.calon.pk],
        expected=ABOUT_PEGAWAI
        | {"pegawai": 404, "pengelola": 403, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pegawai:akun_create/own": Row(
        "pegawai:akun_create",
        args=lambda w: [w.pp.pk],
        expected={"pengelola_pegawai": 403, "pengelola": NOOP},  # has a login already
    ),
    # Whoever writes the address through the form may not send the invitation to it.
    "pegawai:akun_create/address-just-set": Row(
        "pegawai:akun_create",
        args=lambda w: [w.calon.pk],
        before=set_address_first,
        expected={"pengelola": 403, "pengelola_pegawai": 403, "admin": OK},
    ),
    # An invitation not used yet: mailed again as inviting would (the address by cast.pengelola).
    "pegawai:akun_resend": Row(
        "pegawai:akun_resend",
        args=lambda w: [w.calon.pk],
        before=lambda client, w: invite(w.calon),
        expected=ABOUT_PEGAWAI
        | {"pegawai": 404, "pengelola": 403, "pengelola_pegawai": OK, "admin": OK, "provinsi": OK},
    ),
    "pegawai:akun_resend/password-set": Row(
        "pegawai:akun_resend",
        args=lambda w: [w.pegawai.pk],
        expected={"pengelola": 403, "pengelola_pegawai": 403, "admin": 403, "provinsi": 403},
    ),
    # The province's accounts (/akun/): administrators and the province's HR.
    "akun:massal": Row(
        "akun:massal", data=lambda w, u: {"unit": w.cast.yankes.pk}, expected=PROVINCE
    ),
    "akun:deactivate": Row(
        "akun:deactivate",
        args=lambda w: [w.cast.pegawai.pk],
        data=lambda w, u: {"alasan": "Cuti di luar tanggungan negara"},
        expected=PROVINCE,
    ),
    "akun:deactivate/own": Row(
        "akun:deactivate",
        args=lambda w: [w.cast.admin.pk],
        data=lambda w, u: {"alasan": "Uji"},
        expected={"admin": 403, "provinsi": 403},
    ),
    "akun:activate": Row(
        "akun:activate",
        args=lambda w: [w.cast.pegawai.pk],
        before=lambda client, w: close_login(w, by=w.cast.provinsi),
        expected=PROVINCE | {"pegawai": LOGIN},  # their own login is closed: signed out
    ),
    "akun:activate/closed-by-admin": Row(
        "akun:activate",
        args=lambda w: [w.cast.pegawai.pk],
        before=lambda client, w: close_login(w, by=w.cast.admin),
        expected={"provinsi": 403, "admin": OK},
    ),
    "akun:peran": Row(
        "akun:peran",
        args=lambda w: [w.cast.pegawai.pk],
        data=lambda w, u: {"pengelola_provinsi": "on"},
        expected=ADMIN_ONLY,
    ),
    "akun:peran/own": Row("akun:peran", args=lambda w: [w.cast.admin.pk], expected={"admin": 403}),
    "akun:pengelola_list": Row(
        "akun:pengelola_list",
        data=lambda w, u: {"unit": w.cast.bkd.pk, "akun": "rekan"},
        expected=PROVINCE,
    ),
    "akun:pengelola_list/own": Row(
        "akun:pengelola_list",
        data=lambda w, u: {"unit": w.cast.bkd.pk, "akun": u.username},
        expected={"provinsi": 403, "admin": 403},
    ),
    "akun:pengelola_withdraw": Row(
        "akun:pengelola_withdraw",
        data=lambda w, u: {"unit": w.cast.bkd.pk, "akun": w.cast.pengelola_lain.pk},
        expected=PROVINCE | {"pengelola_lain": 403},
    ),
    # Two-factor sign-in: each login its own (a first code confirms the key; with no device
    # there is nothing to verify; new recovery codes from a session that passed); a lost device
    # reset by an administrator, never their own.
    "dua_faktor:enrol": Row(
        "dua_faktor:enrol", data=lambda w, u: {"kode": _first_code(u)}, expected=expect(OK)
    ),
    "dua_faktor:verify": Row(
        "dua_faktor:verify", data=lambda w, u: {"kode": "123456"}, expected=expect(NOOP)
    ),
    "dua_faktor:kode_cadangan": Row("dua_faktor:kode_cadangan", expected=expect(NOOP)),
    "dua_faktor:kode_cadangan_create": Row(
        "dua_faktor:kode_cadangan_create", before=_pass_second_step, expected=expect(OK)
    ),
    "dua_faktor:kode_cadangan_create/unverified": Row(
        "dua_faktor:kode_cadangan_create", expected=expect(403)
    ),
    # Switching it off: a login the role does not oblige, from a session that passed with the
    # app, with the app's next code (the one the session used is spent).
    "dua_faktor:disable": Row(
        "dua_faktor:disable",
        before=_pass_second_step,
        data=lambda w, u: {"kode": _next_code(u)},
        expected=expect(
            OK, pengelola_pegawai=403, pengelola=403, pengelola_lain=403, provinsi=403, admin=403
        ),  # fmt: skip
    ),
    "akun:dua_faktor_reset": Row(
        "akun:dua_faktor_reset",
        args=lambda w: [w.cast.pengelola_lain.pk],
        data=lambda w, u: {"alasan": "Ponsel hilang"},
        expected=ADMIN_ONLY,
    ),
    "akun:dua_faktor_reset/own": Row(
        "akun:dua_faktor_reset",
        args=lambda w: [w.cast.admin.pk],
        data=lambda w, u: {"alasan": "Ponsel hilang"},
        expected={"admin": 403},
    ),
    # Career history: the pegawai's unit HR (not the pegawai themself); a move also by the
    # province's HR; a history file by any manager, refused row by row outside their units.
    "pegawai:riwayat_create": Row(
        "pegawai:riwayat_create",
        args=lambda w: [w.pegawai.pk, "golongan"],
        data=lambda w, u: {"golongan": 34, "tmt": "2025-04-01", "jenis_kenaikan": "reguler"},
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pegawai:riwayat_update": Row(
        "pegawai:riwayat_update",
        args=lambda w: ["golongan", w.riwayat.pk],
        data=lambda w, u: {"golongan": 33, "tmt": "2023-04-01", "nomor_sk": "800/9/2023"},
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pegawai:riwayat_delete": Row(
        "pegawai:riwayat_delete",
        args=lambda w: ["golongan", w.riwayat.pk],
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pegawai:mutasi": Row(
        "pegawai:mutasi",
        args=lambda w: [w.pegawai.pk],
        data=lambda w, u: {"unit_tujuan": w.cast.bkd.pk, "tmt": w.today.isoformat()},
        expected=ABOUT_PEGAWAI
        | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK, "provinsi": OK},
    ),
    "pegawai:riwayat_impor": Row(
        "pegawai:riwayat_impor",
        data=lambda w, u: {
            "jenis": "golongan",
            "file": SimpleUploadedFile(
                "g.csv", f"nipBaru,golonganId,tmtGolongan\n{w.pegawai.nip},34,01/04/2025\n".encode()
            ),
        },
        expected=ANY_MANAGER | {"pengelola_lain": NOOP, "provinsi": NOOP},  # not their units
    ),
    "pegawai:impor_create": Row(
        "pegawai:impor_create",
        data=lambda w, u: {"file": SimpleUploadedFile("p.csv", b"nip,nama\n", "text/csv")},
        expected=ANY_MANAGER,
    ),
    "pegawai:siasn_create": Row(
        "pegawai:siasn_create",
        data=lambda w, u: {
            "unit": w.cast.dinkes.pk,
            "file": SimpleUploadedFile(
                "siasn.csv",
                b"NIP_BARU,NAMA,TANGGAL_LAHIR,GOL_AKHIR_NAMA,JABATAN_NAMA,UNOR_NAMA\n"
                + f"{w.pegawai.nip},BUDI,01-01-1980,III/b,Perawat,Yankes\n".encode(),
            ),
        },
        # Dinas Kesehatan's HR and the province's; BKD's HR gets the form again (not their unit).
        expected=ANY_MANAGER | {"pengelola_lain": NOOP},
    ),
    "pegawai:selisih_tindak_lanjut": Row(
        "pegawai:selisih_tindak_lanjut",
        args=lambda w: [w.selisih.pk],
        data=lambda w, u: {"selesai": "1"},
        expected=ANY_MANAGER | {"pengelola_lain": 404},
    ),
    "pegawai:impor_commit": Row(
        "pegawai:impor_commit",
        args=lambda w: [w.impor.pk],
        expected=expect(
            403, pengelola=OK, admin=OK, pengelola_pegawai=404, pengelola_lain=404, provinsi=404
        ),
    ),
    # Trainings, batches, participants.
    "pelatihan:create": Row(
        "pelatihan:create",
        data=pelatihan_data,
        # Only for a unit one manages (the province's HR: the province's own, left empty).
        expected=ORGANISERS | {"pengelola_lain": NOOP, "provinsi": NOOP},
    ),
    "pelatihan:update": Row(
        "pelatihan:update",
        args=lambda w: [w.pelatihan.pk],
        data=pelatihan_update_data,
        expected=ORGANISERS,
    ),
    "pelatihan:angkatan_create": Row(
        "pelatihan:angkatan_create",
        args=lambda w: [w.pelatihan.pk],
        data=angkatan_data,
        expected=ORGANISERS,
    ),
    "pelatihan:angkatan_update": Row(
        "pelatihan:angkatan_update",
        args=lambda w: [w.terbuka.pk],
        data=angkatan_update_data,
        # pengelola_pegawai takes part in it: they would set the bar of their own result.
        expected=ORGANISERS | {"pengelola_pegawai": 403},
    ),
    "pelatihan:angkatan_nominate": Row(
        "pelatihan:angkatan_nominate",
        args=lambda w: [w.terbuka2.pk],
        data=lambda w, u: {"nip": w.calon.nip},
        expected=ORGANISERS | {"pengelola_lain": NOOP, "provinsi": NOOP},  # not their staff
    ),
    "pelatihan:angkatan_request": Row(
        "pelatihan:angkatan_request", args=lambda w: [w.terbuka2.pk], expected=PEGAWAI_THEMSELVES
    ),
    "pelatihan:sesi_kehadiran": Row(
        "pelatihan:sesi_kehadiran",
        args=lambda w: [w.berjalan.sesi.first().pk],
        data=lambda w, u: {"hadir": [w.p_pegawai_berjalan.pk]},
        expected=ORGANISERS,
    ),
    "pelatihan:peserta_approve": Row(
        "pelatihan:peserta_approve",
        args=lambda w: [w.p_rekan_diajukan.pk],
        expected=expect(404, atasan=OK, rekan=403, pengelola=403, pengelola_pegawai=403, admin=403),
    ),
    "pelatihan:peserta_reject": Row(
        "pelatihan:peserta_reject",
        args=lambda w: [w.p_rekan_diajukan.pk],
        data=lambda w, u: {"alasan": "Belum sesuai kebutuhan unit"},
        expected=expect(404, atasan=OK, rekan=403, pengelola=OK, pengelola_pegawai=OK, admin=OK),
    ),
    "pelatihan:peserta_confirm": Row(
        "pelatihan:peserta_confirm",
        args=lambda w: [w.p_calon_disetujui.pk],
        expected=expect(404, atasan=403, pengelola=OK, pengelola_pegawai=OK, admin=OK),
    ),
    "pelatihan:peserta_confirm/own": Row(
        "pelatihan:peserta_confirm",
        args=lambda w: [w.p_pp_disetujui.pk],
        expected={"pengelola_pegawai": 403, "pengelola": OK},
    ),
    "pelatihan:peserta_cancel": Row(
        "pelatihan:peserta_cancel",
        args=lambda w: [w.p_pegawai_terbuka.pk],
        data=lambda w, u: {"alasan": "Bertugas"},
        expected=ABOUT_PEGAWAI
        | {"pegawai": OK, "pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pelatihan:peserta_decide": Row(
        "pelatihan:peserta_decide",
        args=lambda w: [w.p_pegawai_berjalan.pk],
        data=lambda w, u: {"nilai_pre": "60", "nilai_post": "88", "keputusan": ""},
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pelatihan:peserta_decide/own": Row(
        "pelatihan:peserta_decide",
        args=lambda w: [w.p_pp_berjalan.pk],
        data=lambda w, u: {"nilai_pre": "60", "nilai_post": "88", "keputusan": ""},
        expected={"pengelola_pegawai": 403, "pengelola": OK},
    ),
    "pelatihan:sertifikat_revoke": Row(
        "pelatihan:sertifikat_revoke",
        args=lambda w: [w.p_pegawai_selesai.pk],
        data=lambda w, u: {"alasan": "Salah cetak"},
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    # Undoing a revocation: a new certificate, by the batch's organisers only.
    "pelatihan:sertifikat_reissue": Row(
        "pelatihan:sertifikat_reissue",
        args=lambda w: [w.p_pegawai_selesai.pk],
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
        before=lambda client, w: pelatihan_services.sertifikat_revoke(
            sertifikat=w.p_pegawai_selesai.sertifikat, alasan="Salah cetak"
        ),
    ),
    "pelatihan:kompetensi_create": Row(
        "pelatihan:kompetensi_create", data=kompetensi_data, expected=PROVINCE
    ),
    "pelatihan:standar_update": Row(
        "pelatihan:standar_update",
        args=lambda w: [w.pegawai.jabatan_id],
        data=standar_data,
        expected=PROVINCE,
    ),
    "pelatihan:kompetensi_pegawai": Row(
        "pelatihan:kompetensi_pegawai",
        args=lambda w: [w.pegawai.pk],
        data=penilaian_kompetensi_data,
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pelatihan:kompetensi_pegawai/own": Row(
        "pelatihan:kompetensi_pegawai",
        args=lambda w: [w.pp.pk],
        data=penilaian_kompetensi_data,
        expected={"pengelola_pegawai": 403, "pengelola": OK},
    ),
    "pelatihan:beasiswa_create": Row(
        "pelatihan:beasiswa_create", data=beasiswa_data, expected=PROVINCE
    ),
    "pelatihan:beasiswa_detail": Row(
        "pelatihan:beasiswa_detail",
        args=lambda w: [w.program_buka.pk],
        data=lambda w, u: {
            "predikat_tahun_lalu": "baik",
            "predikat_dua_tahun_lalu": "baik",
            "tanpa_hukuman_disiplin": "on",
            "dokumen": pdf(),
        },
        expected=PEGAWAI_THEMSELVES,
    ),
    "pelatihan:beasiswa_decide": Row(
        "pelatihan:beasiswa_decide",
        args=lambda w: [w.pendaftaran.pk],
        data=lambda w, u: {"keputusan": "tolak", "catatan": "Kuota penuh"},
        expected=ABOUT_PEGAWAI
        | {"pengelola": OK, "pengelola_pegawai": OK, "provinsi": OK, "admin": OK},
    ),
    "pelatihan:beasiswa_decide/own": Row(
        "pelatihan:beasiswa_decide",
        args=lambda w: [w.pendaftaran_pp.pk],
        data=lambda w, u: {"keputusan": "tolak", "catatan": "Kuota penuh"},
        expected={"pengelola_pegawai": 403, "pengelola": OK},
    ),
    # Only the applicant's direct atasan; the applicant and HR see it but may not.
    "pelatihan:pendaftaran_rekomendasi": Row(
        "pelatihan:pendaftaran_rekomendasi",
        args=lambda w: [w.pendaftaran.pk],
        data=lambda w, u: {"rekomendasi": "ya", "catatan": "Layak"},
        expected=ABOUT_PEGAWAI | {"atasan": OK},
    ),
    "pelatihan:studi_detail": Row(
        "pelatihan:studi_detail",
        args=lambda w: [w.studi.pk],
        data=lambda w, u: {"semester": 1, "ipk": "3,50", "sks": 20, "status": "aktif"},
        expected=ABOUT_PEGAWAI | {"pegawai": 404, "rekan": OK},
    ),
    # A graduation adds the degree to the education history: the graduate's unit HR.
    "pelatihan:studi_lulus": Row(
        "pelatihan:studi_lulus",
        args=lambda w: [w.studi.pk],
        data=lambda w, u: {"tanggal_lulus": w.today.isoformat()},
        expected=ABOUT_PEGAWAI
        | {"pegawai": 404, "rekan": 403, "pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "pelatihan:kerja_sama_create": Row(
        "pelatihan:kerja_sama_create", data=kerja_sama_data, expected=PROVINCE
    ),
    "pelatihan:kegiatan_create": Row(
        "pelatihan:kegiatan_create", data=kegiatan_data, expected=PEGAWAI_THEMSELVES
    ),
    "pelatihan:kegiatan_decide": Row(
        "pelatihan:kegiatan_decide",
        args=lambda w: [w.kegiatan.pk],
        data=lambda w, u: {"keputusan": "terima"},
        expected=ABOUT_PEGAWAI | {"pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    # A non-classical activity: its direct atasan only, not HR, not an administrator.
    "pelatihan:kegiatan_decide/nonklasikal": Row(
        "pelatihan:kegiatan_decide",
        args=lambda w: [w.coaching.pk],
        data=lambda w, u: {"keputusan": "terima"},
        expected=ABOUT_PEGAWAI | {"atasan": OK},
    ),
    "pelatihan:aturan_jp_create": Row(
        "pelatihan:aturan_jp_create",
        data=lambda w, u: {"jenis": 11, "satuan": "hari", "jp_per_satuan": "6", "sumber": "uji"},
        expected=ADMIN_ONLY,
    ),
    "pelatihan:aturan_jp_update": Row(
        "pelatihan:aturan_jp_update",
        args=lambda w: [w.aturan.pk],
        data=lambda w, u: {"satuan": "sesi", "jp_per_satuan": "3", "sumber": "uji"},
        expected=ADMIN_ONLY,
    ),
    "pelatihan:kegiatan_decide/own": Row(
        "pelatihan:kegiatan_decide",
        args=lambda w: [w.kegiatan_pp.pk],
        data=lambda w, u: {"keputusan": "terima"},
        expected={"pengelola_pegawai": 403, "pengelola": OK},
    ),
    # Evaluation periods and ratings.
    "evaluasi:periode_create": Row(
        "evaluasi:periode_create",
        data=lambda w, u: {
            "nama": "Tahunan 2027",
            "jenis": "tahunan",
            "tanggal_mulai": "2027-01-01",
            "tanggal_selesai": "2027-12-31",
            "units": [w.cast.dinkes.pk],
        },
        expected=ORGANISERS | {"pengelola_lain": NOOP, "provinsi": OK},
    ),
    "evaluasi:periode_close": Row(
        "evaluasi:periode_close",
        args=lambda w: [w.periode.pk],
        expected=PERIODE_DINKES,
    ),
    "evaluasi:periode_close/across-opds": Row(
        "evaluasi:periode_close",
        args=lambda w: [w.periode_lintas.pk],
        expected=PROVINCE | dict.fromkeys(PEGAWAI_ROLES, 404),  # HR of its OPDs see it: 403
    ),
    "evaluasi:periode_reopen": Row(
        "evaluasi:periode_reopen",
        args=lambda w: [w.periode_tutup.pk],
        expected=PERIODE_DINKES,
    ),
    "evaluasi:periode_unit_update": Row(
        "evaluasi:periode_unit_update",
        args=lambda w: [w.periode_unit.pk],
        data=lambda w, u: {"predikat_organisasi": "istimewa"},
        expected=PERIODE_DINKES,  # the province's HR follow every unit
    ),
    "evaluasi:penilaian_save": Row(
        "evaluasi:penilaian_save",
        args=lambda w: [w.periode.pk, w.rekan.pk],
        data=lambda w, u: {
            f"p{w.rekan.pk}-hasil_kerja": "di_atas",
            f"p{w.rekan.pk}-perilaku_kerja": "sesuai",
        },
        expected=ABOUT_PEGAWAI | {"atasan": OK, "rekan": 403, "pegawai": 404},
    ),
    # The atasan's page saves all rows at once; only their own subordinates are on it.
    "evaluasi:penilaian_bawahan": Row(
        "evaluasi:penilaian_bawahan",
        args=lambda w: [w.periode.pk],
        data=lambda w, u: {
            f"p{w.rekan.pk}-hasil_kerja": "di_atas",
            f"p{w.rekan.pk}-perilaku_kerja": "sesuai",
        },
        expected=expect(NOOP, atasan=OK, **dict.fromkeys(WITHOUT_PROFILE, 403)),
    ),
    "evaluasi:penilaian_acknowledge": Row(
        "evaluasi:penilaian_acknowledge",
        args=lambda w: [w.penilaian.pk],
        expected=ABOUT_PEGAWAI | {"pegawai": OK},
    ),
    "evaluasi:reaksi_create": Row(
        "evaluasi:reaksi_create",
        args=lambda w: [w.selesai.pk],
        data=lambda w, u: {
            "materi": 5,
            "fasilitator": 4,
            "sarana": 3,
            "penyelenggaraan": 4,
            "komentar": "Praktis",
        },
        expected=expect(403, pegawai=OK, rekan=OK),
    ),
    "evaluasi:berkas_request": Row(
        "evaluasi:berkas_request",
        args=lambda w: ["pegawai", w.pegawai.pk],
        expected=expect(
            403, pengelola=OK, pengelola_pegawai=OK, admin=OK, pengelola_lain=404, provinsi=404
        ),
    ),
    "evaluasi:berkas_request/angkatan": Row(
        "evaluasi:berkas_request",
        args=lambda w: ["angkatan", w.berjalan.pk],
        expected=BERKAS_DINKES,
    ),
    "evaluasi:berkas_request/unit": Row(
        "evaluasi:berkas_request",
        args=lambda w: ["unit", w.periode_unit.pk],
        expected=BERKAS_DINKES,
    ),
    "evaluasi:iklim_index": Row(
        "evaluasi:iklim_index",
        data=lambda w, u: {
            "nama": "Semester I 2027",
            "tanggal_mulai": "2027-01-01",
            "tanggal_selesai": "2027-06-30",
            "units": [w.cast.dinkes.pk],
        },
        expected=ORGANISERS | {"pengelola_lain": NOOP, "provinsi": OK},
    ),
    "evaluasi:iklim_isi": Row(
        "evaluasi:iklim_isi",
        args=lambda w: [w.putaran.pk],
        data=iklim_answers,
        expected=PEGAWAI_THEMSELVES | {"outsider": NOOP, "mentor": NOOP},  # not in the round
    ),
    # Change projects: the pegawai runs it, the mentor confirms, the unit's HR publishes.
    "evaluasi:aksi_create": Row(
        "evaluasi:aksi_create", data=aksi_data, expected=PEGAWAI_THEMSELVES
    ),
    "evaluasi:aksi_update": Row(
        "evaluasi:aksi_update",
        args=lambda w: [w.aksi_rencana.pk],
        data=aksi_update_data,
        expected=ABOUT_PEGAWAI | {"pegawai": OK, "mentor": 403},
    ),
    "evaluasi:aksi_status": Row(
        "evaluasi:aksi_status",
        args=lambda w: [w.aksi_berjalan.pk],
        data=lambda w, u: {"langkah": "hentikan", "alasan": "Anggaran dialihkan"},
        expected=ABOUT_PEGAWAI
        | {"pegawai": OK, "mentor": 403, "pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "evaluasi:tonggak_create": Row(
        "evaluasi:tonggak_create",
        args=lambda w: [w.aksi_rencana.pk],
        data=lambda w, u: {"tahap": "pendek", "uraian": "Uji", "jatuh_tempo": "2027-01-15"},
        expected=ABOUT_PEGAWAI | {"pegawai": OK, "mentor": 403},
    ),
    "evaluasi:aksi_publish": Row(
        "evaluasi:aksi_publish",
        args=lambda w: [w.aksi_selesai.pk],
        data=lambda w, u: {"tampilkan": "0"},
        expected=ABOUT_PEGAWAI
        | {"mentor": 403, "pengelola": OK, "pengelola_pegawai": OK, "admin": OK},
    ),
    "evaluasi:tonggak_report": Row(
        "evaluasi:tonggak_report",
        args=lambda w: [w.tonggak_rencana.pk],
        data=lambda w, u: {
            "catatan": "Selesai diuji",
            "keterangan": "Foto loket",
            "file": SimpleUploadedFile("foto.png", image_bytes(), "image/png"),
        },
        expected=ABOUT_PEGAWAI | {"pegawai": OK, "mentor": 403},
    ),
    "evaluasi:tonggak_decide": Row(
        "evaluasi:tonggak_decide",
        args=lambda w: [w.tonggak_dilaporkan.pk],
        data=lambda w, u: {"keputusan": "konfirmasi"},
        expected=ABOUT_PEGAWAI | {"mentor": OK},
    ),
    "evaluasi:keberlanjutan_report": Row(
        "evaluasi:keberlanjutan_report",
        args=lambda w: [w.keberlanjutan.pk],
        data=lambda w, u: {"masih_digunakan": "ya", "uraian": "Masih dipakai setiap hari"},
        expected=ABOUT_PEGAWAI | {"pegawai": OK, "mentor": 403},
    ),
    # Post-training self-reports.
    "evaluasi:laporan_detail": Row(
        "evaluasi:laporan_detail",
        args=lambda w: [w.laporan.pk],
        data=lambda w, u: {
            "perubahan": "Antrean lebih singkat",
            "contoh": "Loket",
            "dampak": "Cepat",
            "kendala": "-",
            "kebutuhan": "-",
            "simpan": "1",
        },
        expected=ABOUT_PEGAWAI | {"pegawai": OK},
    ),
    "evaluasi:laporan_start": Row(
        "evaluasi:laporan_start",
        args=lambda w: [w.p_pegawai_selesai.pk],
        expected=expect(404, pegawai=OK),
        before=lambda client, w: LaporanPascaPelatihan.objects.filter(pk=w.laporan.pk).delete(),
    ),
    "evaluasi:laporan_decide": Row(
        "evaluasi:laporan_decide",
        args=lambda w: [w.laporan_rekan.pk],
        data=lambda w, u: {"keputusan": "verifikasi", "nilai": "3", "komentar": "Baik"},
        expected=ABOUT_PEGAWAI | {"atasan": OK, "rekan": 403, "pegawai": 404},
    ),
    # Citizens: the public forms take anyone.
    "masyarakat:survei": Row(
        "masyarakat:survei",
        args=lambda w: [w.layanan.kode],
        data=lambda w, u: {
            "token": secrets.token_urlsafe(16),
            "usia": "30_39",
            "jenis_kelamin": "P",
            "pendidikan": "s1",
            "pekerjaan": "swasta",
            **dict.fromkeys(KEYS, "4"),
            "saran": "",
        },
        expected=everyone(OK),
    ),
    "inovasi_detail": Row(
        "inovasi_detail",
        args=lambda w: [w.aksi_selesai.pk],
        data=lambda w, u: {"merasakan": "ya", "komentar": "Lebih cepat", "token": "t" * 22},
        expected=everyone(OK),
    ),
    "masyarakat:forum_publik": Row(
        "masyarakat:forum_publik",
        args=lambda w: [w.forum.kode],
        data=lambda w, u: {"nama": "Rahmah", "kontak": "0812000111", "organisasi": "RT 05"},
        expected=everyone(OK),
    ),
    "masyarakat:masukan_create": Row(
        "masyarakat:masukan_create",
        data=lambda w, u: {
            "unit_layanan": w.layanan.pk,
            "kategori": "keluhan",
            "isi": "Antrean poli terlalu lama sekali",
            "nama": "Rahmah",
            "kontak": "0812000111",
        },
        expected=everyone(OK),
    ),
    "masyarakat:forum_batal": Row(
        "masyarakat:forum_batal",
        args=lambda w: [masyarakat_services.batal_token(w.pendaftar_forum)],
        expected=everyone(OK),
    ),
    "masyarakat:berhenti": Row(
        "masyarakat:berhenti",
        args=lambda w: [surel.berhenti_token("r@contoh.id")],
        expected=everyone(OK),
    ),
    "masyarakat:masukan_status": Row(
        "masyarakat:masukan_status",
        args=lambda w: [w.masukan_ditanggapi.kode],
        data=lambda w, u: {"balasan": "Terima kasih, sudah bersih"},
        expected=everyone(OK),
    ),
    # Citizens' input, handled by the HR of the service unit's OPD.
    "masyarakat:forum_list": Row(
        "masyarakat:forum_list",
        data=lambda w, u: {
            "topik": "Forum pelayanan",
            "unit_layanan": w.layanan.pk,
            "waktu": f"{timezone.localdate() + timedelta(days=20):%Y-%m-%d}T09:00",
            "format": "tatap_muka",
            "tempat": "Aula",
            "kapasitas": 30,
            "pendaftaran_dibuka": "on",
            "agenda": "Dialog",
        },
        expected=ORGANISERS | {"pengelola_lain": NOOP, "provinsi": NOOP},
    ),
    "masyarakat:forum_detail": Row(
        "masyarakat:forum_detail",
        args=lambda w: [w.forum.pk],
        data=lambda w, u: {
            "tindakan": "tindak_lanjut",
            "uraian": "Tambah kursi",
            "penanggung_jawab": w.cast.atasan_pegawai.nip,
            "tenggat": "2027-01-31",
            "status": "rencana",
        },
        expected=ORGANISERS | {"pengelola_lain": 404, "provinsi": 404},
    ),
    "masyarakat:masukan_detail": Row(
        "masyarakat:masukan_detail",
        args=lambda w: [w.masukan.pk],
        data=lambda w, u: {"tindakan": "teruskan"},
        # The service unit's officers (assigned) see feedback once forwarded: not this one.
        expected=ORGANISERS
        | {"pengelola_lain": 404, "provinsi": 404, "pegawai": 404, "rekan": 404, "atasan": 404},
    ),
    "masyarakat:masukan_pegawai": Row(
        "masyarakat:masukan_pegawai",
        args=lambda w: [w.pegawai.pk],
        data=lambda w, u: {"masukan": w.masukan_pegawai.pk, "tanggapan": "Mohon maaf"},
        expected=ABOUT_PEGAWAI | {"pegawai": OK},
    ),
    # A login's own notifications: each marks only its own.
    "notifikasi:buka": Row(
        "notifikasi:buka",
        args=lambda w: [w.notifikasi.pk],
        expected=expect(404, pegawai=OK),
    ),
    "notifikasi:baca_semua": Row("notifikasi:baca_semua", expected=expect(NOOP, pegawai=OK)),
    # One's own calendar address: everyone makes (or renews) theirs; only the pegawai has one
    # to revoke.
    "kalender_buat": Row("kalender_buat", expected=expect(OK)),
    "kalender_cabut": Row("kalender_cabut", expected=expect(NOOP, pegawai=OK)),
    "notifikasi:pengaturan": Row(
        "notifikasi:pengaturan",
        data=lambda w, u: {"surel_notifikasi": "mati"},
        expected=expect(OK),
    ),
    # The officers who answer a service unit's forwarded feedback, assigned by its HR.
    "masyarakat:layanan_petugas": Row(
        "masyarakat:layanan_petugas",
        args=lambda w: [w.layanan.pk],
        data=lambda w, u: {"tindakan": "tambah", "nip": w.calon.nip},
        expected=ORGANISERS | {"pengelola_lain": 404, "provinsi": 404},
    ),
    "masyarakat:layanan_petugas:hapus": Row(
        "masyarakat:layanan_petugas",
        args=lambda w: [w.layanan.pk],
        data=lambda w, u: {"tindakan": "hapus", "pegawai": str(w.rekan.pk)},
        expected=ORGANISERS | {"pengelola_lain": 404, "provinsi": 404},
    ),
    # A service unit's volume of services per quarter, entered by its HR.
    "masyarakat:layanan_volume": Row(
        "masyarakat:layanan_volume",
        args=lambda w: [w.layanan.pk],
        data=lambda w, u: {
            "triwulan_1": "1200",
            "triwulan_2": "",
            "triwulan_3": "",
            "triwulan_4": "",
        },  # fmt: skip
        expected=ORGANISERS | {"pengelola_lain": 404, "provinsi": 404},
    ),
    # Talent management: the province's HR and administrators; the committee calibrates.
    "pembinaan:penempatan_calibrate": Row(
        "pembinaan:penempatan_calibrate",
        args=lambda w: [w.penempatan.pk],
        data=lambda w, u: {"kotak": "8", "alasan": "Kalibrasi komite"},
        expected=expect(403, mentor=OK, admin=OK),
    ),
    # Enqueued after the commit: the rolled-back savepoint sends nothing.
    "pembinaan:penempatan_refresh": Row(
        "pembinaan:penempatan_refresh", expected=expect(403, provinsi=NOOP, admin=NOOP)
    ),
    "pembinaan:potensial_create": Row(
        "pembinaan:potensial_create",
        data=lambda w, u: {
            "pegawai": w.pegawai.nip,
            "tanggal": "2026-03-01",
            "sumber": "uji_kompetensi",
            "skor": "75",
        },
        expected=PROVINCE,
    ),  # fmt: skip
    "pembinaan:potensial_import": Row(
        "pembinaan:potensial_import",
        data=lambda w, u: {
            "berkas": SimpleUploadedFile(
                "p.csv",
                f"nip;tanggal;sumber;skor\n{w.pegawai.nip};01/03/2026;rekam_jejak;81".encode(),
            )
        },
        expected=PROVINCE,
    ),  # fmt: skip
    "pembinaan:kritikal_create": Row(
        "pembinaan:kritikal_create",
        data=lambda w, u: {
            "jabatan": w.cast.atasan_pegawai.jabatan.pk,
            "unit": w.cast.yankes.pk,
            "alasan": "Pensiun",
        },
        expected=PROVINCE,
    ),  # fmt: skip
    "pembinaan:kandidat_add": Row(
        "pembinaan:kandidat_add",
        args=lambda w: [w.kritikal.pk],
        data=lambda w, u: {
            "pegawai": w.kandidat_baru.nip,
            "kesiapan": "1_2_tahun",
            "kompetensi": w.kompetensi.pk,
            "level_target": "4",
            "bentuk": "15",
            "jp": "20",
        },
        expected=PROVINCE,
    ),  # fmt: skip
    "pembinaan:kandidat_remove": Row(
        "pembinaan:kandidat_remove", args=lambda w: [w.kandidat.pk], expected=PROVINCE
    ),
    "pembinaan:komite_add": Row(
        "pembinaan:komite_add", data=lambda w, u: {"username": "outsider"}, expected=PROVINCE
    ),
    "pembinaan:komite_remove": Row(
        "pembinaan:komite_remove", args=lambda w: [w.anggota.pk], expected=PROVINCE
    ),
    "pembinaan:klien_api_create": Row(
        "pembinaan:klien_api_create",
        data=lambda w, u: {"nama": "e-Learning BPSDM", "units": [w.cast.bkd.pk], "cakupan": "baca"},
        expected=ADMIN_ONLY,
    ),
    "pembinaan:klien_api_revoke": Row(
        "pembinaan:klien_api_revoke", args=lambda w: [w.klien_api.pk], expected=ADMIN_ONLY
    ),
    # The REST API's writes answer a token, never a session: a signed-in role's POST is refused
    # (401) and changes nothing; tests/pembinaan/test_api_tulis.py posts them with tokens.
    "api:kegiatan_create": Row(
        "api:kegiatan_create",
        data=lambda w, u: kegiatan_data(w, u) | {"nip": w.pegawai.nip},
        expected=everyone(401),
    ),
    "api:nominasi_create": Row(
        "api:nominasi_create",
        args=lambda w: [w.terbuka.pk],
        data=lambda w, u: {"nip": [w.calon.nip]},
        expected=everyone(401),
    ),
    "masyarakat:survei_impor": Row(
        "masyarakat:survei_impor",
        data=lambda w, u: {
            "unit_layanan": w.layanan.pk,
            "tanggal": "2026-11-02",
            "file": survei_file(),
        },
        expected=ORGANISERS | {"pengelola_lain": NOOP, "provinsi": NOOP},
    ),
}

DISIPLIN_DATA = {
    "tingkat": "sedang", "jenis_hukuman": "potong_tukin_6", "nomor_sk": "800/7/BKD/2026",
    "tanggal_sk": "2026-05-04", "tmt": "2026-06-01", "tanggal_selesai": "2026-11-30",
}  # fmt: skip

# Views that only show: a POST (here by the managers, empty) must not write anything.
GET_ONLY = {
    "beranda": lambda w: [],
    "dua_faktor:status": lambda w: [],
    "dua_faktor:kode_cadangan_download": lambda w: [],
    "tugas": lambda w: [],
    "notifikasi:list": lambda w: [],
    "password_change_done": lambda w: [],
    "password_reset_complete": lambda w: [],
    # Single sign-on: GET only (405 to a POST), and not found while not configured.
    "sso_masuk": lambda w: [],
    "sso_kembali": lambda w: [],
    "pembinaan:program_list": lambda w: [],
    "pembinaan:program_detail": lambda w: [w.program_pembinaan.pk],
    "pembinaan:laporan_list": lambda w: [w.program_pembinaan.pk],
    "pembinaan:laporan_detail": lambda w: [w.monitoring.pk],
    "pembinaan:laporan_download": lambda w: [w.monitoring.pk],
    "pembinaan:laporan_download_xlsx": lambda w: [w.monitoring.pk],
    "pembinaan:audit_list": lambda w: [],
    "hari_libur:list": lambda w: [],
    "pembinaan:kebutuhan_list": lambda w: [],
    "pembinaan:akpk_list": lambda w: [],
    "pembinaan:dampak_list": lambda w: [],
    "pembinaan:dampak_pelatihan": lambda w: [w.pelatihan.pk],
    "pelatihan:rencana_saya": lambda w: [],
    "pelatihan:rencana_unit": lambda w: [],
    "pelatihan:rencana_detail": lambda w: [w.rencana_draf.pk],
    "pegawai:list": lambda w: [],
    # The unit pickers' search: GET only, a POST is 405 (tests/pegawai/test_unit_cari.py).
    "pegawai:unit_cari": lambda w: [],
    "pegawai:export_csv": lambda w: [],
    "pegawai:export_xlsx": lambda w: [],
    "pegawai:detail": lambda w: [w.pegawai.pk],
    "pegawai:disiplin_list": lambda w: [w.pegawai.pk],
    "pembinaan:ip_asn_unit": lambda w: [],
    "pembinaan:ip_asn_pegawai": lambda w: [w.pegawai.pk],
    "pegawai:impor_template": lambda w: [],
    "pegawai:riwayat": lambda w: [w.pegawai.pk],
    "pegawai:pindah_keluar": lambda w: [],
    "pegawai:riwayat_dokumen": lambda w: ["golongan", w.riwayat.pk],
    "pegawai:riwayat_impor_template": lambda w: ["golongan"],
    "akun:list": lambda w: [],
    "akun:detail": lambda w: [w.cast.pegawai.pk],
    "pegawai:impor_detail": lambda w: [w.impor.pk],
    "pegawai:siasn_list": lambda w: [],
    "pegawai:siasn_contoh": lambda w: [],
    "pegawai:siasn_detail": lambda w: [w.rekonsiliasi.pk],
    "pegawai:siasn_export": lambda w: [w.rekonsiliasi.pk],
    "pelatihan:list": lambda w: [],
    "pelatihan:detail": lambda w: [w.pelatihan.pk],
    "pelatihan:angkatan_detail": lambda w: [w.berjalan.pk],
    "pelatihan:sertifikat_pdf": lambda w: [w.p_pegawai_selesai.pk],
    "pelatihan:kompetensi_list": lambda w: [],
    "pelatihan:kompetensi_unit": lambda w: [],
    "pelatihan:jp_saya": lambda w: [],
    "pembinaan:jp_kepatuhan": lambda w: [],
    "pembinaan:talenta_index": lambda w: [],
    "pembinaan:penempatan_list": lambda w: [],
    "pembinaan:talenta_pool": lambda w: [],
    "pembinaan:penempatan_detail": lambda w: [w.penempatan.pk],
    "pembinaan:kritikal_list": lambda w: [],
    "pembinaan:kritikal_detail": lambda w: [w.kritikal.pk],
    "pembinaan:komite_list": lambda w: [],
    "pembinaan:talenta_saya": lambda w: [],
    "pelatihan:siasn_export": lambda w: [],
    "pelatihan:beasiswa_list": lambda w: [],
    "pelatihan:mitra_list": lambda w: [],
    "pelatihan:kegiatan_verifikasi": lambda w: [],
    "pelatihan:kegiatan_file": lambda w: [w.kegiatan.pk],
    "pelatihan:kegiatan_list": lambda w: [],
    "pelatihan:kegiatan_berlaku": lambda w: [],
    "pelatihan:aturan_jp_list": lambda w: [],
    "pelatihan:pendaftaran_dokumen": lambda w: [w.pendaftaran.pk],
    "pelatihan:kerja_sama_dokumen": lambda w: [w.kerja_sama.pk],
    "evaluasi:index": lambda w: [],
    "evaluasi:periode_detail": lambda w: [w.periode.pk],
    "evaluasi:kinerja_pegawai": lambda w: [w.pegawai.pk],
    "evaluasi:angkatan_evaluasi": lambda w: [w.selesai.pk],
    "evaluasi:pelatihan_evaluasi": lambda w: [w.pelatihan.pk],
    "evaluasi:berkas_detail": lambda w: [w.berkas.pk],
    "evaluasi:berkas_download": lambda w: [w.berkas.pk],
    "evaluasi:berkas_download_xlsx": lambda w: [w.berkas.pk],
    "evaluasi:iklim_hasil": lambda w: [w.putaran.pk],
    "evaluasi:aksi_list": lambda w: [],
    "evaluasi:aksi_detail": lambda w: [w.aksi_berjalan.pk],
    "evaluasi:bukti_download": lambda w: [w.bukti.pk],
    "evaluasi:laporan_list": lambda w: [],
    "evaluasi:laporan_lampiran": lambda w: [w.laporan.pk],
    "verifikasi": lambda w: [w.p_pegawai_selesai.sertifikat.kode],
    "masyarakat:survei_terima_kasih": lambda w: [w.layanan.kode],
    "masyarakat:warga": lambda w: [],
    "inovasi_galeri": lambda w: [],
    "data_terbuka": lambda w: [],
    "data_terbuka_csv": lambda w: ["forum-dialog"],
    "data_terbuka_zip": lambda w: [],
    "masyarakat:masukan_petugas": lambda w: [],
    "masyarakat:masukan_list": lambda w: [],
    "masyarakat:ikm": lambda w: [],
    "pembinaan:dampak_layanan": lambda w: [w.layanan.pk],
    "masyarakat:survei_impor_templat": lambda w: [],
    "kalender_saya": lambda w: [],
    "kalender_feed": lambda w: [w.kalender.token],
    "pelatihan:angkatan_kalender": lambda w: [w.berjalan.pk],
    "pelatihan:kalender_unit": lambda w: [],
    "pembinaan:klien_api_list": lambda w: [],
    "pembinaan:klien_api_token": lambda w: [],
    # The REST API's reads: a POST is refused (401 without a token) and writes nothing.
    **{
        f"api:{name}": lambda w: []
        for name in [
            "unit_kerja_list",
            "pegawai_list",
            "pelatihan_list",
            "angkatan_list",
            "peserta_list",
            "sertifikat_list",
            "jp_list",
            "catatan_jp_list",
            "jp_kepatuhan",
            "ikm_list",
            "siasn_riwayat_kursus",
            "schema",
            "docs",
        ]
    },
    "api:pegawai_detail": lambda w: [w.pegawai.nip],
    # The operators' endpoints: a POST is 405.
    "healthz": lambda w: [],
    "metrics": lambda w: [],
}


def test_every_url_of_the_project_is_in_the_post_matrix_or_shows_only():
    names = set(url_names())
    in_matrix = {row.url for row in MATRIX.values()}
    assert in_matrix & set(GET_ONLY) == set(), "a view is either state-changing or not"
    assert names - in_matrix - set(GET_ONLY) == set(), "add these views to the POST matrix"
    assert (in_matrix | set(GET_ONLY)) - names == set(), "these views no longer exist"


# --- Running it ------------------------------------------------------------------------------


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login") + "?")


def _post(client, url, data, world, row=None):
    """POST in a savepoint rolled back afterwards: the tables it changed, and the response."""
    cache.clear()  # the public forms' rate limits count per address
    with transaction.atomic():
        if row is not None and row.before is not None:
            row.before(client, world)
        before = snapshot()
        response = client.post(url, data)
        diff = changed(before, snapshot())
        transaction.set_rollback(True)
    return response, diff


def _wrong(role, want, response, diff) -> str | None:
    status = response.status_code
    to_login = _is_login_redirect(response)
    if want == LOGIN:
        right = to_login and not diff
    elif want == OK:
        right = status < 400 and not to_login and bool(diff)
    elif want == NOOP:
        right = status < 400 and not to_login and not diff
    else:
        right = status == want and not diff
    if right:
        return None
    where = f" → {response['Location']}" if status in (301, 302) else ""
    return f"{role}: expected {want}, got {status}{where}, changed {diff or 'nothing'}"


def _user(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def _params():
    return [pytest.param(name, id=name) for name in MATRIX]


@pytest.mark.parametrize("name", _params())
def test_each_role_posting_gets_its_status_and_a_refusal_changes_nothing(client, world, name):
    row = MATRIX[name]
    url = reverse(row.url, args=row.args(world))
    allowed = {OK, NOOP}
    # Refused first, allowed last: each in its own rolled-back savepoint anyway.
    order = sorted(row.expected, key=lambda role: row.expected[role] in allowed)
    wrong = []
    for role in order:
        client.logout()
        user = _user(world.cast, role)
        if user is not None:
            client.force_login(user)
        response, diff = _post(client, url, row.data(world, user), world, row)
        problem = _wrong(role, row.expected[role], response, diff)
        if problem:
            wrong.append(problem)
    assert wrong == [], f"POST {url}"


# The evaluation files, their status and the monitoring workbook: read by GET only, so a POST
# is 405 for every role (anonymous: sent to log in), whoever requested the file, and nothing
# changes.
GET_ONLY_405 = [
    "evaluasi:berkas_detail",
    "evaluasi:berkas_download",
    "evaluasi:berkas_download_xlsx",
    "pembinaan:laporan_download",
    "pembinaan:laporan_download_xlsx",
]


@pytest.mark.parametrize("name", GET_ONLY_405)
def test_a_file_url_answers_a_post_with_405_and_changes_nothing(client, world, name):
    url = reverse(name, args=GET_ONLY[name](world))
    wrong = []
    for role in ROLES:
        client.logout()
        user = _user(world.cast, role)
        if user is not None:
            client.force_login(user)
        response, diff = _post(client, url, {}, world)
        problem = _wrong(role, LOGIN if user is None else 405, response, diff)
        if problem:
            wrong.append(problem)
    assert wrong == [], f"POST {url}"


def test_a_view_that_only_shows_writes_nothing_when_posted(client, world):
    wrong = []
    for name, args in GET_ONLY.items():
        url = reverse(name, args=args(world))
        for role in ["admin", "pengelola"]:
            client.force_login(getattr(world.cast, role))
            response, diff = _post(client, url, {}, world)
            if diff or response.status_code >= 500:
                wrong.append(f"{role} POST {url}: {response.status_code}, changed {diff}")
    assert wrong == []


def test_a_url_opened_the_wrong_way_says_so_in_words_not_a_blank_page(client, world):
    """405 keeps its Allow header and changes nothing; the page tells what happened."""
    client.force_login(world.cast.admin)
    url = reverse("pembinaan:laporan_download", args=GET_ONLY["pembinaan:laporan_download"](world))
    response, diff = _post(client, url, {}, world)
    assert response.status_code == 405 and response["Allow"] == "GET" and not diff
    assert "Cara membuka halaman ini tidak didukung" in response.content.decode()
    asked = client.get(reverse("evaluasi:berkas_request", args=["unit", world.periode_unit.pk]))
    assert asked.status_code == 405 and "mengirim formulirnya" in asked.content.decode()
