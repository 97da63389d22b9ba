"""The dashboards' figures are stored and made anew by a job (pembinaan: RingkasanUnit,
CapaianTarget). A write that changes what they count (an import of pegawai, a result decision,
a verification) calls `figures_stale()`; pembinaan, which listens, brings them up to date
within a minute, the half-hourly job staying the safety net. A signal, because the apps below
pembinaan may not import it (STYLE.md: dependencies point one way). Knows no models."""

from django.db import transaction
from django.dispatch import Signal

figures_changed = Signal()


def figures_stale(source: str) -> None:
    """What the dashboards count changed in the current transaction: the listeners hear it once
    it commits (at once outside one; never for a rolled-back one). `source` names the write. A
    listener's failure is logged, never the writer's."""
    transaction.on_commit(lambda: figures_changed.send(sender=source), robust=True)
