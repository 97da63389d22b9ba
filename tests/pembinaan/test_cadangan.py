"""The restore drill (docs/backup.md): a database seeded with the demo (its evidence uploads in a
media folder) backed up by `manage.py cadangkan`, restored by `manage.py pulihkan` into a new
database and media folder, and compared table by table and file by file, here, without the
manifest; a damaged backup, a changed file and a lost row are caught.

Scratch databases beside the test database, named after it (parallel checkouts and xdist
workers never share one), dropped at the end. About 70 s on the shared CI machine: migrating
the first database (~30 s) and seeding it (`seed_demo --pegawai 10`, ~20 s) are most of it."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from pembinaan.lib import cadangan
from tests.services import manage, needs_the_services
from tests.workers import ROOT, database_url


def scratch_url(name: str) -> str:
    return urlunsplit(urlsplit(database_url())._replace(path=f"/{name}"))


def psql_connect(name: str):
    db = connection.settings_dict
    params = {"dbname": name, "user": db["USER"], "password": db["PASSWORD"]}
    params |= {"host": db["HOST"], "port": db["PORT"]}
    return psycopg2.connect(**{key: value for key, value in params.items() if value})


def drop(*names: str) -> None:
    maintenance = psql_connect("postgres")
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            for name in names:
                query = "DROP DATABASE IF EXISTS {} WITH (FORCE)"
                cursor.execute(sql.SQL(query).format(sql.Identifier(name)))
    finally:
        maintenance.close()


def database_exists(name: str) -> bool:
    maintenance = psql_connect("postgres")
    try:
        with maintenance.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        maintenance.close()


def row_counts(name: str) -> dict[str, int]:
    """Every base table of the public schema with its rows, read through information_schema
    (not the catalogue query the backup uses)."""
    database = psql_connect(name)
    try:
        with database.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
            counts = {}
            for (table,) in cursor.fetchall():
                cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        database.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """manage.py in a process of its own, its exit status kept (pulihkan is to fail here)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=manage_env(env), capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def manage_env(env: dict[str, str]) -> dict[str, str]:
    # Without Redis: seed_demo's jobs run in its own process, none goes to the session's worker.
    return {"REDIS_URL": "", "CACHE_URL": "", "RINGKASAN_SEGERA": "0"} | env


class Drill:
    def __init__(self, base: str, folder: Path):
        self.folder = folder
        self.src = f"{base}_cadangan_src"
        self.dst = f"{base}_cadangan_dst"
        self.rusak = f"{base}_cadangan_rusak"
        self.media_src = folder / "media-src"
        self.backup: Path | None = None

    @property
    def names(self) -> list[str]:
        return [self.src, self.dst, self.rusak]

    def restore(self, backup: Path, name: str, media: Path, *options: str):
        env = {"DATABASE_URL": scratch_url(name), "MEDIA_ROOT": str(media)}
        return run_manage("pulihkan", str(backup), *options, env=env)


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    needs_the_services()
    drill = Drill(connection.settings_dict["NAME"], tmp_path_factory.mktemp("cadangan"))
    drop(*drill.names)  # a killed run's leftovers
    maintenance = psql_connect("postgres")
    maintenance.autocommit = True
    with maintenance.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(drill.src)))
    maintenance.close()
    try:
        env = manage_env(
            {"DATABASE_URL": scratch_url(drill.src), "MEDIA_ROOT": str(drill.media_src)}
        )
        manage("migrate", "--no-input", env=env, timeout=600)
        manage("seed_demo", "--pegawai", "10", env=env, timeout=600)
        output = manage("cadangkan", "--direktori", str(drill.folder / "cadangan"), env=env)
        assert "Cadangan selesai" in output
        (drill.backup,) = (drill.folder / "cadangan").iterdir()
        yield drill
    finally:
        drop(*drill.names)


def test_a_restore_into_a_new_database_brings_back_every_row_and_file(drill, tmp_path):
    media = tmp_path / "media"
    restored = drill.restore(drill.backup, drill.dst, media)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Cocok dengan manifest" in restored.stdout

    source, copy = row_counts(drill.src), row_counts(drill.dst)
    assert copy == source
    assert source["pegawai_pegawai"] >= 10 and source["pelatihan_kegiataneksternal"] >= 1
    assert sum(source.values()) > 1000

    names = files_under(drill.media_src)
    assert files_under(media) == names
    assert any(name.startswith("kegiatan/") for name in names)  # the evidence of an activity
    for name in names[:: max(1, len(names) // 5)]:  # a sample of five or so
        assert sha256(media / name) == sha256(drill.media_src / name), name

    # The restored database is the application's: no migration is missing.
    manage("migrate", "--check", env=manage_env({"DATABASE_URL": scratch_url(drill.dst)}))

    # Over it again, told to replace it: dropped, created and checked anew.
    again = drill.restore(drill.backup, drill.dst, media, "--ganti")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"Basis data {drill.dst} dibuat" in again.stdout
    assert row_counts(drill.dst) == source


def test_a_damaged_dump_is_refused_before_anything_is_restored(drill, tmp_path):
    damaged = tmp_path / drill.backup.name
    shutil.copytree(drill.backup, damaged)
    dump = damaged / "basis-data.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(data)

    restored = drill.restore(damaged, drill.rusak, tmp_path / "media")
    assert restored.returncode != 0
    assert "Cadangan rusak" in restored.stderr and "basis-data.dump: SHA-256" in restored.stderr
    assert not database_exists(drill.rusak)
    assert not (tmp_path / "media").exists()


def test_a_changed_file_and_a_lost_row_are_reported_and_a_used_database_refused(drill, tmp_path):
    # Against the seeded database itself (read only here): a restore into it is refused...
    refused = drill.restore(drill.backup, drill.src, tmp_path / "kosong")
    assert (
        refused.returncode != 0 and "sudah berisi" in refused.stderr and "--ganti" in refused.stderr
    )

    # ...and the check alone finds it equal to its backup, until a file changes and the manifest
    # counts a row the database does not have (as after a restore that lost one).
    media = tmp_path / "media"
    shutil.copytree(drill.media_src, media)
    check = ("--hanya-periksa", "--media", str(media))
    assert drill.restore(drill.backup, drill.src, media, *check).returncode == 0

    evidence = next(name for name in files_under(media) if name.startswith("kegiatan/"))
    data = bytearray((media / evidence).read_bytes())
    data[-1] ^= 0xFF  # the same size: only the checksum tells
    (media / evidence).write_bytes(data)
    backup = tmp_path / drill.backup.name
    shutil.copytree(drill.backup, backup)
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["public.pegawai_harilibur"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))

    checked = drill.restore(backup, drill.src, media, *check)
    assert checked.returncode != 0
    assert f"Berkas {evidence}: SHA-256 berbeda" in checked.stdout
    assert "Tabel public.pegawai_harilibur:" in checked.stdout
    assert "2 perbedaan" in checked.stderr


def test_the_sqlite_default_is_told_that_backups_need_postgresql():
    settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}
    with pytest.raises(cadangan.BackupError, match="hanya untuk PostgreSQL"):
        cadangan.Database.from_settings(settings)
