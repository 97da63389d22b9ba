"""A real Celery worker, in its own process, on the Redis broker and the PostgreSQL test database.

Runs where REDIS_URL and a PostgreSQL DATABASE_URL are set (CI, or a developer who starts both);
on a laptop's SQLite default the worker could not share the test database, so these are skipped.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from pembinaan.celery import app

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL (see README: tests)")
    db = connection.settings_dict
    media = tmp_path_factory.mktemp("media")
    credentials = f"{db['USER']}:{db['PASSWORD']}" if db.get("PASSWORD") else db["USER"]
    address = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    env = os.environ | {
        "DATABASE_URL": f"postgres://{credentials}@{address}/{db['NAME']}",
        "MEDIA_ROOT": str(media),
    }
    log = open(media / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "pembinaan",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=sibina-test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the Celery worker did not start: " + (media / "worker.log").read_text()
                )
        yield media
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


def wait_for(predicate, *, seconds: float = 60, what: str = "the worker") -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """A transactional test starts from the tables a previous one emptied: put back the
    reference rows that the migrations load."""
    from pegawai.models import Golongan
    from pegawai.referensi import golongan_ensure

    golongan_ensure(Golongan)
