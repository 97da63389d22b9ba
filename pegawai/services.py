"""Writes to pegawai: each one validated, atomic, and recorded in the pegawai's history."""

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pembinaan.lib.claim import ClaimLost, save_if_held
from pembinaan.lib.freshness import figures_stale
from pembinaan.lib.queue import enqueue_on_commit
from pembinaan.lib.tabular import XLSX_MAGIC, TableError, read_table

from . import impor
from .models import ImporPegawai, Pegawai, User

logger = logging.getLogger(__name__)


@transaction.atomic
def _email_set_by(pegawai: Pegawai, user: User, previous: str) -> None:
    """Remember who last wrote a pegawai's email: they may not send its account invitation
    themselves (pegawai.access.can_invite)."""
    if pegawai.email and pegawai.email != previous:
        pegawai.email_diubah_oleh = user
        pegawai.email_diubah_at = timezone.now()


def pegawai_save(*, pegawai: Pegawai, user: User, reason: str = "") -> Pegawai:
    previous = Pegawai.objects.filter(pk=pegawai.pk).values_list("email", flat=True).first()
    _email_set_by(pegawai, user, previous or "")
    pegawai.full_clean()
    pegawai._history_user = user
    pegawai._change_reason = reason
    pegawai.save()
    return pegawai


@transaction.atomic
def pegawai_deactivate(
    *, pegawai: Pegawai, user: User, alasan: str, tanggal: date | None = None
) -> Pegawai:
    """Never a hard delete: the pegawai stays with their history, and their login is closed."""
    if not pegawai.aktif:
        raise ValidationError("Pegawai ini sudah nonaktif.")
    pegawai.aktif = False
    pegawai.alasan_nonaktif = alasan
    pegawai.tanggal_nonaktif = tanggal or timezone.localdate()
    pegawai_save(
        pegawai=pegawai, user=user, reason=f"Dinonaktifkan: {pegawai.get_alasan_nonaktif_display()}"
    )
    if pegawai.user_id:
        User.objects.filter(pk=pegawai.user_id).update(
            is_active=False, dinonaktifkan_admin=user.is_admin
        )
    return pegawai


@transaction.atomic
def pegawai_activate(*, pegawai: Pegawai, user: User) -> Pegawai:
    if pegawai.aktif:
        raise ValidationError("Pegawai ini sudah aktif.")
    pegawai.aktif = True
    pegawai.alasan_nonaktif = ""
    pegawai.tanggal_nonaktif = None
    pegawai_save(pegawai=pegawai, user=user, reason="Diaktifkan kembali")
    if pegawai.user_id:
        User.objects.filter(pk=pegawai.user_id).update(is_active=True, dinonaktifkan_admin=False)
    return pegawai


def impor_request(*, file, user: User) -> ImporPegawai:
    """Store the upload and queue its check; the caller has bounded its size."""
    from .tasks import impor_check_task

    with transaction.atomic():
        job = ImporPegawai(nama_berkas=file.name[:255], diunggah_oleh=user)
        # Stored under a generated name (the field's upload_to) with the extension of what the
        # content is; the uploader's name is kept in nama_berkas only.
        file.seek(0)
        extension = "xlsx" if file.read(4) == XLSX_MAGIC else "csv"
        file.seek(0)
        job.file.save(f"impor.{extension}", file, save=False)
        job.save()
        enqueue_on_commit(impor_check_task, job.pk)
    return job


def impor_commit_request(*, job: ImporPegawai) -> bool:
    """Queue the saving of a checked import; False when it is not ready to be saved."""
    from .tasks import impor_commit_task

    with transaction.atomic():
        claimed = ImporPegawai.objects.filter(pk=job.pk, status=ImporPegawai.Status.SIAP).update(
            status=ImporPegawai.Status.MENUNGGU_SIMPAN, updated_at=timezone.now()
        )
        if claimed:
            enqueue_on_commit(impor_commit_task, job.pk)
    return bool(claimed)


def _plan_for(job: ImporPegawai) -> impor.Rencana:
    with job.file.open("rb") as fh:
        header, rows = read_table(fh, max_rows=settings.IMPOR_MAX_ROWS)
    job.jumlah_baris = len(rows)
    return impor.build_plan(header, rows, user=job.diunggah_oleh)


def _record_plan(job: ImporPegawai, plan: impor.Rencana) -> None:
    job.jumlah_baru = len(plan.baru)
    job.jumlah_diubah = len(plan.diubah)
    job.jumlah_tetap = plan.tetap
    job.kesalahan = [e.as_dict() for e in plan.kesalahan]
    job.pratinjau = plan.pratinjau


# What the check and the save write to the job's row.
IMPOR_FIELDS = ["status", "jumlah_baris", "jumlah_baru", "jumlah_diubah", "jumlah_tetap",
                "kesalahan", "pratinjau", "updated_at"]  # fmt: skip


def _end(job: ImporPegawai, status: str) -> None:
    """The job's outcome, written while its worker holds the claim; ClaimLost when another
    worker has taken the job over (this one was stopped past its lease)."""
    job.status = status
    if not save_if_held(job, update_fields=IMPOR_FIELDS):
        raise ClaimLost(f"import {job.pk} taken over by another worker")


def impor_check(*, job: ImporPegawai) -> ImporPegawai:
    """Read and validate every row; the job ends SIAP or TIDAK_VALID. Writes no pegawai."""
    try:
        plan = _plan_for(job)
    except TableError as error:
        job.kesalahan = [{"baris": 1, "kolom": "", "pesan": str(error)}]
        status = ImporPegawai.Status.TIDAK_VALID
    else:
        _record_plan(job, plan)
        status = ImporPegawai.Status.SIAP if plan.is_valid else ImporPegawai.Status.TIDAK_VALID
    try:
        _end(job, status)
    except ClaimLost:
        logger.warning("import %s: checked by another worker; this check is discarded", job.pk)
    return job


def impor_commit(*, job: ImporPegawai) -> ImporPegawai:
    """Validate again (the data may have changed since the preview) and write every row, or none:
    the rows and the job's outcome commit together, and only while this worker holds the job."""
    try:
        plan = _plan_for(job)
    except TableError as error:
        job.kesalahan = [{"baris": 1, "kolom": "", "pesan": str(error)}]
        plan = None
    else:
        _record_plan(job, plan)
    try:
        with transaction.atomic():
            if plan is not None and plan.is_valid:
                _write_plan(plan, user=job.diunggah_oleh, reason=f"Impor berkas {job.nama_berkas}")
                figures_stale("pegawai.impor")
                _end(job, ImporPegawai.Status.SELESAI)
            else:
                _end(job, ImporPegawai.Status.TIDAK_VALID)
    except ClaimLost:  # nothing written: the worker that holds the job saves it
        logger.warning("import %s: saved by another worker; this save is rolled back", job.pk)
    return job


def _write_plan(plan: impor.Rencana, *, user: User, reason: str) -> None:
    history = {"default_user": user, "default_change_reason": reason, "batch_size": 500}
    # Supervisors already in the database are set before writing; those created by this very
    # file get their id once it exists.
    known = dict(
        Pegawai.objects.filter(nip__in=set(plan.atasan_nip.values())).values_list("nip", "pk")
    )
    pending = []
    for pegawai in plan.baru + plan.diubah:
        atasan_nip = plan.atasan_nip.get(pegawai.nip)
        pegawai.atasan_id = known.get(atasan_nip) if atasan_nip else None
        if atasan_nip and pegawai.atasan_id is None:
            pending.append(pegawai)
    emails = dict(
        Pegawai.objects.filter(pk__in=[p.pk for p in plan.diubah]).values_list("pk", "email")
    )
    for pegawai in plan.baru + plan.diubah:
        _email_set_by(pegawai, user, emails.get(pegawai.pk, ""))
    if plan.baru:
        bulk_create_with_history(plan.baru, Pegawai, **history)
    if plan.diubah:
        now = timezone.now()
        for pegawai in plan.diubah:
            pegawai.updated_at = now
        fields = [*impor.UPDATABLE_FIELDS, "updated_at", "email_diubah_oleh", "email_diubah_at"]
        bulk_update_with_history(plan.diubah, Pegawai, fields=fields, **history)
    if pending:
        created = dict(
            Pegawai.objects.filter(nip__in={plan.atasan_nip[p.nip] for p in pending}).values_list(
                "nip", "pk"
            )
        )
        for pegawai in pending:
            pegawai.atasan_id = created[plan.atasan_nip[pegawai.nip]]
        bulk_update_with_history(pending, Pegawai, fields=["atasan"], **history)


@transaction.atomic
def pegawai_akun_create(*, pegawai: Pegawai, base_url: str) -> User:
    """A login for a pegawai: the NIP as username, no password until they set one through the
    link mailed to them (after commit, by a Celery task)."""
    from .tasks import akun_undangan_send_task

    if pegawai.user_id:
        raise ValidationError("Pegawai ini sudah punya akun.")
    if not pegawai.email:
        raise ValidationError(
            "Isi email pegawai dulu: tautan untuk membuat kata sandi dikirim ke sana."
        )
    if not pegawai.aktif:
        raise ValidationError("Pegawai nonaktif tidak dapat diberi akun.")
    if User.objects.filter(username=pegawai.nip).exists():
        raise ValidationError(
            f"Nama pengguna {pegawai.nip} sudah dipakai akun lain; hubungi admin."
        )
    account = User(
        username=pegawai.nip,
        email=pegawai.email,
        first_name=pegawai.nama.split()[0][:150],
        last_name=" ".join(pegawai.nama.split()[1:])[:150],
    )
    account.set_unusable_password()
    account.full_clean()
    account.save()
    Pegawai.objects.filter(pk=pegawai.pk).update(user=account)
    pegawai.user = account
    enqueue_on_commit(akun_undangan_send_task, account.pk, base_url)
    return account


def akun_undangan_send(*, account: User, base_url: str) -> None:
    """Mail the link with which a new account sets its first password."""
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    link = base_url.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])
    body = render_to_string("pegawai/email_akun_baru.txt", {"account": account, "link": link})
    send_mail("Akun SIBINA Anda", body, None, [account.email])
