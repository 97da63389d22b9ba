"""Mail to citizens (issue 19): each status change of their feedback, a forum registration's
confirmation and its reminder. The mail is a `SurelWarga` row written in the step's own
transaction (one per event: `kunci`), mailed by a task after the commit, and marked sent in the
transaction that hands it to the mail server, so it is never sent twice; a server that refuses
leaves it waiting for `surel_warga_susulan` (every 15 minutes). Every mail carries a link that
unsubscribes its address without an account (signed, django.core.signing); an unsubscribed
address is never written to again."""

import logging
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from pembinaan.lib.queue import enqueue_on_commit

from .models import BerhentiLangganan, SurelWarga

logger = logging.getLogger(__name__)

SALT_BERHENTI = "masyarakat.berhenti-langganan"
SUSULAN_SETELAH = timedelta(minutes=10)  # its own task had time to run
SUSULAN_BATAS = timedelta(days=3)  # older news is no longer worth a mail
MAIL_ERRORS = (SMTPException, OSError)


def link(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def alamat_normal(alamat: str) -> str:
    return alamat.strip().lower()


def berhenti_token(alamat: str) -> str:
    return signing.dumps(alamat_normal(alamat), salt=SALT_BERHENTI, compress=True)


def berhenti_alamat(token: str) -> str | None:
    """The address a link unsubscribes, or None for a link that was not ours."""
    try:
        return signing.loads(token, salt=SALT_BERHENTI)
    except signing.BadSignature:
        return None


def berhenti_url(alamat: str) -> str:
    return link(reverse("masyarakat:berhenti", args=[berhenti_token(alamat)]))


def is_berhenti(alamat: str) -> bool:
    return BerhentiLangganan.objects.filter(alamat=alamat_normal(alamat)).exists()


def surel_warga_antre(
    *, kunci: str, alamat: str, judul: str, template: str, context: dict
) -> SurelWarga | None:
    """Write one citizen mail for one event and send it after the commit. None when there is no
    address, it unsubscribed, or the event was mailed before."""
    if not alamat or is_berhenti(alamat):
        return None
    alamat = alamat_normal(alamat)
    isi = render_to_string(template, context | {"berhenti_url": berhenti_url(alamat)})
    surel, created = SurelWarga.objects.get_or_create(
        kunci=kunci[:120], defaults={"alamat": alamat, "judul": judul[:200], "isi": isi}
    )
    if not created:
        return None
    from .tasks import surel_warga_task

    enqueue_on_commit(surel_warga_task, surel.pk)
    return surel


def surel_warga_kirim(*, pk: int, now: datetime) -> bool:
    """Mail one waiting citizen mail now. Raises the mail server's error, leaving it waiting."""
    with transaction.atomic():
        surel = (
            SurelWarga.objects.select_for_update()
            .filter(pk=pk, status=SurelWarga.Status.MENUNGGU)
            .first()
        )
        if surel is None:
            return False
        if is_berhenti(surel.alamat):  # unsubscribed after it was written
            SurelWarga.objects.filter(pk=pk).update(status=SurelWarga.Status.BERHENTI)
            return False
        send_mail(f"SIBINA: {surel.judul}", surel.isi, None, [surel.alamat])
        SurelWarga.objects.filter(pk=pk).update(status=SurelWarga.Status.TERKIRIM, dikirim_at=now)
    return True


def surel_warga_susulan(*, now: datetime) -> int:
    """Mail what its own task did not get out (a refusing server, a broker outage)."""
    waiting = SurelWarga.objects.filter(
        status=SurelWarga.Status.MENUNGGU,
        created_at__range=(now - SUSULAN_BATAS, now - SUSULAN_SETELAH),
    ).order_by("created_at", "pk")
    sent = 0
    for pk in list(waiting.values_list("pk", flat=True)):
        try:
            sent += surel_warga_kirim(pk=pk, now=now)
        except MAIL_ERRORS:
            logger.warning("citizen mail %s not sent; the next sweep tries again", pk)
            break  # the server refuses: the rest waits for the next sweep too
    return sent


@transaction.atomic
def berhenti_langganan(*, alamat: str) -> None:
    """No more mail to this address: recorded, and what still waits is not sent."""
    alamat = alamat_normal(alamat)
    BerhentiLangganan.objects.get_or_create(alamat=alamat)
    SurelWarga.objects.filter(alamat=alamat, status=SurelWarga.Status.MENUNGGU).update(
        status=SurelWarga.Status.BERHENTI
    )
