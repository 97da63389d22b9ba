"""Sending Celery tasks so that a broker outage never fails the request that asked for the work.
Knows no models.

The work itself is a row in the database (STYLE.md: output row first, then an atomic claim), so
a task that could not be sent loses nothing: the periodic sweep (pembinaan.tasks) sends it again
once the broker is back, and the claim makes a second delivery do nothing.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *args, countdown: int | None = None) -> bool:
    """Send `task(*args)`, to run `countdown` seconds from now if given; False, logged, when the
    broker cannot take it."""
    try:
        if countdown is None:
            task.delay(*args)
        else:
            task.apply_async(args, countdown=countdown)
    except (OperationalError, OSError):
        logger.warning("%s%s not sent: the broker is unreachable; the sweep sends it later",
                       task.name, args, exc_info=True)  # fmt: skip
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """Send `task(*args)` once the current transaction commits (never for a rolled-back row)."""
    transaction.on_commit(partial(enqueue, task, *args))
