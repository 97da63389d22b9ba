"""What makes the cached roles of every login stale (pegawai.models.PERAN): a pegawai saved or
removed (their login, atasan, unit or activity), a unit saved or removed (a subtree managed),
pengelola assigned or withdrawn, a login removed. Writers that bypass these signals (bulk
imports, seeding) call `peran_berubah` themselves."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import PERAN, Pegawai, UnitKerja, User


def peran_berubah() -> None:
    # Now, for the rest of this transaction, and after the commit, so that a request that read
    # the old rows meanwhile cannot leave them cached under the new version.
    PERAN.bump()
    transaction.on_commit(PERAN.bump)


@receiver(post_save, sender=Pegawai)
@receiver(post_delete, sender=Pegawai)
@receiver(post_save, sender=UnitKerja)
@receiver(post_delete, sender=UnitKerja)
@receiver(post_delete, sender=User)
@receiver(m2m_changed, sender=UnitKerja.pengelola.through)
def _peran_berubah(sender, **kwargs) -> None:
    peran_berubah()
