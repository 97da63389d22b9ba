"""Demo performance evaluation: a quarterly period for Dinas Kesehatan in which each atasan has
rated their subordinates (most of them acknowledged), an annual one still open, and the
post-training self-reports of the completed demo batch in every state."""

import random
from datetime import date

from pegawai.models import Pegawai, UnitKerja, User

from . import services
from .models import LaporanPascaPelatihan, PeriodePenilaian

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


def seed() -> None:
    _seed_laporan()
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
    staff = (
        Pegawai.objects.aktif()
        .di_unit(dinkes)
        .filter(atasan__isnull=False)
        .select_related("atasan")
    )
    for pegawai in staff:
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
    for laporan, state in zip(others, states, strict=False):
        decided = state in ("dikembalikan", "diverifikasi")
        LaporanPascaPelatihan.objects.filter(pk=laporan.pk).update(
            status=state,
            **TEXT,
            penilai=laporan.pegawai.atasan if decided else None,
            nilai_perubahan=3 if state == "diverifikasi" else None,
            komentar_atasan="Sertakan data waktu tunggu sebelum dan sesudah."
            if state == "dikembalikan"
            else ("Perubahan nyata dan terukur." if state == "diverifikasi" else ""),
        )


def seed_iklim() -> None:
    """Two rounds of the work-climate survey for Dinas Kesehatan; support from the atasan is low
    in the first and better in the second."""
    from .models import PutaranIklim

    if PutaranIklim.objects.exists():
        return
    rng = random.Random(12)
    dinkes = UnitKerja.objects.get(kode="DINKES")
    pengelola = User.objects.get(username="pengelola")
    staff = list(Pegawai.objects.aktif().di_unit(dinkes).select_related("unit"))
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
                services.iklim_answer(putaran=putaran, pegawai=pegawai, jawaban=scores, teks=teks)
        if start.month == 1:
            putaran.status = PutaranIklim.Status.DITUTUP
            putaran.save(update_fields=["status"])
