"""What makes the cached counts of pegawai lists (PEGAWAI_COUNTS), the cached unit tree
(UNIT_TREE) and jabatan names (JABATAN_NAMES) stale: a pegawai saved or removed (their login,
atasan, unit or activity), a unit saved, moved or removed, pengelola assigned or withdrawn, a
login removed, a jabatan saved or removed. Writers that bypass these signals (bulk imports,
seeding) call `pegawai_berubah` themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from treebeard.mp_tree import nodes_deleted, path_updated

from .models import (
    JABATAN_NAMES,
    PEGAWAI_COUNTS,
    UNIT_TREE,
    Jabatan,
    Pegawai,
    UnitKerja,
    User,
)


def pegawai_berubah() -> None:
    PEGAWAI_COUNTS.stale()


@receiver(post_save, sender=Pegawai)
@receiver(post_delete, sender=Pegawai)
@receiver(post_delete, sender=User)
@receiver(m2m_changed, sender=UnitKerja.pengelola.through)
def _pegawai_berubah(sender, **kwargs) -> None:
    pegawai_berubah()


@receiver(post_save, sender=UnitKerja)
@receiver(post_delete, sender=UnitKerja)
@receiver(path_updated, sender=UnitKerja)
@receiver(nodes_deleted, sender=UnitKerja)
def _unit_berubah(sender, **kwargs) -> None:
    """treebeard moves and deletes subtrees with plain UPDATEs and DELETEs, then says so."""
    UNIT_TREE.stale()
    pegawai_berubah()  # a pengelola's subtree follows the paths


@receiver(post_save, sender=Jabatan)
@receiver(post_delete, sender=Jabatan)
def _jabatan_berubah(sender, **kwargs) -> None:
    JABATAN_NAMES.stale()
