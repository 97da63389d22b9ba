"""Faults with the real services, each put back afterwards."""

import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from pembinaan import services
from pembinaan.lib.dates import month_end
from pembinaan.models import LaporanMonitoring
from pembinaan.tasks import SWEEP_AFTER, antrean_sapu_task
from tests.workers import LEASE_SECONDS, start_worker, stop_worker, wait_for

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


def test_requests_after_a_postgresql_restart_succeed_without_restarting_the_application(
    cast, celery_worker_process
):
    """gunicorn keeps its database connection (CONN_MAX_AGE); PostgreSQL restarts under it;
    the next request finds the connection dead (CONN_HEALTH_CHECKS) and opens a new one."""
    from django.db import connection

    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}",
        "CONN_MAX_AGE": "600",
        # DEBUG on only so that no collected static files are needed; the connection handling
        # under test is the same either way.
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "pembinaan.wsgi:application",
         "--workers", "1", "--bind", "127.0.0.1:8799", "--log-level", "warning"],
        cwd=Path(__file__).resolve().parents[2], env=env,
    )  # fmt: skip
    url = "http://127.0.0.1:8799/warga/"

    def get() -> int:
        try:
            return urllib.request.urlopen(url, timeout=10).status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    try:
        wait_for(lambda: get() == 200, seconds=30, what="gunicorn")
        assert get() == 200
        cluster = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True)
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", cluster.stdout.split()[0], "main",
             "restart"],
            check=True,
        )  # fmt: skip
        wait_for(
            lambda: subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0,
            seconds=30, what="PostgreSQL",
        )  # fmt: skip
        assert [get() for _ in range(3)] == [200, 200, 200]
    finally:
        server.terminate()
        server.wait(timeout=30)
        connection.close()  # this test process's connection died with the restart too


class SmtpServer(socketserver.ThreadingTCPServer):
    """A real SMTP server on the loopback that refuses mail (451) until told to accept it."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.refuse = True
        self.received: list[bytes] = []


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sibina-test ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO", "RCPT", "RSET", "NOOP")):
                self.reply("250 ok")
            elif command.startswith("MAIL"):
                self.reply("451 4.3.0 coba lagi nanti" if self.server.refuse else "250 ok")
            elif command == "DATA":
                self.reply("354 kirim")
                body = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                self.server.received.append(body)
                self.reply("250 diterima")
            elif command == "QUIT":
                self.reply("221 sampai jumpa")
                return
            else:
                self.reply("502 tidak dikenal")


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_reminders_refused_by_the_mail_server_are_sent_on_a_later_run_and_once(cast, laporan, smtp):
    from evaluasi import services as evaluasi_services
    from evaluasi.models import Pengingat

    cast.pegawai_pegawai.email = "budi@jambiprov.go.id"
    cast.pegawai_pegawai.save()
    soon = laporan.jatuh_tempo - timedelta(days=10)
    assert evaluasi_services.pengingat_kirim(today=soon) == 0  # refused: not recorded
    assert not Pengingat.objects.exists() and not smtp.received
    smtp.refuse = False
    assert evaluasi_services.pengingat_kirim(today=soon) == 1
    assert evaluasi_services.pengingat_kirim(today=soon + timedelta(days=1)) == 0
    assert len(smtp.received) == 1 and b"budi@jambiprov.go.id" in smtp.received[0]
