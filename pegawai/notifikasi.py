"""Notifications (issue 19): each workflow step that puts an item in someone's inbox or decides
something of theirs calls `notifikasi_buat` (or one of the two helpers below) inside its own
transaction. The row is the record: one per login and event (`kunci`), so a step that runs
twice notifies once. Mail follows the login's choice:

- segera: a task mails it after the commit; a mail server that refuses leaves the row unmailed,
  the task retries, and `notifikasi_susulan` (every 15 minutes) picks up what is still unmailed;
- harian: `notifikasi_ringkasan` at 07:00 WIB mails one digest of what is still unread;
- mati: nothing is mailed.

A notification is marked mailed in the same transaction that hands it to the mail server, so it
is never mailed twice (the evaluasi.Pengingat pattern)."""

import logging
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from pembinaan.lib.queue import enqueue_on_commit

from .models import Notifikasi, Pegawai, UnitKerja, User

logger = logging.getLogger(__name__)

# How old an unmailed "segera" notification must be before the sweep takes it (its own task had
# time to run), and how far back the sweep looks (older ones are left to the app).
SUSULAN_SETELAH = timedelta(minutes=10)
SUSULAN_BATAS = timedelta(days=3)
MAIL_ERRORS = (SMTPException, OSError)


def notifikasi_buat(
    *, penerima: User | None, kunci: str, judul: str, url: str, pesan: str = ""
) -> Notifikasi | None:
    """Notify one login of one event. None when there is nobody to notify (no account, a
    closed one) or the event was already notified."""
    if penerima is None or not penerima.is_active:
        return None
    segera = penerima.surel_notifikasi_efektif == User.Surel.SEGERA
    notifikasi, created = Notifikasi.objects.get_or_create(
        penerima=penerima,
        kunci=kunci[:120],
        defaults={"judul": judul[:200], "url": url, "pesan": pesan, "surel_segera": segera},
    )
    if not created:
        return None
    if segera:
        from .tasks import notifikasi_surel_task

        enqueue_on_commit(notifikasi_surel_task, notifikasi.pk)
    return notifikasi


def notifikasi_pegawai(pegawai: Pegawai | None, **event) -> Notifikasi | None:
    """Notify a pegawai through their login, when they have one."""
    if pegawai is None or pegawai.user_id is None:
        return None
    return notifikasi_buat(penerima=pegawai.user, **event)


def pengelola_unit(unit_id: int) -> "list[User]":
    """The active pengelola who manage this unit: assigned to it or to a unit above it."""
    path = UnitKerja.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    if path is None:
        return []
    steplen = UnitKerja.steplen
    ancestors = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
    users = User.objects.filter(is_active=True, unit_dikelola__path__in=ancestors)
    return list(users.distinct().order_by("pk"))


def notifikasi_pengelola(unit_id: int, *, kecuali: User | None = None, **event) -> int:
    """Notify every pengelola of a unit (not `kecuali`, who did the step). The number notified."""
    count = 0
    for user in pengelola_unit(unit_id):
        if kecuali is not None and user.pk == kecuali.pk:
            continue
        count += notifikasi_buat(penerima=user, **event) is not None
    return count


def notifikasi_baca(*, notifikasi: Notifikasi, now: datetime) -> None:
    Notifikasi.objects.filter(pk=notifikasi.pk, dibaca_at__isnull=True).update(dibaca_at=now)


def notifikasi_baca_semua(*, penerima: User, now: datetime) -> int:
    return penerima.notifikasi.belum_dibaca().update(dibaca_at=now)


# --- Mail -----------------------------------------------------------------------------------


def _link(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def notifikasi_surel(*, pk: int, now: datetime) -> bool:
    """Mail one notification now, when its login still wants it so and it is still unmailed and
    unread. Raises the mail server's error, leaving it unmailed, for the task to retry."""
    with transaction.atomic():
        notifikasi = (
            Notifikasi.objects.select_for_update(of=("self",))
            .select_related("penerima")
            .filter(pk=pk, disurelkan_at__isnull=True, dibaca_at__isnull=True)
            .first()
        )
        if notifikasi is None:
            return False
        penerima = notifikasi.penerima
        address = penerima.alamat_surel
        if penerima.surel_notifikasi_efektif != User.Surel.SEGERA or not address:
            return False
        context = {"notifikasi": notifikasi, "link": _link(notifikasi.url), "penerima": penerima}
        body = render_to_string("pegawai/email_notifikasi.txt", context)
        send_mail(f"SIBINA: {notifikasi.judul}", body, None, [address])
        Notifikasi.objects.filter(pk=pk).update(disurelkan_at=now)
    return True


def notifikasi_susulan(*, now: datetime) -> int:
    """Mail the "segera" notifications whose own task did not get them out (a refusing mail
    server, a broker outage). The number mailed."""
    pending = Notifikasi.objects.filter(
        surel_segera=True,
        disurelkan_at__isnull=True,
        dibaca_at__isnull=True,
        created_at__range=(now - SUSULAN_BATAS, now - SUSULAN_SETELAH),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(pending):
        try:
            sent += notifikasi_surel(pk=pk, now=now)
        except MAIL_ERRORS:
            logger.warning("notification %s not mailed; the next sweep tries again", pk)
            break  # the server refuses: the rest waits for the next sweep too
    return sent


def notifikasi_ringkasan(*, now: datetime) -> tuple[int, int]:
    """The morning digest: to each login that chose it (or whose role defaults to it), one mail
    of its unread notifications not mailed before. Returns (mailed, failed): a login whose mail
    the server refused keeps its notifications for the next run."""
    waiting = Q(notifikasi__dibaca_at__isnull=True, notifikasi__disurelkan_at__isnull=True)
    recipients = User.objects.filter(waiting, is_active=True).distinct().order_by("pk")
    mailed = failed = 0
    for penerima in recipients:
        if penerima.surel_notifikasi_efektif != User.Surel.HARIAN or not penerima.alamat_surel:
            continue
        try:
            mailed += _ringkasan_kirim(penerima, now)
        except MAIL_ERRORS:
            logger.warning("digest of user %s not mailed; the next run tries again", penerima.pk)
            failed += 1
    return mailed, failed


@transaction.atomic
def _ringkasan_kirim(penerima: User, now: datetime) -> bool:
    items = list(
        penerima.notifikasi.select_for_update()
        .filter(dibaca_at__isnull=True, disurelkan_at__isnull=True, created_at__lte=now)
        .order_by("created_at", "pk")
    )
    if not items:
        return False
    context = {
        "penerima": penerima,
        "items": [(item, _link(item.url)) for item in items],
        "semua": _link(reverse("notifikasi:list")),
        "tugas": _link(reverse("tugas")),
    }
    body = render_to_string("pegawai/email_notifikasi_harian.txt", context)
    subject = f"SIBINA: {len(items)} pemberitahuan baru"
    send_mail(subject, body, None, [penerima.alamat_surel])
    Notifikasi.objects.filter(pk__in=[item.pk for item in items]).update(disurelkan_at=now)
    return True
