"""/healthz/ and /metrics against the real services (README: Operations): all up with a real worker
and a real beat, then each one down (PostgreSQL stopped under a gunicorn server, Redis stopped and
hung, no worker, beat stale), and the queue gauges over messages no worker consumes.

About a minute and a half in all on CI (a PostgreSQL cluster and three Redis servers of the
tests' own, one gunicorn, one beat; the session's worker)."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from celery import Celery

from pembinaan.lib import denyut
from tests.metrics import samples
from tests.services import Server, free_port
from tests.workers import ROOT, database_url, stop_process, wait_for

# A real beat with the settings' heartbeat entry alone, every second: the other entries of the
# schedule would send the session's worker real work in the middle of other tests.
BEAT = """
import sys
import django
django.setup()
from django.conf import settings
from pembinaan.celery import app
app.conf.beat_schedule = {"denyut": settings.CELERY_BEAT_SCHEDULE["denyut"] | {"schedule": 1.0}}
app.Beat(schedule=sys.argv[1], loglevel="INFO").run()
"""


def failing(client) -> tuple[int, set[str], dict]:
    response = client.get("/healthz/")
    checks = response.json()["checks"]
    return response.status_code, {n for n, c in checks.items() if c["status"] == "gagal"}, checks


@pytest.fixture
def on_private_redis(private_redis, settings):
    """This process's settings on the test's own Redis (broker database 0, cache 1)."""
    settings.REDIS_URL = private_redis.url
    settings.CACHE_URL = private_redis.env()["CACHE_URL"]
    return private_redis


def test_healthz_is_200_with_the_database_redis_a_worker_and_beat_and_503_once_beat_stops(
    celery_worker, client, settings, tmp_path
):
    redis = denyut.client(settings.REDIS_URL)
    redis.delete(denyut.KEY.format("beat"), denyut.KEY.format("worker"))
    assert failing(client)[1] == {"worker", "beat"}  # neither has been seen yet
    log = open(tmp_path / "beat.log", "w")  # noqa: SIM115 - closed below
    beat = subprocess.Popen(
        [sys.executable, "-c", BEAT, str(tmp_path / "beat-schedule")], cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url()}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: client.get("/healthz/").status_code == 200, seconds=90,
                 what="beat's heartbeat run by the worker")  # fmt: skip
        status, down, checks = failing(client)
        assert status == 200 and down == set()
        assert {n: c["status"] for n, c in checks.items()} == dict.fromkeys(
            ["database", "broker", "cache", "worker", "beat"], "ok"
        )
    finally:
        stop_process(beat)
        log.close()
    # Beat stopped: its last sign of life ages past the limit.
    settings.DENYUT_BATAS_DETIK = 2
    wait_for(lambda: "beat" in failing(client)[1], seconds=30, what="beat to be seen stale")
    assert failing(client)[0] == 503


def test_no_worker_is_named_and_the_queue_gauges_count_what_waits(on_private_redis, client):
    # Nobody consumes this broker. The heartbeat sent through it is beat's sign of life.
    broker = Celery(broker=on_private_redis.url, set_as_current=False)
    try:
        broker.send_task("pembinaan.tasks.denyut_task")
        for priority in (None, None, 9):
            broker.send_task("evaluasi.tasks.berkas_buat_task", args=[0], queue="pdf",
                             priority=priority)  # fmt: skip
        for _ in range(2):
            broker.send_task("pegawai.tasks.notifikasi_susulan_task", queue="surel")
    finally:
        broker.close()
    status, down, checks = failing(client)
    assert (status, down) == (503, {"worker"})
    assert checks["worker"]["keterangan"] == "belum pernah tercatat"
    assert checks["beat"]["status"] == "ok"

    found = samples(client.get("/metrics").content.decode())
    queues = {
        q: found[("sibina_celery_antrean_panjang", (("antrean", q),))]
        for q in ["celery", "surel", "pdf", "impor", "ringkasan"]
    }
    assert queues == {"celery": 1, "surel": 2, "pdf": 3, "impor": 0, "ringkasan": 0}
    assert found[("sibina_sumber_metrik_up", (("sumber", "broker"),))] == 1
    assert found[("sibina_denyut_umur_detik", (("proses", "beat"),))] < 60
    assert ("sibina_denyut_umur_detik", (("proses", "worker"),)) not in found

    # A worker that was seen ten minutes ago and not since.
    denyut.stamp("worker", at=time.time() - 600)
    status, down, checks = failing(client)
    assert (status, down) == (503, {"worker"}) and checks["worker"]["umur_detik"] >= 600


def test_a_stale_beat_is_named(on_private_redis, client):
    denyut.stamp("worker")
    denyut.stamp("beat", at=time.time() - 300)
    status, down, checks = failing(client)
    assert (status, down) == (503, {"beat"})
    assert checks["beat"]["umur_detik"] >= 300 and checks["beat"]["batas_detik"] == 60


def test_redis_hung_or_stopped_is_named_and_answered_without_an_error(on_private_redis, client):
    denyut.stamp("worker")
    denyut.stamp("beat")
    assert failing(client)[:2] == (200, set())
    process = on_private_redis.process
    process.send_signal(signal.SIGSTOP)  # hangs: accepts nothing, answers nothing
    try:
        status, down, checks = failing(client)
        metrics = client.get("/metrics")
    finally:
        process.send_signal(signal.SIGCONT)
    assert (status, down) == (503, {"broker", "cache"})
    assert checks["worker"]["status"] == checks["beat"]["status"] == "tidak_diketahui"
    assert metrics.status_code == 200
    assert (
        samples(metrics.content.decode())[("sibina_sumber_metrik_up", (("sumber", "broker"),))] == 0
    )
    wait_for(lambda: failing(client)[0] == 200, seconds=30, what="Redis back")
    on_private_redis.stop()
    assert failing(client)[:2] == (503, {"broker", "cache"})


def test_a_stopped_database_is_named_by_a_production_server_probed_by_address(
    private_postgresql, private_redis, tmp_path
):
    # Settings as in production: DEBUG off, the HTTPS redirect on, only the site's name allowed.
    env = {
        "DATABASE_URL": private_postgresql.create_database("sibina_healthz"),
        **private_redis.env(),
        "DEBUG": "0",
        "SECRET_KEY": "only-for-this-test-" + "x" * 40,
        "ALLOWED_HOSTS": "sibina.example",
        "STATIC_ROOT": tempfile.mkdtemp(dir=tmp_path),
    }
    for kind in ("beat", "worker"):
        denyut.client(private_redis.url).set(denyut.KEY.format(kind), time.time())
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "pembinaan.wsgi:application",
         "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=os.environ | env,
    )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_for(lambda: server.status("/healthz/?cek=hidup") == 200 or process.poll() is not None,
                 seconds=60, what="gunicorn")  # fmt: skip
        status, _, body = server.get("/healthz/")
        assert status == 200, body
        assert server.status("/metrics") == 200  # from the loopback
        private_postgresql.stop()
        status, _, body = server.get("/healthz/")
        metrics = server.get("/metrics")
    finally:
        stop_process(process)
        log.close()
    assert status == 503 and '"database": {"status": "gagal"' in body
    assert '"broker": {"status": "ok"}' in body and "sibina_healthz" not in body
    assert metrics[0] == 200
    assert samples(metrics[2])[("sibina_sumber_metrik_up", (("sumber", "database"),))] == 0


def test_a_celery_worker_with_log_format_json_writes_json_lines(celery_worker, tmp_path):
    """Celery would put its own format on the root logger; with LOG_FORMAT=json it keeps ours
    (pembinaan.celery). --quiet leaves out the banner, which is printed, not logged."""
    from pembinaan.celery import app

    queue = f"uji-json-{os.getpid()}"
    err = open(tmp_path / "worker.err", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "--quiet", "-A", "pembinaan.celery",
         "worker", "--pool=solo", "--loglevel=INFO", "--without-heartbeat", "--without-gossip",
         "--without-mingle", "-Q", queue, f"--hostname={queue}@uji"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err,
        # Python's own warnings (running as root in CI) are printed, not logged.
        env=os.environ | {"DATABASE_URL": database_url(), "LOG_FORMAT": "json",
                          "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    try:
        app.send_task("pembinaan.tasks.denyut_task", queue=queue)
        wait_for(lambda: "succeeded" in (tmp_path / "worker.err").read_text(), seconds=90,
                 what="the JSON worker to run the heartbeat")  # fmt: skip
    finally:
        stop_process(process)
        err.close()
        # Sending to a queue not configured declared it on this process's app: undone, so that
        # the app's queues stay the configured ones for the tests that follow.
        app.amqp.queues.pop(queue, None)
    lines = [json.loads(line) for line in (tmp_path / "worker.err").read_text().splitlines()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    ran = [line for line in lines if line["logger"] == "celery.app.trace"]
    assert "pembinaan.tasks.denyut_task" in ran[-1]["message"] and ran[-1]["level"] == "INFO"
