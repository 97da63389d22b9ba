"""Writes to pegawai: each one validated, atomic, and recorded in the pegawai's history."""

import logging
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
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

from . import access, impor, impor_riwayat, siasn
from . import nip as nip_rules
from .models import (
    CatatanDisiplin,
    HariLibur,
    ImporPegawai,
    Pegawai,
    RekonsiliasiSiasn,
    RiwayatGolongan,
    RiwayatJabatan,
    RiwayatMutasi,
    RiwayatPendidikan,
    SelisihSiasn,
    UnitKerja,
    User,
    riwayat_terakhir,
)

logger = logging.getLogger(__name__)


def _email_set_by(pegawai: Pegawai, user: User, previous: str) -> None:
    """Remember who last wrote a pegawai's email: they may not send its account invitation
    themselves (pegawai.access.can_invite)."""
    if pegawai.email and pegawai.email != previous:
        pegawai.email_diubah_oleh = user
        pegawai.email_diubah_at = timezone.now()


@transaction.atomic
def pegawai_save(*, pegawai: Pegawai, user: User, reason: str = "") -> Pegawai:
    """Save a pegawai record; what it changes of golongan, jabatan, education or unit is
    written to their history too (riwayat_sync)."""
    before = _riwayat_snapshot([pegawai.pk]) if pegawai.pk else {}
    previous = before.get(pegawai.pk, {}).get("email", "")
    _email_set_by(pegawai, user, previous or "")
    pegawai.full_clean()
    pegawai._history_user = user
    pegawai._change_reason = reason
    pegawai.save()
    riwayat_sync(pegawai_list=[pegawai], before=before, user=user, reason=reason)
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
    pegawai_reason = f"Dinonaktifkan: {pegawai.get_alasan_nonaktif_display()}"
    pegawai_save(pegawai=pegawai, user=user, reason=pegawai_reason)
    if pegawai.user_id:
        _akun_set_active(pegawai, active=False, by=user, reason=pegawai_reason)
    figures_stale("pegawai.nonaktif")
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
        # A login closed on the account pages, for its own reason, stays closed.
        if not User.objects.filter(pk=pegawai.user_id).exclude(alasan_nonaktif="").exists():
            _akun_set_active(pegawai, active=True, by=user, reason="Pegawai diaktifkan kembali")
    figures_stale("pegawai.aktif")
    return pegawai


def _akun_set_active(pegawai: Pegawai, *, active: bool, by: User, reason: str) -> None:
    """Open or close a pegawai's login, saved (not updated) so the audit log records who did it
    and why."""
    account = User.objects.get(pk=pegawai.user_id)
    account.is_active = active
    account.dinonaktifkan_admin = not active and by.is_admin
    account._history_user = by
    account._change_reason = reason
    account.save(update_fields=["is_active", "dinonaktifkan_admin"])


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


def impor_commit_request(*, job: ImporPegawai, timpa: Iterable[str] = ()) -> bool:
    """Queue the saving of a checked import; False when it is not ready to be saved.

    `timpa`: the NIPs of rows newer in SIBINA that HR ticked to overwrite anyway (others are
    ignored). ValidationError when saving would write nothing."""
    from .tasks import impor_commit_task

    chosen = sorted({nip_rules.normalize(n) for n in timpa} & job.nip_lebih_baru())
    ready = ImporPegawai.objects.filter(pk=job.pk, status=ImporPegawai.Status.SIAP)
    # Something to write, read with the claim itself: rows new or changed, or a ticked one.
    writes = ready if chosen else ready.filter(Q(jumlah_baru__gt=0) | Q(jumlah_diubah__gt=0))
    with transaction.atomic():
        claimed = writes.update(
            status=ImporPegawai.Status.MENUNGGU_SIMPAN, timpa=chosen, updated_at=timezone.now()
        )
        if not claimed and ready.exists():
            raise ValidationError(
                "Tidak ada yang disimpan: semua perubahan di berkas ini menyangkut data yang "
                "lebih baru di SIBINA. Centang baris yang tetap ingin ditimpa."
            )
        if claimed:
            enqueue_on_commit(impor_commit_task, job.pk)
    return bool(claimed)


def _plan_for(job: ImporPegawai, *, saving: bool = False) -> impor.Rencana:
    with job.file.open("rb") as fh:
        header, rows = read_table(fh, max_rows=settings.IMPOR_MAX_ROWS)
    job.jumlah_baris = len(rows)
    plan = impor.build_plan(
        header,
        rows,
        user=job.diunggah_oleh,
        timpa=job.timpa,
        diperiksa_pada=job.diperiksa_pada if saving else None,
    )
    if plan.baris or plan.contoh:  # the rows of data, without the example row
        job.jumlah_baris = plan.baris
    return plan


def _record_plan(job: ImporPegawai, plan: impor.Rencana) -> None:
    job.jumlah_baru = len(plan.baru)
    job.jumlah_diubah = len(plan.diubah)
    job.jumlah_tetap = plan.tetap
    job.jumlah_lebih_baru = len(plan.lebih_baru)
    job.kesalahan = [e.as_dict() for e in plan.kesalahan]
    job.pratinjau = plan.pratinjau


# What the check and the save write to the job's row.
IMPOR_FIELDS = ["status", "jumlah_baris", "jumlah_baru", "jumlah_diubah", "jumlah_tetap",
                "jumlah_lebih_baru", "kesalahan", "pratinjau", "diperiksa_pada",
                "updated_at"]  # fmt: skip


def _end(job: ImporPegawai, status: str) -> None:
    """The job's outcome, written while its worker holds the claim; ClaimLost when another
    worker has taken the job over (this one was stopped past its lease)."""
    job.status = status
    if not save_if_held(job, update_fields=IMPOR_FIELDS):
        raise ClaimLost(f"import {job.pk} taken over by another worker")


def impor_check(*, job: ImporPegawai) -> ImporPegawai:
    """Read and validate every row; the job ends SIAP, TANPA_PERUBAHAN (every row is as in
    SIBINA already) or TIDAK_VALID. Writes no pegawai."""
    # Taken before reading: a change made while the check reads counts as after the preview.
    job.diperiksa_pada = timezone.now()
    try:
        plan = _plan_for(job)
    except TableError as error:
        job.kesalahan = [{"baris": 1, "kolom": "", "pesan": str(error)}]
        status = ImporPegawai.Status.TIDAK_VALID
    else:
        _record_plan(job, plan)
        if not plan.is_valid:
            status = ImporPegawai.Status.TIDAK_VALID
        elif plan.has_changes:
            status = ImporPegawai.Status.SIAP
        else:
            status = ImporPegawai.Status.TANPA_PERUBAHAN
    try:
        _end(job, status)
    except ClaimLost:
        logger.warning("import %s: checked by another worker; this check is discarded", job.pk)
    return job


def impor_commit(*, job: ImporPegawai) -> ImporPegawai:
    """Validate again (the data may have changed since the preview) and write every row, or none:
    the rows and the job's outcome commit together, and only while this worker holds the job."""
    try:
        plan = _plan_for(job, saving=True)
    except TableError as error:
        job.kesalahan = [{"baris": 1, "kolom": "", "pesan": str(error)}]
        plan = None
    else:
        _record_plan(job, plan)
    try:
        with transaction.atomic():
            if plan is not None and plan.is_valid and (plan.baru or plan.diubah):
                _write_plan(plan, user=job.diunggah_oleh, reason=f"Impor berkas {job.nama_berkas}")
                figures_stale("pegawai.impor")
                _end(job, ImporPegawai.Status.SELESAI)
            elif plan is not None and plan.is_valid:  # all done meanwhile, or only newer rows
                _end(job, ImporPegawai.Status.TANPA_PERUBAHAN)
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
    before = _riwayat_snapshot([p.pk for p in plan.diubah])
    if plan.baru:
        bulk_create_with_history(plan.baru, Pegawai, **history)
        _pk_by_nip(plan.baru)
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
    riwayat_sync(pegawai_list=plan.baru + plan.diubah, before=before, user=user, reason=reason)


def _pk_by_nip(created: list[Pegawai]) -> None:
    """The ids of pegawai just bulk-created, where the database did not return them."""
    missing = [p for p in created if p.pk is None]
    if missing:
        ids = dict(
            Pegawai.objects.filter(nip__in=[p.nip for p in missing]).values_list("nip", "pk")
        )
        for pegawai in missing:
            pegawai.pk = pegawai.id = ids[pegawai.nip]


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


@transaction.atomic
def akun_undangan_resend(*, pegawai: Pegawai, user: User, base_url: str) -> User:
    """Mail again the link that sets the first password, to the pegawai's address now (the one
    the policy had another officer vouch for), recorded in the account's history."""
    from .tasks import akun_undangan_send_task

    account = pegawai.user
    if not pegawai.email:
        raise ValidationError("Isi email pegawai dulu: tautan dikirim ke sana.")
    account.email = pegawai.email
    _akun_record(account, by=user, reason=f"Undangan dikirim ulang ke {pegawai.email}")
    enqueue_on_commit(akun_undangan_send_task, account.pk, base_url)
    return account


def akun_undangan_send(*, account: User, base_url: str) -> None:
    """Mail the link with which a new account sets its first password."""
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    link = base_url.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])
    body = render_to_string("pegawai/email_akun_baru.txt", {"account": account, "link": link})
    send_mail("Akun SIBINA Anda", body, None, [account.email])


# --- Account administration (the account pages) ---------------------------------------------


class RencanaAkun(NamedTuple):
    """What making the accounts of a unit's pegawai will do, as the page shows it before."""

    baru: list[Pegawai]  # get a login and an invitation
    sudah_punya: int  # have a login already
    tanpa_email: list[Pegawai]  # nowhere to send the invitation
    dilewati: list[tuple[Pegawai, str]]  # left for somebody else, with the reason


def akun_massal_rencana(*, unit_ids: list[int], user: User, lock: bool = False) -> RencanaAkun:
    """The active pegawai of these units without a login, sorted into those who get one and
    those left out (and why)."""
    pegawai = Pegawai.objects.aktif().filter(unit_id__in=unit_ids)
    sudah_punya = pegawai.filter(user__isnull=False).count()
    candidates = pegawai.filter(user__isnull=True).order_by("nama", "pk")
    if lock:  # two officers making the same unit's accounts at once: the second waits
        candidates = candidates.select_for_update()
    candidates = list(candidates)
    taken = set(
        User.objects.filter(username__in=[p.nip for p in candidates]).values_list(
            "username", flat=True
        )
    )
    baru, tanpa_email, dilewati = [], [], []
    for p in candidates:
        verdict = access.can_invite_massal(user, p)
        if not p.email:
            tanpa_email.append(p)
        elif not verdict:
            dilewati.append((p, verdict.message))
        elif p.nip in taken:
            dilewati.append((p, f"Nama pengguna {p.nip} sudah dipakai akun lain; hubungi admin."))
        else:
            baru.append(p)
    return RencanaAkun(baru, sudah_punya, tanpa_email, dilewati)


@transaction.atomic
def akun_massal_create(*, unit_ids: list[int], user: User, base_url: str) -> RencanaAkun:
    """A login for every pegawai of these units who has an email and none yet, each mailed the
    link that sets its password (after commit); the others are left as the plan says."""
    rencana = akun_massal_rencana(unit_ids=unit_ids, user=user, lock=True)
    for pegawai in rencana.baru:
        pegawai_akun_create(pegawai=pegawai, base_url=base_url)
    return rencana


@transaction.atomic
def akun_deactivate(*, akun: User, user: User, alasan: str) -> User:
    """Close a login, with the reason, while its pegawai's record stays as it is. Its sessions
    end at their next request (Django's backend refuses an inactive user)."""
    alasan = alasan.strip()
    if not alasan:
        raise ValidationError("Tulis alasan penonaktifan akun.")
    if not akun.is_active:
        raise ValidationError("Akun ini sudah nonaktif.")
    akun.is_active = False
    akun.alasan_nonaktif = alasan
    akun.dinonaktifkan_oleh = user
    akun.dinonaktifkan_at = timezone.now()
    akun.dinonaktifkan_admin = user.is_admin
    akun.full_clean()
    akun.save()
    return akun


@transaction.atomic
def akun_activate(*, akun: User, user: User) -> User:
    if akun.is_active:
        raise ValidationError("Akun ini sudah aktif.")
    if Pegawai.objects.filter(user=akun, aktif=False).exists():
        raise ValidationError(
            "Data pegawai pemilik akun ini nonaktif; aktifkan pegawainya dulu dari halaman pegawai."
        )
    akun.is_active = True
    akun.alasan_nonaktif = ""
    akun.dinonaktifkan_oleh = None
    akun.dinonaktifkan_at = None
    akun.dinonaktifkan_admin = False
    akun.full_clean()
    akun.save()
    return akun


@transaction.atomic
def pengelola_assign(*, unit: UnitKerja, akun: User, user: User) -> None:
    """Make a login pengelola of a unit and its sub-units; its roles change at its next request
    (User._peran is read per request)."""
    if not akun.is_active:
        raise ValidationError("Akun ini nonaktif; aktifkan dulu sebelum menjadikannya pengelola.")
    if unit.pengelola.filter(pk=akun.pk).exists():
        raise ValidationError(f"{akun.username} sudah menjadi pengelola {unit.nama}.")
    if unit.pk in akun.unit_kelolaan_ids:
        raise ValidationError(
            f"{akun.username} sudah mengelola {unit.nama} sebagai pengelola unit di atasnya."
        )
    unit.pengelola.add(akun)
    _akun_record(akun, by=user, reason=f"Diberi hak pengelola kepegawaian {unit.label_jalur}")


@transaction.atomic
def pengelola_withdraw(*, unit: UnitKerja, akun: User, user: User) -> None:
    if not unit.pengelola.filter(pk=akun.pk).exists():
        raise ValidationError(f"{akun.username} bukan pengelola {unit.nama}.")
    unit.pengelola.remove(akun)
    _akun_record(akun, by=user, reason=f"Dicabut hak pengelola kepegawaian {unit.label_jalur}")


def _akun_record(akun: User, *, by: User, reason: str) -> None:
    """A row in the account's history (the audit log) for a decision outside its own fields:
    the pengelola rights of a unit (a many-to-many that django-simple-history 3.13 records only
    as a whole snapshot per save, not as who gave or took which unit)."""
    akun._history_user = by
    akun._change_reason = reason
    akun.save()


@transaction.atomic
def akun_peran_set(
    *, akun: User, user: User, administrator: bool, pengelola_provinsi: bool
) -> User:
    """The province-wide roles of a login: administrator (with Django admin's reference data)
    and pengelola provinsi. Read again at the login's next request."""
    if not akun.is_active and (administrator or pengelola_provinsi):
        raise ValidationError("Akun ini nonaktif; aktifkan dulu sebelum memberinya peran.")
    # As stored (a bound ModelForm may have written its choices on this instance already).
    stored = User.objects.values_list("is_superuser", "pengelola_provinsi").get(pk=akun.pk)
    if stored == (administrator, pengelola_provinsi):
        raise ValidationError("Peran tidak berubah; tidak ada yang disimpan.")
    akun.is_superuser = akun.is_staff = administrator
    akun.pengelola_provinsi = pengelola_provinsi
    akun.full_clean()
    akun.save()
    return akun


def hari_libur_save(*, hari_libur: HariLibur, user: User) -> HariLibur:
    """Add or change a holiday. Deadlines counted in working days follow at once; sessions of
    batches already planned follow when their batch is saved again."""
    hari_libur.full_clean()
    hari_libur._history_user = user
    hari_libur.save()
    return hari_libur


def hari_libur_delete(*, hari_libur: HariLibur, user: User) -> None:
    hari_libur._history_user = user
    hari_libur.delete()


def disiplin_save(*, catatan: CatatanDisiplin, by: User) -> CatatanDisiplin:
    """Record a disciplinary sanction, or correct one; the history keeps who did it and what the
    record said before (pembinaan.audit)."""
    catatan.full_clean()
    if catatan.pk is None:
        catatan.dicatat_oleh = by
    catatan._history_user = by
    catatan.save()
    return catatan


# --- Career history (riwayat): jabatan, golongan, education, unit moves ----------------------
# The current values on Pegawai are the latest rows: a change of the record itself (form,
# import) writes its row (riwayat_sync), and a row added, corrected or removed in the history
# sets the current values again (_current_apply). Mutasi moves a pegawai and their scope.

RIWAYAT_FIELDS = ["email", "golongan_id", "tmt_golongan", "jabatan_id", "tmt_jabatan",
                  "pendidikan_terakhir", "unit_id", "tmt_cpns"]  # fmt: skip
CHUNK = 2000


def _chunks(ids: list) -> Iterable[list]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _riwayat_snapshot(ids: list) -> dict[int, dict]:
    """The history-bearing values of these pegawai as stored, before a change."""
    found = {}
    for chunk in _chunks(sorted({pk for pk in ids if pk})):
        for row in Pegawai.objects.filter(pk__in=chunk).values("pk", *RIWAYAT_FIELDS):
            found[row["pk"]] = row
    return found


def _penempatan_awal(pegawai: Pegawai):
    """When a pegawai's first placement is dated: their CPNS TMT, else (PPPK) their golongan's."""
    return pegawai.tmt_cpns or pegawai.tmt_golongan


def riwayat_sync(
    *, pegawai_list: list[Pegawai], before: dict[int, dict], user: User, reason: str
) -> None:
    """History rows for what the pegawai records themselves changed (the form, the import):
    a new golongan or jabatan is a row at its TMT (a changed TMT with the same golongan moves
    its row), a new education level a row of that level, a new unit a move dated today. A new
    pegawai gets their first rows. Bulk queries and writes: an import of 10,000 rows costs a
    handful of queries per 2,000."""
    if not pegawai_list:
        return
    ids = [p.pk for p in pegawai_list]
    golongan, jabatan, jenjang, mutasi = {}, {}, set(), {}
    for chunk in _chunks(ids):
        golongan |= {
            (r.pegawai_id, r.tmt): r for r in RiwayatGolongan.objects.filter(pegawai_id__in=chunk)
        }
        jabatan |= {
            (r.pegawai_id, r.tmt): r for r in RiwayatJabatan.objects.filter(pegawai_id__in=chunk)
        }
        jenjang |= set(
            RiwayatPendidikan.objects.filter(pegawai_id__in=chunk).values_list(
                "pegawai_id", "jenjang"
            )
        )
        for row in RiwayatMutasi.objects.filter(pegawai_id__in=chunk).order_by("tmt", "pk"):
            mutasi[row.pegawai_id] = row  # the latest last
    has = {
        RiwayatGolongan: {pk for pk, _ in golongan},
        RiwayatJabatan: {pk for pk, _ in jabatan},
        RiwayatPendidikan: {pk for pk, _ in jenjang},
    }
    today = timezone.localdate()
    writes: dict[type, tuple[list, list, set]] = {
        model: ([], [], set()) for model in (RiwayatGolongan, RiwayatJabatan, RiwayatPendidikan,
                                             RiwayatMutasi)
    }  # fmt: skip

    def dated(model, rows, pegawai, old, field):
        value, tmt = getattr(pegawai, f"{field}_id"), getattr(pegawai, f"tmt_{field}")
        unchanged = old is not None and (old[f"{field}_id"], old[f"tmt_{field}"]) == (value, tmt)
        if unchanged:
            return
        new, changed, fields = writes[model]
        if old is not None and pegawai.pk not in has[model] and old[f"{field}_id"] != value:
            # No history yet (recorded before it was kept): the value replaced is its first row.
            if old[f"tmt_{field}"] != tmt:
                new.append(model(pegawai_id=pegawai.pk, tmt=old[f"tmt_{field}"],
                                 **{f"{field}_id": old[f"{field}_id"]}))  # fmt: skip
        row = rows.get((pegawai.pk, tmt))
        moved = rows.get((pegawai.pk, old[f"tmt_{field}"])) if old is not None else None
        if row is None and moved is not None and old[f"{field}_id"] == value:
            moved.tmt = tmt  # the same golongan (jabatan), its TMT corrected
            changed.append(moved)
            fields.add("tmt")
        elif row is None:
            new.append(model(pegawai_id=pegawai.pk, tmt=tmt, **{f"{field}_id": value}))
        elif getattr(row, f"{field}_id") != value:
            setattr(row, f"{field}_id", value)
            changed.append(row)
            fields.add(field)

    undone: list[RiwayatMutasi] = []
    for pegawai in pegawai_list:
        old = before.get(pegawai.pk)
        dated(RiwayatGolongan, golongan, pegawai, old, "golongan")
        dated(RiwayatJabatan, jabatan, pegawai, old, "jabatan")
        if (
            old
            and pegawai.pk not in has[RiwayatPendidikan]
            and old["pendidikan_terakhir"] != pegawai.pendidikan_terakhir
        ):
            writes[RiwayatPendidikan][0].append(  # the level replaced, as above
                RiwayatPendidikan(pegawai_id=pegawai.pk, jenjang=old["pendidikan_terakhir"])
            )
        moved_up = old is None or old["pendidikan_terakhir"] != pegawai.pendidikan_terakhir
        if moved_up and (pegawai.pk, pegawai.pendidikan_terakhir) not in jenjang:
            writes[RiwayatPendidikan][0].append(
                RiwayatPendidikan(pegawai_id=pegawai.pk, jenjang=pegawai.pendidikan_terakhir)
            )
        latest = mutasi.get(pegawai.pk)
        if old is not None and old["unit_id"] == pegawai.unit_id:
            continue
        if latest is None:
            placed = _penempatan_awal(pegawai)
            if old is not None and old["unit_id"] != pegawai.unit_id:
                placed = today  # before the history was kept: the move is what is known
            writes[RiwayatMutasi][0].append(
                RiwayatMutasi(
                    pegawai_id=pegawai.pk, unit_tujuan_id=pegawai.unit_id, tmt=placed,
                    unit_asal_id=old["unit_id"] if placed == today and old else None,
                )
            )  # fmt: skip
        elif latest.unit_tujuan_id != pegawai.unit_id:  # moved through the form or the import
            if latest.tmt == today and latest.unit_asal_id == pegawai.unit_id:
                undone.append(latest)  # moved back the same day: no move after all
            elif latest.tmt == today:
                latest.unit_tujuan_id = pegawai.unit_id  # moved again the same day
                writes[RiwayatMutasi][1].append(latest)
                writes[RiwayatMutasi][2].add("unit_tujuan")
            else:
                writes[RiwayatMutasi][0].append(
                    RiwayatMutasi(
                        pegawai_id=pegawai.pk, unit_asal_id=latest.unit_tujuan_id,
                        unit_tujuan_id=pegawai.unit_id, tmt=max(today, latest.tmt),
                        alasan=reason[:300],
                    )
                )  # fmt: skip
    for row in undone:
        row._history_user = user
        row._change_reason = reason
        row.delete()
    history = {"default_user": user, "default_change_reason": reason, "batch_size": 500}
    for model, (new, changed, fields) in writes.items():
        if new:
            bulk_create_with_history(new, model, **history)
        if changed:
            for row in changed:
                row.updated_at = timezone.now()
            bulk_update_with_history(
                changed, model, fields=[*sorted(fields), "updated_at"], **history
            )


def _riwayat_awal_ensure(pegawai: Pegawai, model: type, *, user: User, adding=None) -> None:
    """A pegawai without rows of this kind (recorded before the history was kept, and missed by
    its migration) gets the row of their current value first, so a row added for an earlier
    date does not replace the current value; unless the row being added is that value."""
    if model.objects.filter(pegawai=pegawai).exists():
        return
    same = {
        RiwayatGolongan: lambda r: r.tmt == pegawai.tmt_golongan,
        RiwayatJabatan: lambda r: r.tmt == pegawai.tmt_jabatan,
        RiwayatPendidikan: lambda r: r.jenjang == pegawai.pendidikan_terakhir,
    }.get(model)
    if adding is not None and same is not None and same(adding):
        return
    riwayat_sync(
        pegawai_list=[pegawai], before={}, user=user, reason="Riwayat awal dari data pegawai"
    )


def _current_apply(*, pegawai: Pegawai, user: User, reason: str) -> Pegawai:
    """Set the pegawai's golongan, jabatan and education to their latest history rows (the
    highest level for education), recorded in the pegawai's own history."""
    changed = _current_values(pegawai, riwayat_terakhir([pegawai.pk]).get(pegawai.pk))
    if changed:
        pegawai._history_user = user
        pegawai._change_reason = reason
        pegawai.save(update_fields=[*changed, "updated_at"])
        figures_stale("pegawai.riwayat")
    return pegawai


def _current_apply_many(*, pegawai_ids: set[int], user: User, reason: str) -> int:
    """As _current_apply for many pegawai (an import), in bulk; the number changed."""
    ids = sorted(pegawai_ids)
    terakhir = riwayat_terakhir(ids)
    changed_rows, fields = [], set()
    for chunk in _chunks(ids):
        for pegawai in Pegawai.objects.filter(pk__in=chunk):
            changed = _current_values(pegawai, terakhir.get(pegawai.pk))
            if changed:
                pegawai.updated_at = timezone.now()
                changed_rows.append(pegawai)
                fields.update(changed)
    if changed_rows:
        bulk_update_with_history(
            changed_rows, Pegawai, fields=[*sorted(fields), "updated_at"], batch_size=500,
            default_user=user, default_change_reason=reason,
        )  # fmt: skip
        figures_stale("pegawai.riwayat")
    return len(changed_rows)


def _current_values(pegawai: Pegawai, terakhir) -> list[str]:
    """Set the current values from the latest rows on the instance; the fields changed."""
    if terakhir is None:
        return []
    changed = []
    if terakhir.golongan and (pegawai.tmt_golongan, pegawai.golongan_id) != terakhir.golongan:
        pegawai.tmt_golongan, pegawai.golongan_id = terakhir.golongan
        changed += ["tmt_golongan", "golongan"]
    if terakhir.jabatan and (pegawai.tmt_jabatan, pegawai.jabatan_id) != terakhir.jabatan:
        pegawai.tmt_jabatan, pegawai.jabatan_id = terakhir.jabatan
        changed += ["tmt_jabatan", "jabatan"]
    if terakhir.pendidikan and pegawai.pendidikan_terakhir != terakhir.pendidikan:
        pegawai.pendidikan_terakhir = terakhir.pendidikan
        changed.append("pendidikan_terakhir")
    return changed


def _riwayat_label(riwayat) -> str:
    return str(type(riwayat)._meta.verbose_name)


@transaction.atomic
def riwayat_save(*, riwayat, user: User, reason: str = "") -> object:
    """Add or correct a history row (jabatan, golongan, education; a move's decree and reason);
    the pegawai's current values follow the latest rows."""
    pegawai = Pegawai.objects.select_for_update().get(pk=riwayat.pegawai_id)
    riwayat.pegawai = pegawai
    if riwayat.pk is None:
        if isinstance(riwayat, RiwayatMutasi):
            raise ValidationError("Mutasi dicatat lewat tombol Mutasi di halaman pegawai.")
        _riwayat_awal_ensure(pegawai, type(riwayat), user=user, adding=riwayat)
    riwayat.full_clean()
    riwayat._history_user = user
    riwayat._change_reason = reason or (
        f"{_riwayat_label(riwayat).capitalize()} {'dikoreksi' if riwayat.pk else 'ditambahkan'}"
    )
    riwayat.save()
    _current_apply(pegawai=pegawai, user=user, reason=f"Mengikuti {_riwayat_label(riwayat)}")
    return riwayat


@transaction.atomic
def riwayat_delete(*, riwayat, user: User) -> None:
    """Remove a row entered by mistake; the current values follow the rows that remain. A move
    is never removed (it decided who saw the pegawai), nor a pegawai's only row of a kind."""
    if isinstance(riwayat, RiwayatMutasi):
        raise ValidationError(
            "Riwayat mutasi tidak dapat dihapus: mutasi menentukan siapa yang mengelola pegawai "
            "pada masanya. Koreksi nomor dan tanggal SK-nya bila salah."
        )
    pegawai = Pegawai.objects.select_for_update().get(pk=riwayat.pegawai_id)
    model = type(riwayat)
    if not model.objects.filter(pegawai=pegawai).exclude(pk=riwayat.pk).exists():
        raise ValidationError(
            f"Ini satu-satunya {_riwayat_label(riwayat)} pegawai ini; koreksi saja barisnya."
        )
    riwayat._history_user = user
    riwayat._change_reason = f"{_riwayat_label(riwayat).capitalize()} dihapus"
    riwayat.delete()
    _current_apply(pegawai=pegawai, user=user, reason=f"Mengikuti {_riwayat_label(riwayat)}")


@transaction.atomic
def riwayat_pendidikan_add(
    *,
    pegawai: Pegawai,
    jenjang: str,
    nama_sekolah: str,
    jurusan: str,
    tahun_lulus: int,
    user: User | None,
    reason: str,
) -> RiwayatPendidikan:
    """A completed degree (a scholarship's, pelatihan.services.studi_lulus): the row of that
    level and year, or the level's row without a year filled in; pendidikan_terakhir follows."""
    rows = RiwayatPendidikan.objects.filter(pegawai=pegawai, jenjang=jenjang)
    row = rows.filter(tahun_lulus=tahun_lulus).first() or rows.filter(tahun_lulus=None).first()
    row = row or RiwayatPendidikan(pegawai=pegawai, jenjang=jenjang)
    row.tahun_lulus = tahun_lulus
    row.nama_sekolah = nama_sekolah[:200]
    row.jurusan = jurusan[:200]
    return riwayat_save(riwayat=row, user=user, reason=reason)


@transaction.atomic
def pegawai_mutasi(
    *,
    pegawai: Pegawai,
    unit_tujuan: UnitKerja,
    tmt: date,
    atasan: Pegawai | None,
    user: User,
    nomor_sk: str = "",
    tanggal_sk: date | None = None,
    dokumen=None,
    alasan: str = "",
) -> RiwayatMutasi:
    """Move a pegawai to another unit of the province from `tmt` (not later than today: the move
    takes effect at once). Their unit's HR change with it: the old unit's no longer see them in
    lists and pages, only their history up to the move (pegawai.views.riwayat_detail); the new
    unit's HR see them and are notified. The atasan is set anew (or cleared)."""
    from .notifikasi import notifikasi_pengelola

    pegawai = Pegawai.objects.select_for_update().get(pk=pegawai.pk)
    if unit_tujuan.pk == pegawai.unit_id:
        raise ValidationError({"unit_tujuan": "Pegawai sudah berada di unit ini."})
    if tmt > timezone.localdate():
        raise ValidationError(
            {"tmt": "Mutasi dicatat saat berlaku: TMT tidak boleh sesudah hari ini."}
        )
    _riwayat_awal_ensure(pegawai, RiwayatMutasi, user=user)
    latest = pegawai.riwayat_mutasi.order_by("-tmt").first()
    if latest is not None and tmt <= latest.tmt:
        raise ValidationError(
            {"tmt": f"TMT harus sesudah penempatan terakhir ({latest.tmt:%d/%m/%Y})."}
        )
    unit_asal = pegawai.unit
    row = RiwayatMutasi(
        pegawai=pegawai, unit_asal=unit_asal, unit_tujuan=unit_tujuan, tmt=tmt,
        nomor_sk=nomor_sk, tanggal_sk=tanggal_sk, alasan=alasan[:300],
    )  # fmt: skip
    if dokumen:
        row.dokumen = dokumen
    row.full_clean()
    row._history_user = user
    row._change_reason = f"Mutasi dari {unit_asal.nama} ke {unit_tujuan.nama}"
    row.save()
    pegawai.unit = unit_tujuan
    pegawai.atasan = atasan
    pegawai_save(pegawai=pegawai, user=user, reason=row._change_reason)
    notifikasi_pengelola(
        unit_tujuan.pk,
        kecuali=user,
        kunci=f"pegawai:mutasi:{row.pk}",
        judul=f"Pegawai pindah ke unit Anda: {pegawai.nama_lengkap}",
        url=pegawai.get_absolute_url(),
        pesan=f"Dari {unit_asal.nama}, TMT {tmt:%d/%m/%Y}.",
    )
    figures_stale("pegawai.mutasi")
    return row


def riwayat_impor(*, jenis: str, file, user: User) -> impor_riwayat.Hasil:
    """Import a file of history rows of one kind (SIASN's columns, pegawai.impor_riwayat): every
    row written, or none when any is wrong (the errors by row and column); the pegawai's current
    values follow their latest rows."""
    try:
        header, rows = read_table(file, max_rows=impor_riwayat.MAX_ROWS)
    except TableError as error:
        return impor_riwayat.Hasil(kesalahan=[impor.Kesalahan(1, "", str(error))])
    hasil = impor_riwayat.build(jenis, header, rows, user=user)
    if hasil.kesalahan or not (hasil.baru or hasil.diubah):
        return hasil
    model = impor_riwayat.MODELS[jenis]
    reason = f"Impor riwayat {jenis}: {file.name[:100]}"
    history = {"default_user": user, "default_change_reason": reason, "batch_size": 500}
    with transaction.atomic():
        if hasil.baru:
            bulk_create_with_history(hasil.baru, model, **history)
        if hasil.diubah:
            now = timezone.now()
            for row in hasil.diubah:
                row.updated_at = now
            fields = [f.name for f in model._meta.concrete_fields
                      if f.name not in ("id", "pegawai", "dokumen", "created_at")]  # fmt: skip
            bulk_update_with_history(hasil.diubah, model, fields=fields, **history)
        _current_apply_many(pegawai_ids=hasil.pegawai_ids, user=user, reason=reason)
    return hasil


# --- SIASN reconciliation ----------------------------------------------------------------------


def rekonsiliasi_siasn_create(*, file, unit: UnitKerja | None, user: User) -> RekonsiliasiSiasn:
    """Compare an uploaded SIASN export with the scope's pegawai and keep the result: the
    reconciliation and all its differences, or nothing (ValidationError with the reason when
    the file cannot be read at all; unreadable rows are listed in the result)."""
    access.require(access.can_reconcile_unit(user, unit.pk if unit else None))
    try:
        hasil = siasn.reconcile(file, unit)
    except siasn.BerkasSalah as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        rekonsiliasi = RekonsiliasiSiasn(
            unit=unit, nama_berkas=file.name[:255], diunggah_oleh=user,
            jumlah_baris=hasil.jumlah_baris, jumlah_pegawai=hasil.jumlah_pegawai,
            jumlah_cocok=hasil.jumlah_cocok, kesalahan=hasil.kesalahan,
        )  # fmt: skip
        rekonsiliasi.full_clean()
        rekonsiliasi.save()
        for selisih in hasil.selisih:
            selisih.rekonsiliasi = rekonsiliasi
        SelisihSiasn.objects.bulk_create(hasil.selisih, batch_size=1000)
    return rekonsiliasi


def selisih_tindak_lanjut(*, selisih: SelisihSiasn, user: User, selesai: bool) -> bool:
    """Mark a difference handled by `user` now, or not handled any more; False when it already
    was as asked (a second click changes nothing, and keeps who handled it first)."""
    access.require(access.can_tindak_lanjut_selisih(user, selisih))
    rows = SelisihSiasn.objects.filter(pk=selisih.pk, ditindaklanjuti_at__isnull=selesai)
    if selesai:
        changed = rows.update(ditindaklanjuti_oleh=user, ditindaklanjuti_at=timezone.now())
    else:
        changed = rows.update(ditindaklanjuti_oleh=None, ditindaklanjuti_at=None)
    return bool(changed)
