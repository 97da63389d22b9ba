import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from . import services
from .lib import denyut
from .lib.claim import claimed, held, lease_expired
from .lib.queue import enqueue
from .models import LaporanMonitoring, ProgramPembinaan

logger = logging.getLogger(__name__)


@shared_task
def capaian_task() -> int:
    """The actuals of this year's program, for today; on the first of a month also the month
    that just ended, with its last day counted."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    done = 0
    for day in {yesterday, today} if yesterday.month != today.month else {today}:
        for program in ProgramPembinaan.objects.filter(tahun=day.year):
            done += len(services.capaian_hitung(program=program, sampai=day))
    return done


@shared_task
def capaian_program_task(pk: int) -> int:
    """One program's actuals now, when an administrator asks for them."""
    program = ProgramPembinaan.objects.get(pk=pk)
    return len(services.capaian_hitung(program=program, sampai=timezone.localdate()))


@shared_task
def ringkasan_task() -> int:
    """The dashboards' unit figures, made anew."""
    return services.ringkasan_simpan(today=timezone.localdate())


@shared_task
def ringkasan_segarkan_task() -> int:
    """The dashboards' figures after a write that changed them (an import, a result decision, a
    verification), a few seconds after it committed."""
    return services.ringkasan_refresh(today=timezone.localdate())


LAPORAN_RETRIES = 3


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=LAPORAN_RETRIES)
def laporan_buat_task(self, pk: int) -> None:
    """Claim the report (menunggu → diproses) and make it. A duplicate delivery finds it claimed
    and does nothing; a report whose worker died or stopped is claimed again once its lease is
    over, and the late worker's work is discarded. A failure puts it back to menunggu and
    retries with a growing delay; once the retries are spent it ends gagal with the reason."""
    S = LaporanMonitoring.Status
    rows = LaporanMonitoring.objects.select_related("program")
    job = claimed(rows, pk, waiting=S.MENUNGGU, working=S.DIPROSES, progres=0, tahap="Dimulai")
    with job as laporan:
        if laporan is None:
            return
        try:
            services.laporan_render(laporan=laporan)
        except Exception as error:
            logger.exception("monitoring report %s failed (try %s)", pk, self.request.retries + 1)
            if self.request.retries < self.max_retries:
                if held(laporan).update(status=S.MENUNGGU, tahap="Gagal; dicoba lagi"):
                    raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
                return  # another worker has it now
            held(laporan).update(
                status=S.GAGAL,
                pesan_gagal=f"Laporan gagal dibuat ({error.__class__.__name__}) setelah "
                f"{self.max_retries + 1} percobaan. Minta ulang; bila tetap gagal, hubungi admin.",
            )


@shared_task
def laporan_bulanan_task() -> int:
    """On the first of the month: the report of the month that just ended, for its program."""
    last_month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    made = 0
    for program in ProgramPembinaan.objects.filter(tahun=last_month_end.year):
        _, queued = services.laporan_request(
            program=program,
            mulai=last_month_end.replace(day=1),
            selesai=last_month_end,
            by=None,
        )
        made += queued
    return made


SWEEP_AFTER = timedelta(minutes=2)


def _waiting():
    """Every row that waits for a worker, with the task that makes it: (queryset, task). A row
    waits when its task was sent over two minutes ago and no worker claimed it, or when its
    worker stopped renewing its claim (killed, stopped) and the lease ran out."""
    from evaluasi.models import BerkasLaporan
    from evaluasi.tasks import berkas_buat_task
    from pegawai.models import ImporPegawai
    from pegawai.tasks import impor_check_task, impor_commit_task

    before = timezone.now() - SWEEP_AFTER
    berkas = Q(status="menunggu", created_at__lt=before) | (Q(status="diproses") & lease_expired())
    S = ImporPegawai.Status
    impor = ImporPegawai.objects.filter(
        Q(status__in=[S.MENUNGGU_PERIKSA, S.MENUNGGU_SIMPAN], updated_at__lt=before)
        | (Q(status__in=[S.DIPERIKSA, S.DISIMPAN]) & lease_expired())
    )
    return [
        (BerkasLaporan.objects.filter(berkas), berkas_buat_task),
        (LaporanMonitoring.objects.filter(berkas), laporan_buat_task),
        (impor.filter(status__in=[S.MENUNGGU_PERIKSA, S.DIPERIKSA]), impor_check_task),
        (impor.filter(status__in=[S.MENUNGGU_SIMPAN, S.DISIMPAN]), impor_commit_task),
    ]


@shared_task
def antrean_sapu_task() -> int:
    """Send again the work whose task never reached a worker (the broker was down when it was
    asked for). Safe to overdo: each task claims its row, so a second delivery does nothing."""
    sent = 0
    for rows, task in _waiting():
        for pk in rows.values_list("pk", flat=True)[:500]:
            sent += enqueue(task, pk)
    return sent


@shared_task
def ip_asn_task() -> int:
    """This year's IP ASN per pegawai, stored; in the first quarter also last year's, whose
    annual predicates are given in its first months (PermenPANRB 6/2022)."""
    today = timezone.localdate()
    years = [today.year - 1, today.year] if today.month <= 3 else [today.year]
    return sum(services.ip_asn_simpan(tahun=year) for year in years)


@shared_task
def penempatan_talenta_task() -> int:
    """Every active pegawai's nine-box placement made anew from their latest potential and the
    last two years' predicates."""
    return services.penempatan_hitung(today=timezone.localdate())


@shared_task
def dampak_ringkasan_task() -> int:
    """Every finished batch's impact sums, measured anew and stored for the monitoring report
    (pembinaan.dampak.ringkasan_simpan)."""
    from . import dampak

    return dampak.ringkasan_simpan(today=timezone.localdate())


@shared_task
def ringkasan_bulan_task() -> int:
    """The monitoring report's data for the month that ended last, stored anew
    (services.ringkasan_bulan_simpan)."""
    return services.ringkasan_bulan_simpan(today=timezone.localdate())


@shared_task(ignore_result=True)
def denyut_task() -> None:
    """The heartbeat beat sends every DENYUT_DETIK seconds: the worker that runs it writes that a
    worker is alive (pembinaan.lib.denyut, read by /healthz/)."""
    denyut.stamp("worker")
