import logging

from celery import shared_task
from django.utils import timezone

from pembinaan.lib.claim import claimed, held

from . import services
from .models import BerkasLaporan, PeriodePenilaian, PutaranIklim

logger = logging.getLogger(__name__)


@shared_task
def pengingat_laporan_task() -> int:
    services.laporan_sync()
    return services.pengingat_kirim(today=timezone.localdate())


@shared_task(acks_late=True)
def berkas_buat_task(pk: int) -> None:
    """Claim the row (menunggu → diproses) and make its PDF. A duplicate delivery finds the row
    claimed and does nothing, so one request makes one file; a row whose worker died or stopped
    is claimed again once its lease is over, and the late worker's file is discarded."""
    S = BerkasLaporan.Status
    rows = BerkasLaporan.objects.select_related(
        "pegawai__unit",
        "pegawai__jabatan",
        "pegawai__golongan",
        "angkatan__pelatihan",
        "periode_unit__unit",
        "periode_unit__periode",
    )
    with claimed(rows, pk, waiting=S.MENUNGGU, working=S.DIPROSES) as berkas:
        if berkas is None:
            return
        try:
            services.berkas_render(berkas=berkas)
        except Exception as error:
            logger.exception("evaluation PDF %s failed", pk)
            held(berkas).update(
                status=S.GAGAL,
                pesan_gagal=f"Berkas gagal dibuat ({error.__class__.__name__}). Coba minta ulang; "
                "bila tetap gagal, hubungi admin SIBINA.",
            )


@shared_task
def periode_notify_task(pk: int) -> int:
    """Tell the atasan of an opened period's pegawai that their ratings are awaited."""
    periode = PeriodePenilaian.objects.filter(pk=pk).first()
    if periode is None:
        return 0
    return services.periode_notify(periode=periode)


@shared_task
def putaran_notify_task(pk: int) -> int:
    """Invite the pegawai of an opened climate round's units."""
    putaran = PutaranIklim.objects.filter(pk=pk).first()
    if putaran is None:
        return 0
    return services.putaran_notify(putaran=putaran)
