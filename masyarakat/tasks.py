from celery import shared_task
from django.utils import timezone

from . import services, surel


@shared_task
def masukan_tutup_task() -> int:
    return services.masukan_close_expired(today=timezone.localdate())


@shared_task(autoretry_for=surel.MAIL_ERRORS, retry_backoff=True, max_retries=5)
def surel_warga_task(pk: int) -> None:
    surel.surel_warga_kirim(pk=pk, now=timezone.now())


@shared_task
def surel_warga_susulan_task() -> int:
    return surel.surel_warga_susulan(now=timezone.now())


@shared_task
def forum_pengingat_task() -> int:
    return services.forum_remind(today=timezone.localdate())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def masukan_baru_task(pk: int, unit_layanan_id: int) -> None:
    services.masukan_notify_new(pk=pk, unit_layanan_id=unit_layanan_id)
