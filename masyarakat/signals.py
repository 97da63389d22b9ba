"""Responses deleted one by one or in bulk (the admin removing spam) leave their months'
IKM rollup; new ones are added by the services that write them (masyarakat.rekap). A service
unit saved or removed makes the cached active units (models.LAYANAN) stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import rekap
from .models import LAYANAN, ResponSurvei, UnitLayanan


@receiver(post_delete, sender=ResponSurvei)
def _respon_dihapus(sender, instance: ResponSurvei, **kwargs) -> None:
    rekap.tambah([instance], sign=-1)


@receiver(post_save, sender=UnitLayanan)
@receiver(post_delete, sender=UnitLayanan)
def _layanan_berubah(sender, **kwargs) -> None:
    LAYANAN.stale()
