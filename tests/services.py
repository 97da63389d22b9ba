"""A Redis server and a PostgreSQL cluster of a test's own, on free ports of the loopback and in a
temporary directory, for the fault tests that stop, restart or pause them. The Redis and
PostgreSQL the rest of the suite runs on are shared (with other checkouts, with CI): no test
stops those.

Like the Celery worker (tests/workers.py), they are skipped where REDIS_URL and a PostgreSQL
DATABASE_URL are not set: a laptop's SQLite default.
"""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pytest
import redis
from django.db import connection

from tests.workers import ROOT, stop_process, wait_for


def needs_the_services() -> None:
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL (see README: tests)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server on 127.0.0.1, nothing saved to disk; the broker in database 0, the cache
    in database 1, as the settings would put them."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log: TextIO = open(directory / "redis.log", "a")  # noqa: SIM115 - closed by close()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def env(self) -> dict[str, str]:
        """The environment of a process that uses this Redis for everything."""
        return {"REDIS_URL": self.url, "CACHE_URL": f"redis://127.0.0.1:{self.port}/1"}

    def is_up(self) -> bool:
        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        try:
            return client.ping()
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self.is_up, seconds=10, what=f"the test's Redis on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.log.close()


def postgresql_bin() -> Path:
    """The directory of initdb and pg_ctl: Debian keeps them out of PATH, one per version."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    if not found:
        raise RuntimeError("the PostgreSQL server programs (initdb, pg_ctl) are not installed")
    return Path(found).parent


class PrivateCluster:
    """A PostgreSQL cluster on 127.0.0.1, its socket in its own directory, trusting local
    connections as `postgres`. The server refuses to run as root: as root, its programs run as
    the system user postgres, who owns the directory."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.bin = postgresql_bin()
        self.user = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self.user:
            os.chown(directory, self.user.pw_uid, self.user.pw_gid)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.user:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.directory / "postgresql.log"
            raise RuntimeError(
                f"{program} {args[0] if args else ''} failed: {result.stdout}{result.stderr}"
                f"{log.read_text() if log.exists() else ''}"
            )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip

    def _pg_ctl(self, action: str) -> None:
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")  # fmt: skip
        log = str(self.directory / "postgresql.log")
        self._run("pg_ctl", action, "-D", str(self.data), "-o", options, "-l", log,
                  "-m", "fast", "-w", "-t", "30")  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30")

    def is_up(self) -> bool:
        ready = subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)], timeout=10
        )
        return ready.returncode == 0

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)


def manage_start(*args: str, env: dict[str, str]) -> subprocess.Popen:
    """manage.py started in a process of its own with `env` over this one's environment."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=os.environ | env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def manage(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    """manage.py in a process of its own with `env` over this one's environment; its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=os.environ | env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


@pytest.fixture
def private_redis():
    """A Redis of this test's own, started; stopped and removed at the end."""
    needs_the_services()
    directory = Path(tempfile.mkdtemp(prefix="sibina-redis-"))
    server = PrivateRedis(directory)
    try:
        server.start()
        yield server
    finally:
        server.close()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def private_postgresql():
    """A PostgreSQL cluster of this test's own, started; stopped and removed at the end. Made
    under /tmp, not pytest's tmp_path: the user postgres cannot enter root's pytest folder."""
    needs_the_services()
    directory = Path(tempfile.mkdtemp(prefix="sibina-pg-"))
    cluster = PrivateCluster(directory)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(directory, ignore_errors=True)


@dataclass
class Server:
    """The application served by gunicorn, in a process of its own."""

    process: subprocess.Popen
    url: str
    log: TextIO

    def status(self, path: str, **request) -> int:
        """The HTTP status of a request to `path` (a redirect is not followed); 0 when nothing
        answered. `request`: urllib's Request arguments (data, headers, method)."""
        return self.get(path, **request)[0]

    def get(self, path: str, **request) -> tuple[int, dict[str, str], str]:
        """The status, headers and body of a request to `path`, as status() makes it; (0, {},
        "") when nothing answered."""
        try:
            with _no_redirects.open(
                urllib.request.Request(self.url + path, **request), timeout=10
            ) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
        except OSError:
            return 0, {}, ""


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect is the answer, raised as an HTTPError with its code


_no_redirects = urllib.request.build_opener(_KeepRedirects)


@pytest.fixture
def start_server(tmp_path):
    """start_server(env): gunicorn serving the application with `env` over this process's
    environment, answering; stopped at the end of the test. Options, for the drills that kill a
    server and start it again (tests/integration/test_drill_horizontal.py): `port` (a free one
    if None), `gunicorn_args` added to the command line (a later option wins), and
    `own_group`: the server in a process group of its own, its workers with it, so that
    os.killpg(server.process.pid, SIGKILL) kills them all."""
    servers: list[Server] = []

    def start(
        env: dict[str, str],
        *,
        port: int | None = None,
        gunicorn_args: tuple[str, ...] = (),
        own_group: bool = False,
    ) -> Server:
        port = port or free_port()
        log = open(tmp_path / f"gunicorn-{port}.log", "a")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "pembinaan.wsgi:application",
             "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
             *gunicorn_args],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=own_group,
            # DEBUG on only so that no collected static files are needed.
            # Signed in by force_login cookies, as the rest of the suite (tests/conftest.py turns
            # the second sign-in step off in this process; the server reads its own setting).
            env=os.environ
            | {"DEBUG": "1", "ALLOWED_HOSTS": "127.0.0.1", "DUA_FAKTOR_WAJIB": "0"}
            | env,
        )  # fmt: skip
        server = Server(process, f"http://127.0.0.1:{port}", log)
        servers.append(server)
        wait_for(lambda: server.status("/warga/") == 200 or process.poll() is not None,
                 seconds=60, what="gunicorn")  # fmt: skip
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {Path(log.name).read_text()}")
        return server

    try:
        yield start
    finally:
        for server in servers:
            stop_process(server.process)
            server.log.close()
