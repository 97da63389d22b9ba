"""A real streaming replica (DATABASE_REPLICA_URL, pembinaan.lib.db_router): a primary cluster of
the test's own holding a copy of the test database, a hot standby made from it by pg_basebackup,
and gunicorn on both. With the standby's replay paused, an administrator who adds a holiday sees
it on their next page (read from the primary) while another administrator's page, read from the
replica, does not yet; once the marker's lag is over the first one reads the replica again; once
replay resumes both see it. About 20 s here (two clusters, a base backup, gunicorn)."""

import http.client
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from pembinaan.lib.db_router import COOKIE
from tests import factories
from tests.services import PrivateCluster
from tests.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

LAG = 3  # REPLIKA_LAG_SECONDS of the server
HOLIDAY = "Libur Uji Replika"
YEAR = 2031


def copy_test_database(cluster: PrivateCluster, name: str) -> None:
    """The test database, as it is now, into `cluster` as `name`."""
    db = connection.settings_dict
    cluster.create_database(name)
    dump = subprocess.run(
        ["pg_dump", "-Fc", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
         "-U", db["USER"], db["NAME"]],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    subprocess.run(
        ["pg_restore", "--no-owner", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
         "-d", name],
        input=dump.stdout, capture_output=True, timeout=120, check=True,
    )  # fmt: skip


def sql(cluster: PrivateCluster, name: str, statement: str):
    with psycopg2.connect(host="127.0.0.1", port=cluster.port, user="postgres", dbname=name) as c:
        c.autocommit = True
        with c.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchone()


def request(url: str, path: str, cookies: dict[str, str], **post) -> tuple[int, str]:
    """GET (or POST `post` with a CSRF token) as the holder of `cookies`; updates them with the
    ones the response sets or deletes. The status and the body."""
    address = urlsplit(url)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if post:
        headers |= {"X-CSRFToken": cookies["csrftoken"],
                    "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    conn.request("POST" if post else "GET", path, body=urlencode(post) if post else None,
                 headers=headers)  # fmt: skip
    response = conn.getresponse()
    body = response.read().decode()
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        value = rest.split(";")[0].strip('"')
        if value and "max-age=0" not in header.lower():
            cookies[name] = value
        else:
            cookies.pop(name, None)
    conn.close()
    return response.status, body


def test_a_user_reads_their_own_write_from_the_primary_and_others_read_the_replica(
    cast, private_postgresql, private_redis, start_server
):
    other_admin = factories.user("admin_kedua", is_superuser=True, is_staff=True)
    leaving = factories.user("admin_pergi", is_superuser=True, is_staff=True)
    sessions = {}
    for who, user in (("penulis", cast.admin), ("pembaca", other_admin), ("pergi", leaving)):
        client = Client()
        client.force_login(user)
        sessions[who] = {"sessionid": client.cookies["sessionid"].value,
                         "csrftoken": get_random_string(32)}  # fmt: skip
    copy_test_database(private_postgresql, "sibina")
    # The standby after the copy: it starts with the sessions and the accounts.
    replica = None
    directory = Path(tempfile.mkdtemp(prefix="sibina-standby-"))
    try:
        replica = PrivateCluster(directory)
        replica._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(private_postgresql.port),
                     "-U", "postgres", "-D", str(replica.data), "-R", "-X", "stream",
                     "-c", "fast", "--no-sync")  # fmt: skip
        replica.start()
        assert sql(replica, "sibina", "SELECT pg_is_in_recovery()") == (True,)
        server = start_server(
            {"DATABASE_URL": private_postgresql.url("sibina"),
             "DATABASE_REPLICA_URL": replica.url("sibina"), "REPLIKA_LAG_SECONDS": str(LAG)}
            | private_redis.env()
        )  # fmt: skip
        daftar = reverse("hari_libur:list") + f"?tahun={YEAR}"
        assert request(server.url, daftar, sessions["pembaca"])[0] == 200
        sql(replica, "sibina", "SELECT pg_wal_replay_pause()")  # the replica lags from now on

        status, _ = request(
            server.url, reverse("hari_libur:create"), sessions["penulis"],
            tanggal=f"01/06/{YEAR}", jenis="libur_nasional", nama=HOLIDAY, dasar="",
        )  # fmt: skip
        assert status == 302 and COOKIE in sessions["penulis"]
        count = f"SELECT count(*) FROM pegawai_harilibur WHERE nama = '{HOLIDAY}'"
        assert sql(private_postgresql, "sibina", count) == (1,)
        assert sql(replica, "sibina", count) == (0,)

        # The writer's next page reads the primary; the other administrator's, the replica.
        assert HOLIDAY in request(server.url, daftar, sessions["penulis"])[1]
        status, page = request(server.url, daftar, sessions["pembaca"])
        assert status == 200 and HOLIDAY not in page
        assert COOKIE not in sessions["pembaca"]  # a page read marks nobody

        # Who may do what is read from the primary: a login deactivated there is signed out at
        # its next page, though the replica still has it active.
        assert request(server.url, daftar, sessions["pergi"])[0] == 200
        deactivate = (
            f"UPDATE pegawai_user SET is_active = false WHERE id = {leaving.pk} RETURNING id"
        )
        assert sql(private_postgresql, "sibina", deactivate) == (leaving.pk,)
        active = f"SELECT is_active FROM pegawai_user WHERE id = {leaving.pk}"
        assert sql(replica, "sibina", active) == (True,)
        assert request(server.url, daftar, sessions["pergi"])[0] == 302  # to the login page

        # The marker lives REPLIKA_LAG_SECONDS: then the writer reads the (lagging) replica too.
        time.sleep(LAG + 1)
        status, page = request(server.url, daftar, sessions["penulis"])
        assert status == 200 and HOLIDAY not in page

        sql(replica, "sibina", "SELECT pg_wal_replay_resume()")
        wait_for(lambda: HOLIDAY in request(server.url, daftar, sessions["pembaca"])[1],
                 seconds=60, what="the replica to replay the holiday")  # fmt: skip
    finally:
        if replica is not None:
            replica.stop()
        shutil.rmtree(directory, ignore_errors=True)
