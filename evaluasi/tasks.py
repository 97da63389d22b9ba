from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def pengingat_laporan_task() -> int:
    services.laporan_sync()
    return services.pengingat_kirim(today=timezone.localdate())
