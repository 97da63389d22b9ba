"""A real Celery worker, in its own process, on the Redis broker and the PostgreSQL test database,
for the integration and browser tests.

Runs where REDIS_URL and a PostgreSQL DATABASE_URL are set (CI, or a developer who starts both);
on a laptop's SQLite default the worker could not share the test database, so these are skipped.
"""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pytest
from celery import Celery
from django.db import connection

from pembinaan.celery import app

ROOT = Path(__file__).resolve().parents[1]


# The workers' claims lapse after a few seconds here, so that the report of a worker killed or
# stopped in a test is taken over within the test; in production the lease is a minute.
LEASE_SECONDS = 3


@dataclass
class Worker:
    process: subprocess.Popen
    log: TextIO
    hostname: str


def database_url() -> str:
    """The URL of the test database, for the processes the tests start."""
    db = connection.settings_dict
    credentials = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    address = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{address}/{db['NAME']}"


def start_worker(
    media: Path, name: str, env: dict[str, str] | None = None, queues: list[str] | None = None
) -> Worker:
    """A Celery worker process on the test database and Redis, started and answering. `env`
    goes over this process's environment: another REDIS_URL puts the worker on that broker.
    `queues`: those only (-Q); by default every queue (settings.CELERY_TASK_QUEUES)."""
    env = (
        os.environ
        | {
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(media),
            "TASK_LEASE_SECONDS": str(LEASE_SECONDS),
            # No dashboard refresh queued by the work it does: it would write while a test's
            # teardown empties the tables.
            "RINGKASAN_SEGERA": "0",
        }
        | (env or {})
    )
    hostname = f"{name}-{os.getpid()}@{socket.gethostname()}"
    log = open(media / f"{name}.log", "w")  # noqa: SIM115 - closed by stop_worker
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "pembinaan.celery",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            f"--hostname={hostname}",
            *([f"--queues={','.join(queues)}"] if queues else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Asked through the worker's broker: a Celery app's control sends on that app's broker. Not
    # made the current app, which the test process's tasks are sent through.
    broker = env["REDIS_URL"]
    control = app if broker == app.conf.broker_url else Celery(broker=broker, set_as_current=False)
    worker = Worker(process, log, hostname)
    deadline = time.monotonic() + 60
    try:
        while not control.control.ping(destination=[hostname], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                stop_worker(worker)  # one that never answered is not left running
                raise RuntimeError(
                    f"the Celery worker did not start: {(media / f'{name}.log').read_text()}"
                )
    finally:
        if control is not app:
            control.close()
    return worker


def stop_process(process: subprocess.Popen, *, timeout: int = 30) -> None:
    """Ask a process started by a test to end; kill it when it does not within `timeout`."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def stop_worker(worker: Worker) -> None:
    stop_process(worker.process)
    worker.log.close()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL (see README: tests)")
    media = tmp_path_factory.mktemp("media")
    worker = start_worker(media, "sibina-test")
    worker.media = media
    try:
        yield worker
    finally:
        stop_worker(worker)


@pytest.fixture(scope="session")
def celery_worker_process(celery_worker) -> Path:
    """The session worker's media folder (where the files it makes go)."""
    return celery_worker.media


def wait_for(
    predicate, *, seconds: float = 60, what: str = "the worker", every: float = 0.2
) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)
