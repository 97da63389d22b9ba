"""Faults with the real services, each put back afterwards."""

import subprocess

import pytest
from django.urls import reverse

from pembinaan import services
from pembinaan.models import LaporanMonitoring
from pembinaan.tasks import SWEEP_AFTER, antrean_sapu_task
from tests.integration.conftest import wait_for

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
