"""Responses deleted one by one or in bulk (the admin removing spam) leave their months'
IKM rollup; new ones are added by the services that write them (masyarakat.rekap)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import rekap
from .models import ResponSurvei


@receiver(post_delete, sender=ResponSurvei)
def _respon_dihapus(sender, instance: ResponSurvei, **kwargs) -> None:
    rekap.tambah([instance], sign=-1)
