"""Faults with the real services, each put back afterwards."""

import os
import signal
import subprocess
import time
from datetime import date

import pytest
from django.urls import reverse

from pembinaan import services
from pembinaan.lib.dates import month_end
from pembinaan.models import LaporanMonitoring
from pembinaan.tasks import SWEEP_AFTER, antrean_sapu_task
from tests.integration.conftest import LEASE_SECONDS, start_worker, stop_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379",
               "--save", "", "--appendonly", "no"]  # fmt: skip


def redis_up() -> bool:
    ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, text=True)
    return ping.stdout.strip() == "PONG"


@pytest.fixture
def redis_outage():
    """Stop the real Redis; whatever happens, start it again at the end."""
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], capture_output=True)
    wait_for(lambda: not redis_up(), seconds=10, what="Redis to stop")

    def restore():
        if not redis_up():
            subprocess.run(REDIS_START, check=True)
        wait_for(redis_up, seconds=10, what="Redis to start")

    try:
        yield restore
    finally:
        restore()


def test_a_report_asked_for_while_redis_is_down_waits_and_is_made_once_it_is_back(
    cast, celery_worker_process, settings, client, redis_outage
):
    settings.MEDIA_ROOT = celery_worker_process
    program = services.program_create(tahun=2026, by=cast.admin)
    client.force_login(cast.admin)
    response = client.post(
        reverse("pembinaan:laporan_request", args=[program.pk]), {"jenis": "bulan", "ke": "11"}
    )
    assert response.status_code == 302  # the request succeeds
    laporan = LaporanMonitoring.objects.get()
    assert laporan.status == "menunggu"
    redis_outage()  # Redis is back
    # As if the sweep's two minutes had passed.
    LaporanMonitoring.objects.filter(pk=laporan.pk).update(
        created_at=laporan.created_at - 2 * SWEEP_AFTER
    )
    assert antrean_sapu_task() == 1
    assert antrean_sapu_task() == 1  # sent twice on purpose: the claim makes one report

    def done():
        laporan.refresh_from_db()
        return laporan.status in ("selesai", "gagal")

    wait_for(done, seconds=120, what="the worker, reconnected, to make the report")
    assert laporan.status == "selesai", laporan.pesan_gagal
    files = list((celery_worker_process / "monitoring").rglob("*.pdf"))
    assert len(files) == 1


def test_a_worker_killed_in_the_middle_of_a_report_leaves_it_to_the_next_one_once(
    cast, celery_worker, settings, tmp_path
):
    """The session worker is paused, so that the report goes to a worker of this test, which is
    killed (SIGKILL) while the report is claimed; a new worker takes it over after the lease."""
    settings.MEDIA_ROOT = celery_worker.media
    settings.TASK_LEASE_SECONDS = LEASE_SECONDS
    program = services.program_create(tahun=2026, by=cast.admin)
    os.kill(celery_worker.process.pid, signal.SIGSTOP)
    doomed = start_worker(celery_worker.media, "sibina-doomed")
    try:
        laporan = None
        for month in (11, 10, 9):  # should the report finish before the kill, try another
            laporan, _ = services.laporan_request(
                program=program, mulai=date(2026, month, 1),
                selesai=month_end(date(2026, month, 1)), by=cast.admin,
            )  # fmt: skip

            def claimed_or_done(laporan=laporan):
                laporan.refresh_from_db()
                return laporan.status != "menunggu"

            wait_for(claimed_or_done, seconds=60, what="the doomed worker to claim the report")
            if laporan.status == "diproses":
                os.kill(doomed.process.pid, signal.SIGKILL)
                doomed.process.wait(timeout=10)
                break
        laporan.refresh_from_db()
        assert doomed.process.poll() is not None, "the report always finished before the kill"
        assert laporan.status == "diproses" and not laporan.file
    finally:
        stop_worker(doomed)
    successor = start_worker(celery_worker.media, "sibina-successor")
    try:
        time.sleep(LEASE_SECONDS + 0.5)
        assert antrean_sapu_task() >= 1

        def done():
            laporan.refresh_from_db()
            return laporan.status in ("selesai", "gagal")

        wait_for(done, seconds=120, what="the successor to make the report")
        assert laporan.status == "selesai", laporan.pesan_gagal
        made = list((celery_worker.media / "monitoring").rglob(f"monitoring-{laporan.pk}*.pdf"))
        assert len(made) == 1
    finally:
        stop_worker(successor)
        os.kill(celery_worker.process.pid, signal.SIGCONT)
