"""Demo program: this year's, with the month-end actuals of the months gone by, so its trend
lines have something to show; and the dashboards' unit figures."""

from datetime import date

from django.utils import timezone

from pegawai.models import User

from . import services
from .lib.dates import month_end
from .models import ProgramPembinaan


def seed() -> None:
    today = timezone.localdate()
    services.ringkasan_simpan(today=today)  # the dashboards' figures, before the first job
    # The IP ASN of the last three years, so the program page's trend has years to compare.
    for year in range(today.year - 2, today.year + 1):
        services.ip_asn_simpan(tahun=year)
    if ProgramPembinaan.objects.filter(tahun=today.year).exists():
        return
    program = services.program_create(
        tahun=today.year, by=User.objects.filter(username="admin").first()
    )
    for month in range(1, today.month):
        services.capaian_hitung(program=program, sampai=month_end(date(today.year, month, 1)))
    services.capaian_hitung(program=program, sampai=today)
