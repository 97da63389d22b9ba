"""The atomic claim of STYLE.md, with a token and a lease that a heartbeat keeps. Knows no models.

A job is a row with `status`, `klaim` (the token of the worker that holds it) and `diproses_at`
(when that worker last showed it was alive). A task claims its row by moving it from waiting to
working in one UPDATE that writes a fresh token: only one delivery can win.

While the job runs, a thread of the worker renews `diproses_at` for its token every third of the
lease (TASK_LEASE_SECONDS). A thread rather than renewals at points of the job, because the long
steps are single calls (WeasyPrint laying out a PDF, the import's one transaction) that no
renewal could interrupt. A worker that dies or stops (killed, SIGSTOP, a frozen machine) stops
renewing: once the lease is over the row may be claimed again, with a new token.

A worker that stopped may wake up after that and finish its work. So every write the job makes
after its claim is conditional on its token (save_if_held): a worker whose token is gone writes
nothing to the row, deletes the file it made and sends no mail. One row, one result.
"""

import logging
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


class ClaimLost(Exception):
    """The worker's token is no longer on its row: another worker has the job now."""


def lease_expired() -> Q:
    """Rows whose worker has not renewed its claim within the lease (TASK_LEASE_SECONDS)."""
    return Q(diproses_at__lt=timezone.now() - timedelta(seconds=settings.TASK_LEASE_SECONDS))


def claim(rows, pk: int, *, waiting: str, working: str, **changes) -> str | None:
    """Claim row `pk` (waiting, or working with its lease over): its new token, or None when
    another worker has it."""
    token = uuid.uuid4().hex
    stale = Q(status=working) & lease_expired()
    claimed = rows.filter(Q(pk=pk) & (Q(status=waiting) | stale)).update(
        status=working, klaim=token, diproses_at=timezone.now(), **changes
    )
    return token if claimed else None


def held(row):
    """`row` in the database as long as the token it was loaded with is still its claim."""
    return type(row)._default_manager.filter(pk=row.pk, klaim=row.klaim)


def save_if_held(row, *, update_fields: list[str]) -> bool:
    """row.save(update_fields=...) if its worker still holds the claim; False, and nothing
    written, when another worker has taken the row over."""
    fields = [row._meta.get_field(name) for name in update_fields]
    # pre_save as Model.save does it: auto_now dates are set, a new file is stored.
    return bool(held(row).update(**{f.attname: f.pre_save(row, False) for f in fields}))


@contextmanager
def heartbeat(rows, pk: int, token: str):
    """Renew the claim's `diproses_at` every third of the lease while the block runs, for at
    most TASK_MAX_SECONDS: a job stuck beyond that lets the lease run out, so the row goes to
    another worker instead of staying claimed for ever."""
    model = rows.model
    every = max(settings.TASK_LEASE_SECONDS / 3, 0.5)
    give_up = time.monotonic() + settings.TASK_MAX_SECONDS
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every) and time.monotonic() < give_up:
                try:
                    renewed = model._default_manager.filter(pk=pk, klaim=token).update(
                        diproses_at=timezone.now()
                    )
                except DatabaseError:  # the database restarting: the next beat tries again
                    logger.warning("claim of %s %s not renewed", model.__name__, pk, exc_info=True)
                    continue
                if not renewed:
                    return  # another worker has the row: nothing left to keep
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"klaim-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)


@contextmanager
def claimed(rows, pk: int, *, waiting: str, working: str, **changes):
    """Claim row `pk` and keep the claim alive while the block runs. Gives the row as claimed
    (its `klaim` is this worker's token), or None when another worker has it."""
    token = claim(rows, pk, waiting=waiting, working=working, **changes)
    if token is None:
        yield None
        return
    with heartbeat(rows, pk, token):
        yield rows.filter(pk=pk, klaim=token).first()
