"""Faults with the real services. A service a test stops, restarts or kills is its own (a Redis
server, a PostgreSQL cluster or a Celery worker started for it, tests/services.py), and so are
the processes that use it: the Redis and PostgreSQL the rest of the suite shares stay up."""

import os
import re
import signal
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from pegawai.models import ImporPegawai, Pegawai
from pembinaan import services
from pembinaan.models import LaporanMonitoring
from pembinaan.tasks import SWEEP_AFTER
from tests.pegawai.test_impor import csv_file, row
from tests.services import manage, manage_start
from tests.workers import LEASE_SECONDS, database_url, start_worker, stop_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# A monitoring report is made for an ended period only: the program of last year has ended.
LAST_YEAR = timezone.localdate().year - 1
SWEEP = "from pembinaan.tasks import antrean_sapu_task as sweep; print({})"
REQUEST_REPORT = """
from datetime import date
from pembinaan import services
from pembinaan.lib.dates import month_end
from pembinaan.models import ProgramPembinaan
start = date({year}, {month}, 1)
laporan, _ = services.laporan_request(
    program=ProgramPembinaan.objects.get(pk={program}), mulai=start, selesai=month_end(start),
    by=None,
)
print(laporan.pk)
"""


def run(code: str, env: dict[str, str]) -> list[int]:
    """Run `code` in a Django process of its own with `env`; the numbers it printed last."""
    return [int(n) for n in manage("shell", "-c", code, env=env).splitlines()[-1].split()]


def test_a_report_asked_for_while_redis_is_down_waits_and_is_made_once_it_is_back(
    cast, client, private_redis, start_server, tmp_path
):
    """The application (gunicorn) and a worker run on a Redis of the test's own, which stops:
    the request still succeeds; once Redis is back, the sweep sends the report's task again and
    the worker, reconnected, makes it once."""
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path)} | private_redis.env()
    worker = start_worker(tmp_path, "sibina-outage", private_redis.env())
    try:
        server = start_server(env)
        program = services.program_create(tahun=LAST_YEAR, by=cast.admin)
        client.force_login(cast.admin)  # the server reads the session from the database
        csrf = get_random_string(32)
        private_redis.stop()
        status = server.status(
            reverse("pembinaan:laporan_request", args=[program.pk]),
            data=urlencode({"periode": "bulan-11"}).encode(),
            headers={"Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}",
                     "X-CSRFToken": csrf},
        )  # fmt: skip
        assert status == 302  # the request succeeds
        laporan = LaporanMonitoring.objects.get()
        assert laporan.status == "menunggu"
        private_redis.start()  # Redis is back
        # As if the sweep's two minutes had passed.
        LaporanMonitoring.objects.filter(pk=laporan.pk).update(
            created_at=laporan.created_at - 2 * SWEEP_AFTER
        )
        # Sent twice on purpose, both waiting in the broker while the worker is paused: the
        # claim makes one report.
        os.kill(worker.process.pid, signal.SIGSTOP)
        try:
            assert run(SWEEP.format("sweep(), sweep()"), env) == [1, 1]
            with redis.Redis.from_url(private_redis.url) as broker:
                assert broker.llen("pdf") == 2  # the report's queue (settings.CELERY_TASK_ROUTES)
        finally:
            os.kill(worker.process.pid, signal.SIGCONT)

        def done():
            laporan.refresh_from_db()
            return laporan.status in ("selesai", "gagal")

        wait_for(done, seconds=120, what="the worker, reconnected, to make the report")
        assert laporan.status == "selesai", laporan.pesan_gagal
        assert len(list((tmp_path / "monitoring").rglob("*.pdf"))) == 1
    finally:
        stop_worker(worker)


def test_a_worker_killed_in_the_middle_of_a_report_leaves_it_to_the_next_one_once(
    cast, private_redis, tmp_path
):
    """The report goes to a worker on a Redis of the test's own, which is killed (SIGKILL) while
    the report is claimed; a new worker takes it over after the lease."""
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path),
           "TASK_LEASE_SECONDS": str(LEASE_SECONDS)} | private_redis.env()  # fmt: skip
    program = services.program_create(tahun=LAST_YEAR, by=cast.admin)
    doomed = start_worker(tmp_path, "sibina-doomed", private_redis.env())
    try:
        laporan = None
        for month in (11, 10, 9):  # should the report finish before the kill, try another
            start = date(program.tahun, month, 1)
            asked = LaporanMonitoring.objects.filter(program=program, periode_mulai=start)
            # Watched while the request's process is still closing: a report takes a second.
            request = manage_start(
                "shell",
                "-c",
                REQUEST_REPORT.format(program=program.pk, year=program.tahun, month=month),
                env=env,
            )

            def claimed_or_done(asked=asked):
                return asked.exclude(status="menunggu").exists()

            try:
                wait_for(claimed_or_done, seconds=60, every=0.01,
                         what="the doomed worker to claim the report")  # fmt: skip
                laporan = asked.get()
                if laporan.status == "diproses":
                    os.kill(doomed.process.pid, signal.SIGKILL)
                    doomed.process.wait(timeout=10)
            finally:
                output, errors = request.communicate(timeout=60)
            assert request.returncode == 0, output + errors
            if doomed.process.poll() is not None:
                break
        laporan.refresh_from_db()
        assert doomed.process.poll() is not None, "the report always finished before the kill"
        assert laporan.status == "diproses" and not laporan.file
    finally:
        stop_worker(doomed)
    successor = start_worker(tmp_path, "sibina-successor", private_redis.env())
    try:
        time.sleep(LEASE_SECONDS + 0.5)
        assert run(SWEEP.format("sweep()"), env)[0] >= 1

        def done():
            laporan.refresh_from_db()
            return laporan.status in ("selesai", "gagal")

        wait_for(done, seconds=120, what="the successor to make the report")
        assert laporan.status == "selesai", laporan.pesan_gagal
        made = list((tmp_path / "monitoring").rglob(f"monitoring-{laporan.pk}*.pdf"))
        assert len(made) == 1
    finally:
        stop_worker(successor)


def test_requests_after_a_postgresql_restart_succeed_without_restarting_the_application(
    private_postgresql, private_redis, start_server
):
    """gunicorn keeps its database connection (CONN_MAX_AGE) to a PostgreSQL cluster of the
    test's own, which restarts under it; the next request finds the connection dead
    (CONN_HEALTH_CHECKS) and opens a new one."""
    env = {"DATABASE_URL": private_postgresql.create_database("sibina"), "CONN_MAX_AGE": "600"}
    env |= private_redis.env()
    manage("migrate", "--no-input", env=env)
    server = start_server(env)
    assert server.status("/warga/") == 200
    private_postgresql.restart()
    wait_for(private_postgresql.is_up, seconds=30, what="the test's PostgreSQL")
    assert [server.status("/warga/") for _ in range(3)] == [200, 200, 200]


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "test-only-secret-key-for-the-fault-tests-0123456789abcdefghij",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
}
LOG_AN_ERROR = "import logging; logging.getLogger('django.request').error('Internal Server Error')"


def test_while_postgresql_is_down_visitors_get_503_and_the_admins_no_mail(
    private_postgresql, private_redis, start_server, smtp, tmp_path
):
    """gunicorn as in production (DEBUG off, ADMINS, mail to a real SMTP server) on a PostgreSQL
    cluster of the test's own, which stops: each request gets the maintenance page (503,
    Retry-After) and no mail is sent; once PostgreSQL is back the next request succeeds."""
    smtp.refuse = False
    host, port = smtp.server_address
    env = {"DATABASE_URL": private_postgresql.create_database("sibina"), "CONN_MAX_AGE": "600",
           "STATIC_ROOT": str(tmp_path / "static"), "ADMIN_EMAILS": "admin@jambiprov.go.id",
           "EMAIL_HOST": host, "EMAIL_PORT": str(port), "EMAIL_USE_TLS": "0"}  # fmt: skip
    env |= PRODUCTION | private_redis.env()
    manage("migrate", "--no-input", env=env)
    manage("collectstatic", "--no-input", env=env)
    # The mail of an error reaches the SMTP server from this configuration.
    manage("shell", "-c", LOG_AN_ERROR, env=env)
    assert len(smtp.received) == 1 and b"admin@jambiprov.go.id" in smtp.received[0]
    server = start_server(env)
    assert server.status("/warga/") == 200
    private_postgresql.stop()
    for _ in range(3):
        status, headers, body = server.get("/warga/")
        assert (status, headers.get("Retry-After")) == (503, "30")
        assert "SIBINA sedang pemeliharaan" in body
    assert len(smtp.received) == 1  # none for the 503s
    assert "Service Unavailable: /warga/" in Path(server.log.name).read_text()  # but logged
    private_postgresql.start()
    wait_for(private_postgresql.is_up, seconds=30, what="the test's PostgreSQL")
    assert server.status("/warga/") == 200


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


def tasks_ended(worker_log: Path) -> int:
    """How many tasks the worker whose log this is has ended (however they ended)."""
    return len(re.findall(r"Task \S+\[\S+\] (succeeded|raised|retry)", worker_log.read_text()))


def test_a_worker_stopped_past_its_lease_loses_the_report_to_another_and_it_is_made_once(
    cast, private_redis, smtp, tmp_path
):
    """A worker is stopped (SIGSTOP) in the middle of a report, long enough for its lease to
    run out; the sweep gives the report to a second worker, which makes and mails it. Resumed
    (SIGCONT), the first finishes its work and finds its claim gone: it keeps no file and sends
    no mail. One PDF on disk, one mail, the row as the second worker left it."""
    smtp.refuse = False
    cast.admin.email = "admin@jambiprov.go.id"
    cast.admin.save()
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path),
           "TASK_LEASE_SECONDS": str(LEASE_SECONDS)} | private_redis.env()  # fmt: skip
    workers = private_redis.env() | smtp.env()
    program = services.program_create(tahun=LAST_YEAR, by=cast.admin)
    stopped = start_worker(tmp_path, "sibina-stopped", workers)
    second = None
    try:
        laporan = None
        for month in (11, 10, 9, 8):  # should the report finish before the stop, try another
            asked = LaporanMonitoring.objects.filter(program=program, periode_mulai__month=month)
            request = manage_start(
                "shell",
                "-c",
                REQUEST_REPORT.format(program=program.pk, year=program.tahun, month=month),
                env=env,
            )

            def at_work_or_done(asked=asked):
                # Its first progress: the worker has claimed and loaded the report.
                return asked.filter(progres__gt=0).exists()

            try:
                wait_for(at_work_or_done, seconds=60, every=0.01,
                         what="the first worker to start the report")  # fmt: skip
                os.kill(stopped.process.pid, signal.SIGSTOP)
            finally:
                output, errors = request.communicate(timeout=60)
            assert request.returncode == 0, output + errors
            laporan = asked.get()
            if laporan.status == "diproses":
                break
            os.kill(stopped.process.pid, signal.SIGCONT)  # it finished first: once more
        assert laporan.status == "diproses", "the report always finished before the stop"
        token_of_the_stopped = laporan.klaim
        ended_before = tasks_ended(tmp_path / "sibina-stopped.log")

        second = start_worker(tmp_path, "sibina-second", workers)
        time.sleep(LEASE_SECONDS + 0.5)  # nothing renews the stopped worker's claim
        assert run(SWEEP.format("sweep()"), env)[0] >= 1

        def made_and_mailed():
            laporan.refresh_from_db()
            return laporan.status in ("selesai", "gagal") and laporan.dikirim_at is not None

        wait_for(made_and_mailed, seconds=120, what="the second worker to make and mail it")
        assert laporan.status == "selesai", laporan.pesan_gagal
        by_the_second = (laporan.klaim, laporan.file.name, laporan.selesai_at)

        os.kill(stopped.process.pid, signal.SIGCONT)
        wait_for(lambda: tasks_ended(tmp_path / "sibina-stopped.log") > ended_before,
                 seconds=120, what="the stopped worker, resumed, to end its task")  # fmt: skip
    finally:
        os.kill(stopped.process.pid, signal.SIGCONT)
        stop_worker(stopped)
        if second is not None:
            stop_worker(second)
    laporan.refresh_from_db()
    assert (laporan.klaim, laporan.file.name, laporan.selesai_at) == by_the_second
    assert laporan.klaim != token_of_the_stopped and laporan.status == "selesai"
    made = list((tmp_path / "monitoring").rglob(f"monitoring-{laporan.pk}*.pdf"))
    assert [p.relative_to(tmp_path).as_posix() for p in made] == [laporan.file.name]
    link = laporan.get_absolute_url().encode()
    assert len([m for m in smtp.received if link in m]) == 1


IMPOR_REQUEST = """
from django.core.files.uploadedfile import SimpleUploadedFile
from pegawai import services
from pegawai.models import User
with open({path!r}, "rb") as fh:
    upload = SimpleUploadedFile("pegawai.csv", fh.read())
print(services.impor_request(file=upload, user=User.objects.get(pk={user})).pk)
"""
IMPOR_SAVE = """
from pegawai import services
from pegawai.models import ImporPegawai
print(int(services.impor_commit_request(job=ImporPegawai.objects.get(pk={job}))))
"""


def killed_while(worker, job, state: str) -> None:
    """Kill (SIGKILL) `worker` as soon as it has claimed `job` into `state`, in the middle."""

    def claimed():
        return ImporPegawai.objects.filter(pk=job).exclude(status__startswith="menunggu").exists()

    wait_for(claimed, seconds=60, every=0.01, what=f"the worker to claim the import ({state})")
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=10)
    now = ImporPegawai.objects.values_list("status", flat=True).get(pk=job)
    assert now == state, f"the import was {now} at the kill; it needs a larger file"


def test_an_import_whose_worker_died_checking_then_saving_is_taken_over_and_saved_once(
    cast, private_redis, tmp_path
):
    """A worker killed while checking an import, then another killed while saving it (a few
    thousand rows take seconds): each time the sweep gives the import to the next worker after
    the lease, and it ends saved once, all its rows and their history written once."""
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path),
           "TASK_LEASE_SECONDS": str(LEASE_SECONDS)} | private_redis.env()  # fmt: skip
    count = 9000  # the check takes ~2 s: longer than the asking process takes to exit
    rows = [
        row(nip=f"199003{1 + i // 999:02d}2015031{1 + i % 999:03d}",
            tanggal_lahir=f"{1 + i // 999:02d}/03/1990", nama=f"Pegawai Impor {i}")
        for i in range(count)
    ]  # fmt: skip
    (tmp_path / "pegawai.csv").write_bytes(csv_file(rows).read())
    before = Pegawai.objects.count()

    def next_worker(name: str):
        worker = start_worker(tmp_path, name, private_redis.env())
        time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's lease runs out
        assert run(SWEEP.format("sweep()"), env)[0] >= 1
        return worker

    first = start_worker(tmp_path, "sibina-impor-1", private_redis.env())
    try:
        job = run(IMPOR_REQUEST.format(path=str(tmp_path / "pegawai.csv"), user=cast.pengelola.pk),
                  env)[0]  # fmt: skip
        killed_while(first, job, "diperiksa")
    finally:
        stop_worker(first)
    second = next_worker("sibina-impor-2")
    try:
        wait_for(lambda: ImporPegawai.objects.get(pk=job).status == "siap", seconds=120,
                 what="the second worker to check the import")  # fmt: skip
        assert run(IMPOR_SAVE.format(job=job), env) == [1]
        killed_while(second, job, "disimpan")
    finally:
        stop_worker(second)
    assert Pegawai.objects.count() == before  # the killed save wrote nothing
    third = next_worker("sibina-impor-3")
    try:
        wait_for(lambda: ImporPegawai.objects.get(pk=job).status in ("selesai", "gagal"),
                 seconds=120, what="the third worker to save the import")  # fmt: skip
    finally:
        stop_worker(third)
    saved = ImporPegawai.objects.get(pk=job)
    assert saved.status == "selesai", saved.pesan_gagal or saved.kesalahan[:3]
    assert saved.jumlah_baru == count and Pegawai.objects.count() - before == count
    imported = Pegawai.history.filter(nama__startswith="Pegawai Impor ")
    assert imported.count() == count
