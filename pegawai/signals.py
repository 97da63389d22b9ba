"""What makes the cached unit tree (UNIT_TREE) and jabatan names (JABATAN_NAMES) stale: a unit
saved, moved or removed, a jabatan saved or removed. Bulk writes through their querysets do the
same (pembinaan.lib.cache.StalingQuerySet)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from treebeard.mp_tree import nodes_deleted, path_updated

from .models import JABATAN_NAMES, UNIT_TREE, Jabatan, UnitKerja


@receiver(post_save, sender=UnitKerja)
@receiver(post_delete, sender=UnitKerja)
@receiver(path_updated, sender=UnitKerja)
@receiver(nodes_deleted, sender=UnitKerja)
def _unit_berubah(sender, **kwargs) -> None:
    """treebeard moves and deletes subtrees with plain UPDATEs and DELETEs, then says so."""
    UNIT_TREE.stale()


@receiver(post_save, sender=Jabatan)
@receiver(post_delete, sender=Jabatan)
def _jabatan_berubah(sender, **kwargs) -> None:
    JABATAN_NAMES.stale()
