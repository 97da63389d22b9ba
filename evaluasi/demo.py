"""Demo performance evaluation: a quarterly period for Dinas Kesehatan in which the atasan have
rated their subordinates (most of them acknowledged; up to DEMO_SAMPLE), an annual one still
open, and the post-training self-reports of the completed demo batch in every state; change
projects in every status."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pegawai.models import Pegawai, UnitKerja, User
from pembinaan.lib.dates import add_months

from . import services
from .models import BuktiTonggak, LaporanPascaPelatihan, PeriodePenilaian, TonggakAksi

SPREAD = (
    [("di_atas", "di_atas")] * 2
    + [("sesuai", "sesuai")] * 6
    + [
        ("sesuai", "di_atas"),
        ("di_bawah", "sesuai"),
        ("di_atas", "sesuai"),
        ("sesuai", "di_bawah"),
    ]
)

# The ratings and the climate answers go through the services one pegawai at a time, as an
# atasan and a pegawai would make them (~10 queries each). At provincial scale Dinas Kesehatan
# holds thousands of pegawai: this many of them (the demo logins first) carry the demo, the
# benchmark's SQL fillers carry the bulk.
DEMO_SAMPLE = 600


def _dinkes_sample(dinkes: UnitKerja):
    """The first DEMO_SAMPLE active pegawai of Dinas Kesehatan with a supervisor, in order of
    creation: the demo logins are made first."""
    return (
        Pegawai.objects.aktif()
        .di_unit(dinkes)
        .filter(atasan__isnull=False)
        .order_by("pk")[:DEMO_SAMPLE]
    )


@transaction.atomic  # one commit, and a failure leaves nothing for the guards below to skip
def seed() -> None:
    _seed_laporan()
    _seed_laporan_atasan()
    if PeriodePenilaian.objects.exists():
        return
    rng = random.Random(3)
    dinkes = UnitKerja.objects.get(kode="DINKES")
    pengelola = User.objects.get(username="pengelola")
    quarter = services.periode_open(
        periode=PeriodePenilaian(
            nama="Triwulan III 2026",
            jenis="triwulan",
            tanggal_mulai=date(2026, 7, 1),
            tanggal_selesai=date(2026, 9, 30),
        ),
        units=[dinkes],
        by=pengelola,
    )
    for pegawai in _dinkes_sample(dinkes).select_related("atasan"):
        hasil, perilaku = rng.choice(SPREAD)
        rating = services.penilaian_save(
            periode=quarter,
            pegawai=pegawai,
            penilai=pegawai.atasan,
            hasil_kerja=hasil,
            perilaku_kerja=perilaku,
        )
        if rng.random() < 0.7:
            services.penilaian_acknowledge(penilaian=rating)
    services.periode_close(periode=quarter)
    _seed_tahun_lalu(dinkes, pengelola)
    services.periode_open(
        periode=PeriodePenilaian(
            nama="Tahunan 2026",
            jenis="tahunan",
            tanggal_mulai=date(2026, 1, 1),
            tanggal_selesai=date(2026, 12, 31),
        ),
        units=[dinkes],
        by=pengelola,
    )


def _seed_tahun_lalu(dinkes: UnitKerja, pengelola: User) -> None:
    """Last year's annual period, closed, with the predicates of the demo atasan and their
    staff: a scholarship application reads them instead of asking for a declaration."""
    year = timezone.localdate().year - 1
    periode = services.periode_open(
        periode=PeriodePenilaian(
            nama=f"Tahunan {year}",
            jenis="tahunan",
            tanggal_mulai=date(year, 1, 1),
            tanggal_selesai=date(year, 12, 31),
        ),
        units=[dinkes],
        by=pengelola,
    )
    atasan = User.objects.get(username="atasan").pegawai_profil
    people = Pegawai.objects.aktif().filter(Q(atasan=atasan) | Q(pk=atasan.pk))
    for pegawai in people.filter(atasan__isnull=False).select_related("atasan"):
        services.penilaian_save(
            periode=periode, pegawai=pegawai, penilai=pegawai.atasan, hasil_kerja="sesuai",
            perilaku_kerja="sesuai",
        )  # fmt: skip
    services.periode_close(periode=periode)


TEXT = {
    "perubahan": "Pendaftaran pasien dan rekam medis kini saya kerjakan di SIMRS, bukan kertas.",
    "contoh": "Rekam medis rujukan dikirim elektronik; mencari berkas dari 15 menit jadi 1 menit.",
    "dampak": "Waktu tunggu pasien di loket berkurang sekitar 20 menit.",
    "kendala": "Jaringan internet di puskesmas pembantu sering putus.",
    "kebutuhan": "Pelatihan analisis data kunjungan untuk perencanaan layanan.",
}


def _seed_laporan() -> None:
    """Reports of the completed demo batch, one in every state. The demo logins move theirs
    through the real transitions; the rest are set directly, since their pegawai have no login."""
    services.laporan_sync()
    if LaporanPascaPelatihan.objects.exclude(status="belum_diisi").exists():
        return
    pegawai_user = User.objects.get(username="pegawai")
    mine = LaporanPascaPelatihan.objects.filter(pegawai__user=pegawai_user).first()
    if mine:
        services.laporan_transition(laporan=mine, action="simpan", by=pegawai_user, data=TEXT)
    others = list(
        LaporanPascaPelatihan.objects.exclude(pegawai__user=pegawai_user)
        .select_related("pegawai")
        .order_by("pk")
    )
    states = ["diajukan", "dikembalikan", "diverifikasi", "diverifikasi", "draf"]
    now = timezone.now()
    for laporan, state in zip(others, states, strict=False):
        decided = state in ("dikembalikan", "diverifikasi")
        LaporanPascaPelatihan.objects.filter(pk=laporan.pk).update(
            status=state,
            **TEXT,
            diajukan_at=now - timedelta(days=30) if state != "draf" else None,
            diputuskan_at=now - timedelta(days=20) if decided else None,
            penilai=laporan.pegawai.atasan if decided else None,
            nilai_perubahan=3 if state == "diverifikasi" else None,
            komentar_atasan="Sertakan data waktu tunggu sebelum dan sesudah."
            if state == "dikembalikan"
            else ("Perubahan nyata dan terukur." if state == "diverifikasi" else ""),
        )


# How long the demo atasan's subordinates' reports have waited for them: one past the 14 days
# the inbox gives an atasan (overdue there, and escalated to the atasan's own atasan).
MENUNGGU_ATASAN = [20, 3]


def _seed_laporan_atasan() -> None:
    """Reports waiting for the demo atasan: two of their staff without a login passed the
    completed demo batch and submitted, one long ago and one this week."""
    from pelatihan.models import Angkatan, Peserta

    atasan = User.objects.get(username="atasan").pegawai_profil
    batch = Angkatan.objects.filter(status=Angkatan.Status.SELESAI).order_by("pk").first()
    if atasan is None or batch is None:
        return
    staff = list(
        Pegawai.objects.aktif().filter(atasan=atasan, user__isnull=True).order_by("pk")[:2]
    )
    if Peserta.objects.filter(angkatan=batch, pegawai__in=staff).exists():
        return
    from pelatihan.models import Kehadiran
    from pelatihan.services import peserta_decide

    now = timezone.now()
    for pegawai in staff:
        # Passed as HR passes anyone: present every day, the post-test above the pass mark,
        # then decided through the service (JP credited, certificate issued).
        peserta = Peserta.objects.create(
            angkatan=batch, pegawai=pegawai, status=Peserta.Status.TERDAFTAR, nilai_pre=60,
            nilai_post=max(82, batch.nilai_lulus),
        )  # fmt: skip
        Kehadiran.objects.bulk_create(
            Kehadiran(sesi=sesi, peserta=peserta, hadir=True) for sesi in batch.sesi.all()
        )
        peserta_decide(peserta=peserta, lulus=True)
        Peserta.objects.filter(pk=peserta.pk).update(diputuskan_at=now - timedelta(days=200))
    services.laporan_sync()
    for pegawai, days in zip(staff, MENUNGGU_ATASAN, strict=False):
        LaporanPascaPelatihan.objects.filter(pegawai=pegawai, peserta__angkatan=batch).update(
            status=LaporanPascaPelatihan.Status.DIAJUKAN,
            **TEXT,
            diajukan_at=now - timedelta(days=days),
        )


@transaction.atomic
def seed_iklim() -> None:
    """Two rounds of the work-climate survey for Dinas Kesehatan; support from the atasan is low
    in the first and better in the second."""
    from .models import PutaranIklim

    if PutaranIklim.objects.exists():
        return
    rng = random.Random(12)
    dinkes = UnitKerja.objects.get(kode="DINKES")
    pengelola = User.objects.get(username="pengelola")
    staff = list(_dinkes_sample(dinkes).select_related("unit"))
    pegawai_user = User.objects.get(username="pegawai")
    for nama, start, atasan_mood in (
        ("Semester I 2026", date(2026, 1, 5), 2),
        ("Semester II 2026", date(2026, 7, 1), 3),
    ):
        putaran = PutaranIklim.objects.create(
            nama=nama,
            tanggal_mulai=start,
            tanggal_selesai=start.replace(month=start.month + 5),
            dibuka_oleh=pengelola,
        )
        putaran.units.set([dinkes])
        for pegawai in staff:
            if rng.random() < 0.75:
                # Statements 3 and 4 are about the atasan: lower by (4 - atasan_mood).
                penalty = {3: 4 - atasan_mood, 4: 4 - atasan_mood}
                scores = {
                    f"p{n}": max(1, rng.choice([3, 4, 4, 5]) - penalty.get(n, 0))
                    for n in range(1, 13)
                }
                teks = rng.choice(
                    ["", "", "Arahan atasan jarang diberikan.", "Beban administrasi."]
                )
                if start.month == 7 and pegawai.user_id == pegawai_user.pk:
                    continue  # the open round still waits for the demo pegawai (the inbox)
                services.iklim_answer(putaran=putaran, pegawai=pegawai, jawaban=scores, teks=teks)
        if start.month == 1:
            putaran.status = PutaranIklim.Status.DITUTUP
            putaran.save(update_fields=["status"])


AKSI = [
    # title, service, problem, innovation, benefit, result, status, months since start
    (
        "Antrean daring poli gigi",
        "Poli gigi RSUD",
        "Pasien datang subuh untuk mengambil nomor antrean poli gigi.",
        "Nomor antrean diambil lewat WhatsApp sehari sebelumnya.",
        "Pasien tidak lagi menunggu berjam-jam di rumah sakit.",
        "",
        "rencana",
        0,
    ),
    (
        "Rujukan elektronik puskesmas ke RSUD",
        "Rujukan pasien",
        "Surat rujukan kertas sering hilang atau tidak terbaca.",
        "Rujukan dikirim elektronik dari puskesmas, lengkap dengan ringkasan medis.",
        "Pasien rujukan dilayani tanpa mengulang pemeriksaan.",
        "Rujukan dari 14 puskesmas kini elektronik; tidak ada rujukan yang hilang sejak Juli.",
        "selesai",
        5,
    ),
    (
        "Layanan imunisasi keliling di desa terpencil",
        "Imunisasi anak",
        "Cakupan imunisasi di desa jauh dari puskesmas rendah.",
        "Jadwal imunisasi keliling bulanan bersama posyandu dan pemerintah desa.",
        "Anak di desa terpencil mendapat imunisasi lengkap tanpa ke kota.",
        "Cakupan imunisasi dasar lengkap naik dari 71% menjadi 89% di 6 desa.",
        "berkelanjutan",
        14,
    ),
    (
        "Aplikasi pengingat minum obat TB",
        "Pengobatan TB",
        "Pasien TB putus obat sebelum enam bulan.",
        "Pengingat harian lewat aplikasi vendor.",
        "Pasien TB menuntaskan pengobatan.",
        "",
        "berhenti",
        9,
    ),
]

RESPON_WARGA = [
    (True, "Anak saya diimunisasi di balai desa, tidak perlu ke puskesmas lagi."),
    (True, "Jadwalnya jelas setiap bulan."),
    (False, "Di desa kami belum ada."),
    (True, ""),
]


def seed_aksi() -> None:
    """Change projects in every status: the demo pegawai's own under way (one milestone confirmed
    by the demo atasan, one waiting), and others of Dinas Kesehatan planned, completed and
    published, lasting after 12 months, and stopped."""
    from .models import AksiPerubahan

    if AksiPerubahan.objects.exists():
        return
    today = timezone.localdate()
    pegawai_user = User.objects.get(username="pegawai")
    atasan_user = User.objects.get(username="atasan")
    own = services.aksi_register(
        aksi=AksiPerubahan(
            judul="Pendaftaran pasien rawat jalan lewat SIMRS",
            masalah="Pendaftaran manual membuat antrean loket sampai 45 menit.",
            layanan="Pendaftaran rawat jalan",
            inovasi="Formulir pendaftaran di SIMRS dan kios mandiri di lobi.",
            manfaat="Waktu tunggu di loket berkurang; data pasien tidak ditulis ulang.",
            mentor=atasan_user.pegawai_profil,
            coach="Widyaiswara BPSDM Provinsi Jambi",
            tanggal_mulai=today - timedelta(days=60),
        ),
        by=pegawai_user,
    )
    steps = [
        ("pendek", "Menyusun alur pendaftaran baru bersama petugas loket", -40),
        ("pendek", "Uji coba kios mandiri selama dua minggu", -10),
        ("menengah", "Seluruh loket rawat jalan memakai SIMRS", 60),
    ]
    tonggak = [
        services.tonggak_add(
            aksi=own,
            tonggak=TonggakAksi(tahap=tahap, uraian=uraian, jatuh_tempo=today + timedelta(days=d)),
            by=pegawai_user,
        )
        for tahap, uraian, d in steps
    ]
    services.aksi_transition(aksi=own, action="mulai", by=pegawai_user)
    for item, evidence in zip(tonggak[:2], ["Notulen rapat alur", "Rekap uji coba"], strict=True):
        services.tonggak_report(
            tonggak=item,
            by=pegawai_user,
            catatan="Sudah dikerjakan bersama tim loket.",
            bukti=[BuktiTonggak(keterangan=evidence, tautan="https://rsud.jambiprov.go.id/")],
        )
    services.tonggak_decide(tonggak=tonggak[0], by=atasan_user, confirm=True)
    _seed_aksi_lain(today)


def _seed_aksi_lain(today: date) -> None:
    """Projects of pegawai without a login, set straight into their states."""
    from .models import AksiPerubahan, LaporanKeberlanjutan, ResponWargaAksi

    staff = list(
        Pegawai.objects.aktif()
        .filter(unit__kode__startswith="DINKES", atasan__isnull=False, user__isnull=True)
        .order_by("pk")[: len(AKSI)]
    )
    now = timezone.now()
    for pegawai, row in zip(staff, AKSI, strict=False):
        judul, layanan, masalah, inovasi, manfaat, hasil, status, months = row
        started = add_months(today, -months)
        aksi = AksiPerubahan(
            pegawai=pegawai, unit_id=pegawai.unit_id, mentor_id=pegawai.atasan_id,
            judul=judul, layanan=layanan, masalah=masalah, inovasi=inovasi, manfaat=manfaat,
            hasil=hasil, status=status, tanggal_mulai=started,
            alasan_berhenti="Aplikasi vendor tidak lagi didukung setelah kontrak berakhir."
            if status == "berhenti" else "",
            dimulai_at=None if status == "rencana" else now - timedelta(days=30 * months),
            selesai_at=now - timedelta(days=30 * (months - 3))
            if status in ("selesai", "berkelanjutan") else None,
            dipublikasikan_at=now if status in ("selesai", "berkelanjutan") else None,
        )  # fmt: skip
        aksi.full_clean()
        aksi.save()
        services.keberlanjutan_schedule(aksi=aksi)
        TonggakAksi.objects.create(
            aksi=aksi,
            tahap="pendek",
            uraian="Uji coba di satu unit layanan",
            jatuh_tempo=add_months(started, 1),
            status="rencana" if status == "rencana" else "dikonfirmasi",
            dikonfirmasi_oleh=None if status == "rencana" else pegawai.atasan,
            dikonfirmasi_at=None if status == "rencana" else now,
        )
        if status == "berkelanjutan":
            LaporanKeberlanjutan.objects.filter(aksi=aksi).update(
                masih_digunakan=True,
                uraian="Jadwal keliling tetap berjalan tiap bulan dengan dana desa.",
                dilaporkan_at=now,
            )
            ResponWargaAksi.objects.bulk_create(
                ResponWargaAksi(aksi=aksi, merasakan=m, komentar=k) for m, k in RESPON_WARGA
            )
