from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services
from .models import ProgramPembinaan


@shared_task
def capaian_task() -> int:
    """The actuals of this year's program, for today; on the first of a month also the month
    that just ended, with its last day counted."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    done = 0
    for day in {yesterday, today} if yesterday.month != today.month else {today}:
        for program in ProgramPembinaan.objects.filter(tahun=day.year):
            done += len(services.capaian_hitung(program=program, sampai=day))
    return done


@shared_task
def capaian_program_task(pk: int) -> int:
    """One program's actuals now, when an administrator asks for them."""
    program = ProgramPembinaan.objects.get(pk=pk)
    return len(services.capaian_hitung(program=program, sampai=timezone.localdate()))


@shared_task
def ringkasan_task() -> int:
    """The dashboards' unit figures, made anew."""
    return services.ringkasan_simpan(today=timezone.localdate())
