from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def sertifikat_pengingat_task() -> int:
    """Remind the holders of external certificates that expire within 90 days (once each)."""
    return services.sertifikat_pengingat_kirim(today=timezone.localdate())
