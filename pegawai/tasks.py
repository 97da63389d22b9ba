"""Import jobs. Each task claims its row by status with a lease (pembinaan.lib.claim), so a retry
or a duplicate does nothing twice, and a job whose worker died while checking or saving is taken
over by the next one the sweep sends (pembinaan.tasks.antrean_sapu_task)."""

import logging

from celery import shared_task
from django.utils import timezone

from pembinaan.lib.claim import claimed, held

from . import notifikasi, services
from .models import ImporPegawai, User

logger = logging.getLogger(__name__)
Status = ImporPegawai.Status


def _run_claimed(pk: int, *, waiting: str, working: str, step) -> None:
    rows = ImporPegawai.objects.select_related("diunggah_oleh")
    with claimed(rows, pk, waiting=waiting, working=working) as job:
        if job is None:
            return
        try:
            step(job=job)
        except Exception as error:
            logger.exception("import %s failed", pk)
            held(job).update(
                status=Status.GAGAL,
                pesan_gagal=f"Kesalahan sistem: {error.__class__.__name__}. Hubungi admin SIBINA.",
                updated_at=timezone.now(),
            )


@shared_task
def impor_check_task(pk: int) -> None:
    _run_claimed(
        pk, waiting=Status.MENUNGGU_PERIKSA, working=Status.DIPERIKSA, step=services.impor_check
    )


@shared_task
def impor_commit_task(pk: int) -> None:
    _run_claimed(
        pk, waiting=Status.MENUNGGU_SIMPAN, working=Status.DISIMPAN, step=services.impor_commit
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def akun_undangan_send_task(user_id: int, base_url: str) -> None:
    account = User.objects.filter(pk=user_id, is_active=True).first()
    if account is None or account.has_usable_password():
        return  # gone, or the password was already set: the invitation has no use
    services.akun_undangan_send(account=account, base_url=base_url)


@shared_task(autoretry_for=notifikasi.MAIL_ERRORS, retry_backoff=True, max_retries=5)
def notifikasi_surel_task(pk: int) -> None:
    notifikasi.notifikasi_surel(pk=pk, now=timezone.now())


@shared_task
def notifikasi_susulan_task() -> int:
    return notifikasi.notifikasi_susulan(now=timezone.now())


@shared_task(bind=True, max_retries=6)
def notifikasi_ringkasan_task(self) -> int:
    mailed, failed = notifikasi.notifikasi_ringkasan(now=timezone.now())
    if failed:
        # Those mailed are marked; a retry half an hour later mails only the rest.
        raise self.retry(countdown=30 * 60)
    return mailed
