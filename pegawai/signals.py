"""What makes the cached unit tree (UNIT_TREE) and jabatan names (JABATAN_NAMES) stale: a unit
saved, moved or removed, a jabatan saved or removed. Bulk writes through their querysets do the
same (pembinaan.lib.cache.StalingQuerySet). And a sign-in that forgets what the session knew of
the second step (pegawai.middleware)."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from treebeard.mp_tree import nodes_deleted, path_updated

from .middleware import ENROLLED_KEY
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


@receiver(user_logged_in)
def _dua_faktor_ask_again(sender, request, user, **kwargs) -> None:
    """A new sign-in asks again whether the login enrolled in the second step (pegawai.middleware):
    it may have done so in another session since."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(ENROLLED_KEY, None)
