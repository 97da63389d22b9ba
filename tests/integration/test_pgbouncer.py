"""SIBINA behind a real PgBouncer in transaction pooling mode (PGBOUNCER=1, docs/scaling.md):
pages, a streamed export (.iterator()), a POST and the Celery task it sends all run through a
pool of two server connections shared by three clients (gunicorn, the worker and its lease
thread), so any session-level state would be lost between transactions. Skipped where pgbouncer
is not installed. About 25 s here (gunicorn, a worker, one PDF)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from pembinaan import services
from pembinaan.models import LaporanMonitoring
from tests.services import free_port, manage, needs_the_services
from tests.workers import start_worker, stop_process, stop_worker, wait_for

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def pgbouncer():
    """A pgbouncer on 127.0.0.1 in front of the test database's server, transaction pooling,
    two server connections per database; its port. As root it runs as postgres (it refuses
    root), in a folder under /tmp that postgres may write."""
    needs_the_services()
    if not os.path.exists(PGBOUNCER):
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer)")
    db = connection.settings_dict
    directory = Path(tempfile.mkdtemp(prefix="sibina-pgbouncer-"))
    port = free_port()
    (directory / "users.txt").write_text(f'"{db["USER"]}" ""\n')
    (directory / "pgbouncer.ini").write_text(
        f"[databases]\n* = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432}\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {directory / 'users.txt'}\npool_mode = transaction\n"
        f"default_pool_size = 2\nmax_client_conn = 50\nadmin_users = {db['USER']}\n"
        f"ignore_startup_parameters = extra_float_digits\nlogfile = {directory / 'pgb.log'}\n"
    )
    command = [PGBOUNCER, str(directory / "pgbouncer.ini")]
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
        for each in directory.iterdir():
            shutil.chown(each, "postgres")
        command[1:1] = ["-u", "postgres"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def answers():
        try:
            psycopg2.connect(host="127.0.0.1", port=port, user=db["USER"], dbname="pgbouncer",
                             connect_timeout=2).close()  # fmt: skip
            return True
        except psycopg2.OperationalError:
            return process.poll() is not None

    try:
        wait_for(answers, seconds=30, what="pgbouncer")
        assert process.poll() is None, (directory / "pgb.log").read_text()
        yield port
    finally:
        stop_process(process, timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def transactions_through(port: int, database: str) -> int:
    """How many transactions pgbouncer has passed on to `database` (its admin console)."""
    admin = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="pgbouncer")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SHOW STATS")
            names = [c.name for c in cursor.description]
            for row in cursor.fetchall():
                stats = dict(zip(names, row, strict=True))
                if stats["database"] == database:
                    return int(stats["total_xact_count"])
    finally:
        admin.close()
    return 0


@pytest.mark.django_db(transaction=True)
def test_pages_an_export_a_post_and_its_task_through_pgbouncer_in_transaction_mode(
    cast, client, pgbouncer, private_redis, start_server, tmp_path
):
    db = connection.settings_dict
    through = f"postgres://{db['USER']}@127.0.0.1:{pgbouncer}/{db['NAME']}"
    env = {"DATABASE_URL": through, "PGBOUNCER": "1", "MEDIA_ROOT": str(tmp_path)}
    env |= private_redis.env()
    worker = start_worker(tmp_path, "sibina-pgbouncer", env)
    try:
        server = start_server(env)
        program = services.program_create(tahun=LAST_YEAR, by=cast.admin)
        client.force_login(cast.admin)  # the session row, read by the server through pgbouncer
        csrf = get_random_string(32)
        cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
        for path in ["/", reverse("pegawai:list"), reverse("pembinaan:program_detail",
                     args=[program.pk])]:  # fmt: skip
            assert server.status(path, headers={"Cookie": cookie}) == 200, path
        status, _, body = server.get(reverse("pegawai:export_csv"), headers={"Cookie": cookie})
        assert status == 200 and cast.pegawai_pegawai.nip in body  # .iterator(), streamed
        status = server.status(
            reverse("pembinaan:laporan_request", args=[program.pk]),
            data=urlencode({"periode": "bulan-11"}).encode(),
            headers={"Cookie": cookie, "X-CSRFToken": csrf},
        )
        assert status == 302

        def done():
            laporan = LaporanMonitoring.objects.get()
            return laporan.status in ("selesai", "gagal") and laporan

        wait_for(done, seconds=120, what="the worker, through pgbouncer, to make the report")
        laporan = LaporanMonitoring.objects.get()
        assert laporan.status == "selesai", laporan.pesan_gagal
        assert len(list((tmp_path / "monitoring").rglob("*.pdf"))) == 1
        assert transactions_through(pgbouncer, db["NAME"]) > 20
    finally:
        stop_worker(worker)


def test_pgbouncer_on_turns_server_side_cursors_off_and_the_check_notices_an_override():
    code = (
        "from django.conf import settings; from django.core.checks import run_checks; "
        "print(settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS']); "
        "settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'] = False; "
        "print([m.id for m in run_checks()])"
    )
    on, checks = manage("shell", "-c", code, env={"PGBOUNCER": "1"}).splitlines()[-2:]
    assert on == "True" and "pembinaan.W002" in checks
    off = manage("shell", "-c", code.replace("print(settings.DATABASES['default']"
                                             "['DISABLE_SERVER_SIDE_CURSORS']); ", ""),
                 env={"PGBOUNCER": "0"}).splitlines()[-1]  # fmt: skip
    assert "pembinaan.W002" not in off


def test_the_time_zone_django_sets_follows_each_client_through_pgbouncer(
    django_db_setup, pgbouncer
):
    """Django sets the connection's time zone once, when it connects (outside any transaction):
    PgBouncer tracks that parameter per client and sets it again on whichever server connection
    it hands out (a `SET` of most other parameters would stay on the server connection for the
    next client). Why SIBINA's only SET is safe in transaction pooling mode."""
    name = connection.settings_dict["NAME"]
    clients = [
        psycopg2.connect(host="127.0.0.1", port=pgbouncer, user="postgres", dbname=name)
        for _ in range(3)
    ]
    try:
        for client in clients:
            client.autocommit = True
        jakarta, other, third = (client.cursor() for client in clients)
        jakarta.execute("SET TIME ZONE 'Asia/Jakarta'")
        for _ in range(3):  # transactions of three clients over two server connections
            other.execute("SHOW TimeZone")
            assert other.fetchone()[0] != "Asia/Jakarta"
            third.execute("SHOW TimeZone")
            assert third.fetchone()[0] != "Asia/Jakarta"
            jakarta.execute("SHOW TimeZone")
            assert jakarta.fetchone()[0] == "Asia/Jakarta"
    finally:
        for client in clients:
            client.close()
