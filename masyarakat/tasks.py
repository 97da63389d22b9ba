from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def masukan_tutup_task() -> int:
    return services.masukan_close_expired(today=timezone.localdate())
