import logging

from celery import shared_task
from django.utils import timezone

from pembinaan.lib.claim import claim

from . import services
from .models import BerkasLaporan

logger = logging.getLogger(__name__)


@shared_task
def pengingat_laporan_task() -> int:
    services.laporan_sync()
    return services.pengingat_kirim(today=timezone.localdate())


@shared_task(acks_late=True)
def berkas_buat_task(pk: int) -> None:
    """Claim the row (menunggu → diproses) and make its PDF. A duplicate delivery finds the row
    claimed and does nothing, so one request makes one file; a row whose worker died is claimed
    again once its lease is over."""
    S = BerkasLaporan.Status
    if not claim(BerkasLaporan.objects, pk, waiting=S.MENUNGGU, working=S.DIPROSES):
        return
    berkas = BerkasLaporan.objects.select_related(
        "pegawai__unit",
        "pegawai__jabatan",
        "pegawai__golongan",
        "angkatan__pelatihan",
        "periode_unit__unit",
        "periode_unit__periode",
    ).get(pk=pk)
    try:
        services.berkas_render(berkas=berkas)
    except Exception as error:
        logger.exception("evaluation PDF %s failed", pk)
        BerkasLaporan.objects.filter(pk=pk).update(
            status=BerkasLaporan.Status.GAGAL,
            pesan_gagal=f"Berkas gagal dibuat ({error.__class__.__name__}). Coba minta ulang; "
            "bila tetap gagal, hubungi admin SIBINA.",
        )
