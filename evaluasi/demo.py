"""Demo performance evaluation: a quarterly period for Dinas Kesehatan in which each atasan has
rated their subordinates (most of them acknowledged), and an annual one still open."""

import random
from datetime import date

from pegawai.models import Pegawai, UnitKerja, User

from . import services
from .models import PeriodePenilaian

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
