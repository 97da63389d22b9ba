"""Demo service units with a year of satisfaction survey responses each."""

import random
from datetime import date, timedelta

from pegawai.models import UnitKerja

from . import rekap
from .models import ResponSurvei, UnitLayanan
from .referensi import KEYS, PEKERJAAN, PENDIDIKAN, USIA

LAYANAN = [
    ("DINKES.YANKES", "Poli Umum Puskesmas Rawasari", "poli-rawasari", 0.80),
    ("DPMPTSP", "Perizinan Berusaha Terpadu", "perizinan-ptsp", 0.65),
    ("DISDUKCAPIL", "Pelayanan KTP-el dan Kartu Keluarga", "ktp-kk", 0.55),
    ("RSUD", "Instalasi Rawat Jalan RSUD Raden Mattaher", "rawat-jalan-rsud", 0.72),
]


def seed() -> None:
    rng = random.Random(9)
    for kode_unit, nama, kode, mood in LAYANAN:
        unit = UnitKerja.objects.filter(kode=kode_unit).first()
        if unit is None:
            continue
        layanan, made = UnitLayanan.objects.get_or_create(
            kode=kode, defaults={"unit": unit, "nama": nama}
        )
        if not made or layanan.respon.exists():
            continue
        rows = []
        for i in range(240):
            day = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 330))
            answers = {k: _answer(rng, mood) for k in KEYS}
            if rng.random() < 0.3:
                answers["u4"] = None  # insured patients do not rate the cost
            rows.append(
                ResponSurvei(
                    unit_layanan=layanan,
                    tanggal=day,
                    usia=rng.choice(USIA)[0],
                    jenis_kelamin=rng.choice("LP"),
                    pendidikan=rng.choice(PENDIDIKAN)[0],
                    pekerjaan=rng.choice(PEKERJAAN)[0],
                    sumber="daring" if i % 3 else "kertas",
                    **answers,
                )
            )
        ResponSurvei.objects.bulk_create(rows)
        rekap.tambah(rows)


def _answer(rng, mood: float) -> int:
    roll = rng.random()
    return 4 if roll < mood * 0.6 else 3 if roll < mood + 0.15 else 2 if roll < 0.97 else 1


# Each text with the service unit it is about (by its code in LAYANAN).
MASUKAN = [
    ("poli-rawasari", "keluhan", "Antrean di loket poli umum lebih dari dua jam pada hari Senin.",
     "diterima"),
    ("rawat-jalan-rsud", "saran",
     "Sebaiknya ada nomor antrean daring agar warga tidak menunggu di lokasi.", "diteruskan"),
    ("perizinan-ptsp", "apresiasi",
     "Petugas perizinan sangat membantu menjelaskan persyaratan usaha.", "ditanggapi"),
    ("ktp-kk", "harapan", "Semoga layanan KTP-el bisa dilakukan di kecamatan tanpa ke kota.",
     "selesai"),
    ("perizinan-ptsp", "keluhan", "Beli produk pelangsing murah klik tautan ini!!!", "spam"),
    ("ktp-kk", "keluhan", "Pelayanan buruk.", "ditolak"),
]  # fmt: skip


def seed_masukan() -> None:
    from . import services
    from .models import Masukan

    layanan = {u.kode: u for u in UnitLayanan.objects.order_by("pk")}
    if not layanan or Masukan.objects.exists():
        return
    for index, (kode, kategori, isi, state) in enumerate(MASUKAN):
        if kode not in layanan:  # its unit kerja is not in this database
            continue
        masukan = Masukan.objects.create(
            unit_layanan=layanan[kode],
            kategori=kategori,
            isi=isi,
            nama="Warga Telanaipura" if index % 2 else "",
            kontak="0812345678" if index % 2 else "",
            anonim=index == 2,
        )
        if state in ("spam", "ditolak"):
            reason = (
                "Promosi, bukan masukan layanan."
                if state == "spam"
                else "Tidak menyebut layanan dan waktunya; silakan kirim ulang dengan rincian."
            )
            action = "spam" if state == "spam" else "tolak"
            services.masukan_moderate(masukan=masukan, action=action, alasan=reason)
        if state in ("diteruskan", "ditanggapi", "selesai"):
            services.masukan_moderate(masukan=masukan, action="teruskan")
        if state in ("ditanggapi", "selesai"):
            services.masukan_respond(
                masukan=masukan,
                tanggapan="Terima kasih; masukan ini kami bahas dalam rapat evaluasi layanan.",
            )
        if state == "selesai":
            services.masukan_close(masukan=masukan)


def seed_forum() -> None:
    """A past forum with minutes, inputs and follow-up actions, and an upcoming one."""
    from django.utils import timezone

    from pegawai.models import Pegawai

    from . import services
    from .models import ForumDialog, TindakLanjut

    layanan = UnitLayanan.objects.filter(kode="poli-rawasari").first()
    if layanan is None or ForumDialog.objects.exists():
        return
    past = ForumDialog.objects.create(
        topik="Mempercepat antrean Poli Umum Puskesmas Rawasari",
        unit_layanan=layanan,
        waktu=timezone.now() + timedelta(days=1),  # registration is open only before it
        format="hibrida",
        tempat="Aula Puskesmas Rawasari",
        kapasitas=40,
        agenda="Paparan data antrean; tanya jawab warga; kesepakatan tindak lanjut.",
    )
    for n, nama in enumerate(("Rahmah", "Syafri", "Kelompok Posyandu Melati")):
        services.forum_register(forum=past, nama=nama, kontak=f"0812 7770 00{n}0")
    ForumDialog.objects.filter(pk=past.pk).update(waktu=timezone.now() - timedelta(days=40))
    services.forum_close(
        forum=past,
        notulen="Warga mengeluhkan antrean pagi; disepakati uji coba antrean daring.",
        jumlah_hadir=31,
        masukan=[
            ("saran", "Sediakan nomor antrean lewat WhatsApp."),
            ("keluhan", "Loket pendaftaran sering kosong pukul 08.00–08.30."),
        ],
    )
    owner = Pegawai.objects.filter(user__username="atasan").first()
    if owner:
        TindakLanjut.objects.create(
            forum=past,
            uraian="Uji coba antrean daring",
            penanggung_jawab=owner,
            tenggat=timezone.localdate() + timedelta(days=30),
            status="berjalan",
        )
        TindakLanjut.objects.create(
            forum=past,
            uraian="Petugas loket hadir pukul 07.45",
            penanggung_jawab=owner,
            tenggat=timezone.localdate() - timedelta(days=10),
            status="selesai",
        )
    # The Seksi's officers (the demo pegawai and atasan) are named at the forums of their
    # Puskesmas: the duties their calendar feed shows (pembinaan.kalender).
    officers = list(Pegawai.objects.filter(user__username__in=["atasan", "pegawai"]))
    past.pegawai.add(*officers)
    start = timezone.localtime(timezone.now() + timedelta(days=7))
    upcoming = ForumDialog.objects.create(
        topik="Evaluasi uji coba antrean daring Puskesmas Rawasari",
        unit_layanan=layanan,
        waktu=start.replace(hour=9, minute=0, second=0, microsecond=0),  # 09.00 WIB
        format="tatap_muka",
        tempat="Aula Puskesmas Rawasari",
        kapasitas=40,
        agenda="Hasil sebulan uji coba antrean daring; masukan warga; langkah berikutnya.",
    )
    upcoming.pegawai.add(*officers)
    ForumDialog.objects.create(
        topik="Layanan KTP-el di kecamatan",
        unit_layanan=UnitLayanan.objects.filter(kode="ktp-kk").first() or layanan,
        waktu=timezone.now() + timedelta(days=14),
        format="tatap_muka",
        tempat="Kantor Camat Telanaipura",
        kapasitas=50,
        agenda="Rencana layanan jemput bola; masukan warga.",
    )


# The feedback inbox (issue 19): for the HR of Dinas Kesehatan two to verify (one late), for the
# officers HR assigned to Poli Umum Rawasari and the Seksi's mobile clinic (the pegawai and atasan
# of its Seksi) two forwarded to answer
# (one past its SLA, followed up by HR) and one past its SLA at the mobile clinic (the atasan, who
# heads the Seksi, sees it once, as an officer). One answered and rated, for the ratings per unit.
TUGAS = [
    # kode, layanan, isi, status, days since received, days since forwarded, rating
    ("DEMVERIFA2B3", "poli-rawasari", "Toilet ruang tunggu poli umum tidak ada air sejak pagi.",
     "diterima", 1, None, None),
    ("DEMVERIFC4D5", "poli-rawasari", "Dokter poli umum datang terlambat satu jam hari Kamis.",
     "diterima", 6, None, None),
    ("DEMLAYANE6F7", "poli-rawasari", "Mohon disediakan kursi roda di pintu masuk puskesmas.",
     "diteruskan", 3, 2, None),
    ("DEMLAYANG8H9", "poli-rawasari", "Hasil laboratorium dijanjikan dua hari, sudah seminggu.",
     "diteruskan", 16, 14, None),
    ("DEMPUSLJ2K3", "pusling", "Puskesmas keliling tidak datang ke RT 07 bulan ini.",
     "diteruskan", 15, 13, None),
    ("DEMNILAL4M5", "poli-rawasari", "Antrean obat di apotek puskesmas panjang sekali.",
     "ditanggapi", 20, 18, 4),
]  # fmt: skip


def seed_tugas() -> None:
    from django.utils import timezone

    from pegawai.models import Pegawai

    from .models import Masukan

    seksi = UnitKerja.objects.filter(kode="DINKES.YANKES.1").first()
    if seksi is not None:
        UnitLayanan.objects.get_or_create(
            kode="pusling", defaults={"unit": seksi, "nama": "Puskesmas Keliling Rawasari"}
        )
    officers = Pegawai.objects.filter(user__username__in=["atasan", "pegawai"])
    for layanan in UnitLayanan.objects.filter(kode__in=["poli-rawasari", "pusling"]):
        layanan.petugas.add(*officers)
    now = timezone.now()
    for kode, layanan_kode, isi, status, received, forwarded, nilai in TUGAS:
        layanan = UnitLayanan.objects.filter(kode=layanan_kode).first()
        if layanan is None or Masukan.objects.filter(kode=kode).exists():
            continue
        masukan = Masukan.objects.create(
            kode=kode, unit_layanan=layanan, kategori="keluhan", isi=isi, status=status,
            email="warga.rawasari@contoh.id", nama="Warga Rawasari",
            dimoderasi_at=now - timedelta(days=forwarded) if forwarded is not None else None,
        )  # fmt: skip
        if status == "ditanggapi":
            masukan.tanggapan = "Loket apotek kedua dibuka setiap pagi mulai bulan ini."
            masukan.ditanggapi_at = now - timedelta(days=10)
            masukan.nilai_tanggapan, masukan.ulasan_tanggapan = nilai, "Sekarang lebih cepat."
            masukan.dinilai_at = now - timedelta(days=9)
            masukan.save()
        Masukan.objects.filter(pk=masukan.pk).update(created_at=now - timedelta(days=received))
