"""The atomic claim of STYLE.md, with a lease. Knows no models.

A task claims its row by moving it from waiting to working in one UPDATE; only one delivery can
win. A worker killed in the middle leaves the row working: once the lease is over, the row may be
claimed again, so the work is done once and never lost.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone


def lease_expired() -> Q:
    """Rows claimed longer ago than the lease (TASK_LEASE_SECONDS)."""
    return Q(diproses_at__lt=timezone.now() - timedelta(seconds=settings.TASK_LEASE_SECONDS))


def claim(queryset, pk: int, *, waiting: str, working: str, **changes) -> bool:
    """Claim row `pk` (waiting, or working with its lease over); False when another has it."""
    stale = Q(status=working) & lease_expired()
    return bool(
        queryset.filter(Q(pk=pk) & (Q(status=waiting) | stale)).update(
            status=working, diproses_at=timezone.now(), **changes
        )
    )
