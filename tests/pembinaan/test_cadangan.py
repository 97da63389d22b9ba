"""The restore drill (docs/backup.md): a database seeded with the demo (its evidence uploads in a
media folder) backed up by `manage.py cadangkan`, restored by `manage.py pulihkan` into a new
database and media folder, and compared table by table and file by file, here, without the
manifest; a damaged backup, a changed file and a lost row are caught.

Scratch databases beside the test database, named after it (parallel checkouts and xdist
workers never share one), dropped at the end. About 70 s on the shared CI machine: migrating
the first database (~30 s) and seeding it (`seed_demo --pegawai 10`, ~20 s) are most of it."""

import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
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


def test_a_manifest_with_a_renamed_key_is_refused_before_anything_is_restored(drill, tmp_path):
    # The operator's check: `sed -i 's/"tables"/"tablez"/' manifest.json`. Refused at reading,
    # not after pg_restore with a KeyError in the check.
    renamed = tmp_path / drill.backup.name
    shutil.copytree(drill.backup, renamed)
    manifest = renamed / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"tables"', '"tablez"'))

    restored = drill.restore(renamed, drill.rusak, tmp_path / "media")
    assert restored.returncode != 0
    assert "rusak: isian 'tables' hilang" in restored.stderr, restored.stderr
    assert "Traceback" not in restored.stderr
    assert not database_exists(drill.rusak)
    assert not (tmp_path / "media").exists()


def test_media_in_use_is_refused_with_a_rehearsal_directory_offered(drill, tmp_path):
    media = tmp_path / "media"
    (media / "sk").mkdir(parents=True)
    (media / "sk/lama.pdf").write_bytes(b"%PDF")
    refused = drill.restore(drill.backup, drill.rusak, media)
    assert refused.returncode != 0
    assert "--media" in refused.stderr and "MEDIA=" in refused.stderr
    assert "--ganti" in refused.stderr
    assert (media / "sk/lama.pdf").read_bytes() == b"%PDF"
    drop(drill.rusak)


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
    assert "1 berbeda" in checked.stdout and "Migrasi:" in checked.stdout
    assert "2 perbedaan" in checked.stderr


def test_the_sqlite_default_is_told_that_backups_need_postgresql():
    settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}
    with pytest.raises(cadangan.BackupError, match="hanya untuk PostgreSQL"):
        cadangan.Database.from_settings(settings)


# The security checks of a restore (issue 24's review): a backup directory is not trusted. Built
# by hand, without seeding; the library's checks run on SQLite too, in well under a second.


def tar_file(name: str, data: bytes = b"isi") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def tar_link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def symlink_chain_poc() -> list[tuple[tarfile.TarInfo, bytes | None]]:
    """The shape of CVE-2025-4517's proof: a chain of symbolic links longer than PATH_MAX makes
    tarfile's "data" filter misjudge `escape` (a link to the folder above the destination), and
    a hard link through it, written over, writes outside. On Python 3.11.7 extractall(filter=
    "data") overwrites ../luar.txt with it."""
    members: list[tuple[tarfile.TarInfo, bytes | None]] = []
    folder, steps, path = "d" * 247, "abcdefghijklmnop", ""
    for step in steps:
        directory = tarfile.TarInfo(f"{path}{folder}")
        directory.type = tarfile.DIRTYPE
        members += [(directory, None), tar_link(f"{path}{step}", folder)]
        path += f"{folder}/"
    chain = "/".join(steps) + "/" + "l" * 254
    members += [
        tar_link(chain, "../" * len(steps)),
        tar_link("escape", chain + "/../"),
        tar_link("korban", "escape/luar.txt", tarfile.LNKTYPE),
        tar_file("korban", b"DITIMPA"),
    ]
    return members


def write_tar(path: Path, members) -> None:
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)


def listed(members) -> dict:
    """A manifest listing every regular member (as a forger would)."""
    files = [
        {"path": info.name, "size": info.size, "sha256": hashlib.sha256(data).hexdigest()}
        for info, data in members
        if info.isreg()
    ]
    return {"media": {"file": "media.tar", "files": files}}


@pytest.fixture
def place(tmp_path):
    """media/ with luar.txt beside it, the file the attacks aim at."""
    (tmp_path / "media").mkdir()
    (tmp_path / "luar.txt").write_text("asli")
    return tmp_path


def outside_untouched(place: Path) -> None:
    assert (place / "luar.txt").read_text() == "asli"
    assert sorted(p.name for p in place.iterdir()) == ["luar.txt", "media", "media.tar"]


ATTACKS = {
    "symbolic link": [tar_link("tautan", "../luar.txt"), tar_file("tautan", b"DITIMPA")],
    "hard link": [tar_link("keras", "../luar.txt", tarfile.LNKTYPE)],
    "parent path": [tar_file("kegiatan/../../luar.txt", b"DITIMPA")],
    "absolute path": [tar_file("/tmp/sibina-cadangan-mutlak.txt", b"DITIMPA")],
    "device": [(tarfile.TarInfo("perangkat"), None)],
    "fifo": [(tarfile.TarInfo("pipa"), None)],
    "symlink chain (CVE-2025-4517)": symlink_chain_poc(),
}
ATTACKS["device"][0][0].type = tarfile.CHRTYPE
ATTACKS["fifo"][0][0].type = tarfile.FIFOTYPE


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
def test_an_archive_with_anything_but_listed_regular_files_is_refused(place, attack):
    members = [tar_file("kegiatan/bukti.pdf", b"%PDF sah")] + ATTACKS[attack]
    write_tar(place / "media.tar", members)
    manifest = listed(members)
    with pytest.raises(cadangan.BackupError, match="ditolak"):
        cadangan.media_check(place / "media.tar", manifest)
    with pytest.raises(cadangan.BackupError, match="ditolak"):
        cadangan.media_extract(
            archive=place / "media.tar", manifest=manifest, media_root=place / "media"
        )
    outside_untouched(place)
    assert list((place / "media").iterdir()) == []  # not even the valid file before it
    assert not Path("/tmp/sibina-cadangan-mutlak.txt").exists()


def test_a_file_not_in_the_manifest_or_of_another_size_is_refused(place):
    write_tar(place / "media.tar", [tar_file("a.pdf", b"12345"), tar_file("b.pdf", b"x")])
    manifest = {"media": {"file": "media.tar", "files": [{"path": "a.pdf", "size": 5}]}}
    with pytest.raises(cadangan.BackupError, match="'b.pdf' ditolak .tidak tercantum"):
        cadangan.media_check(place / "media.tar", manifest)
    manifest["media"]["files"] += [{"path": "b.pdf", "size": 2}]
    with pytest.raises(cadangan.BackupError, match="'b.pdf' ditolak .ukurannya 1 byte"):
        cadangan.media_check(place / "media.tar", manifest)


def test_a_symbolic_link_already_in_media_root_is_not_followed(place):
    (place / "elsewhere").mkdir()
    (place / "media" / "kegiatan").symlink_to(place / "elsewhere")
    (place / "media" / "sk.pdf").symlink_to(place / "luar.txt")
    for name in ("kegiatan/bukti.pdf", "sk.pdf"):
        members = [tar_file(name, b"DITIMPA")]
        write_tar(place / "media.tar", members)
        with pytest.raises(cadangan.BackupError, match="tautan simbolik"):
            cadangan.media_extract(
                archive=place / "media.tar", manifest=listed(members), media_root=place / "media"
            )
    assert (place / "luar.txt").read_text() == "asli"
    assert list((place / "elsewhere").iterdir()) == []


def test_listed_regular_files_are_extracted_as_streams(place):
    members = [tar_file("kegiatan/2026/bukti.pdf", b"%PDF bukti"), tar_file("sk.pdf", b"%PDF")]
    members[0][0].mode = 0o4777  # set-id and everyone's write are not restored
    write_tar(place / "media.tar", members)
    cadangan.media_extract(
        archive=place / "media.tar", manifest=listed(members), media_root=place / "media"
    )
    assert (place / "media/kegiatan/2026/bukti.pdf").read_bytes() == b"%PDF bukti"
    assert (place / "media/sk.pdf").read_bytes() == b"%PDF"
    assert stat.S_IMODE((place / "media/kegiatan/2026/bukti.pdf").stat().st_mode) == 0o644


def manifest_with(**changes) -> dict:
    manifest = {
        "format": 1,
        "dump": {"file": "basis-data.dump"},
        "media": {"file": "media.tar", "files": [{"path": "kegiatan/a.pdf", "size": 1}]},
        "tables": {"public.pegawai_pegawai": 1},
        "migrations": {"pegawai": "0001_initial"},
    }
    for key, value in changes.items():
        part, field = key.split("__")
        manifest[part][field] = value
    return manifest


@pytest.mark.parametrize(
    "changes",
    [
        {"dump__file": "../basis-data.dump"},
        {"dump__file": "/etc/passwd"},
        {"media__file": "sub/media.tar"},
        {"media__file": ".."},
        {"media__files": [{"path": "../../etc/passwd", "size": 1}]},
        {"media__files": [{"path": "/etc/passwd", "size": 1}]},
        {"media__files": [{"path": "kegiatan/./a.pdf", "size": 1}]},
        {"media__files": [{"path": "a\x00.pdf", "size": 1}]},
    ],
    ids=str,
)
def test_a_manifest_naming_anything_outside_is_refused_before_it_is_used(tmp_path, changes):
    (tmp_path / "manifest.json").write_text(json.dumps(manifest_with(**changes)))
    with pytest.raises(cadangan.BackupError, match="ditolak"):
        cadangan.manifest_read(tmp_path)


@pytest.mark.parametrize("missing", ["tables", "migrations"])
def test_a_manifest_without_its_tables_or_migrations_is_refused_at_reading(tmp_path, missing):
    manifest = manifest_with()
    manifest[missing + "z"] = manifest.pop(missing)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(cadangan.BackupError, match=f"isian '{missing}' hilang"):
        cadangan.manifest_read(tmp_path)


def test_a_huge_manifest_is_refused_unread(tmp_path):
    with open(tmp_path / "manifest.json", "wb") as manifest:
        manifest.truncate(cadangan.MANIFEST_MAX + 1)  # sparse: no disk used
    with pytest.raises(cadangan.BackupError, match="melebihi batas"):
        cadangan.manifest_read(tmp_path)


def test_a_password_is_masked_where_the_target_is_shown():
    database = cadangan.Database(name="sibina", user="sibina", password="rahasia", host="db")
    assert database.shown() == "postgres://sibina:***@db/sibina"


# The same through the commands on PostgreSQL: a real backup of an empty database (seconds).


@pytest.fixture(scope="module")
def empty_backup(tmp_path_factory):
    needs_the_services()
    base = connection.settings_dict["NAME"]
    names = [f"{base}_cadangan_kosong", f"{base}_cadangan_jahat", f"{base}_cadangan_pulih"]
    folder = tmp_path_factory.mktemp("kosong")
    drop(*names)
    maintenance = psql_connect("postgres")
    maintenance.autocommit = True
    with maintenance.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(names[0])))
    maintenance.close()
    (folder / "media/kegiatan").mkdir(parents=True)
    (folder / "media/kegiatan/bukti.pdf").write_bytes(b"%PDF bukti")
    try:
        env = {"DATABASE_URL": scratch_url(names[0]), "MEDIA_ROOT": str(folder / "media")}
        backed_up = subprocess.run(
            [sys.executable, "manage.py", "cadangkan", "--direktori", str(folder / "cadangan")],
            cwd=ROOT, env=os.environ | manage_env(env), capture_output=True, text=True,
            timeout=300, umask=0o022,
        )  # fmt: skip
        assert backed_up.returncode == 0, backed_up.stdout + backed_up.stderr
        (backup,) = (folder / "cadangan").iterdir()
        yield backup, names
    finally:
        drop(*names)


def test_a_backup_is_readable_by_its_owner_only(empty_backup):
    backup, _ = empty_backup
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    files = sorted(backup.iterdir())
    assert [path.name for path in files] == sorted(
        ["SHA256SUMS", "basis-data.dump", "manifest.json", "media.tar"]
    )
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def forged(backup: Path, folder: Path, members) -> Path:
    """The backup with its archive replaced by `members`, its manifest and sums to match."""
    copy = folder / backup.name
    shutil.copytree(backup, copy)
    write_tar(copy / "media.tar", members)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["media"] |= listed(members)["media"] | {
        "size": (copy / "media.tar").stat().st_size,
        "sha256": sha256(copy / "media.tar"),
    }
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def test_pulihkan_refuses_the_symlink_chain_before_touching_anything(empty_backup, place):
    backup, names = empty_backup
    copy = forged(backup, place / "jahat", symlink_chain_poc())
    env = {"DATABASE_URL": scratch_url(names[1]), "MEDIA_ROOT": str(place / "media")}
    restored = run_manage("pulihkan", str(copy), env=env)
    assert restored.returncode != 0
    assert "ditolak" in restored.stderr and "Cocok dengan manifest" not in restored.stdout
    assert (place / "luar.txt").read_text() == "asli"
    assert list((place / "media").iterdir()) == []
    assert not database_exists(names[1])


def test_pulihkan_takes_its_target_from_the_environment_and_masks_the_password(
    empty_backup, tmp_path
):
    backup, names = empty_backup
    url = urlsplit(scratch_url(names[2]))
    secret = url._replace(netloc=f"{url.username}:rahasia-sekali@{url.hostname}:{url.port}")
    env = {
        "DATABASE_URL": scratch_url(names[0]),  # not this one
        "RESTORE_DATABASE_URL": urlunsplit(secret),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    restored = run_manage("pulihkan", str(backup), env=env)
    if restored.returncode != 0 and "password authentication failed" in restored.stderr:
        pytest.skip("the server checks passwords: the test's own URL has none to mask")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"Tujuan: postgres://{url.username}:***@" in restored.stdout
    assert "rahasia-sekali" not in restored.stdout + restored.stderr
    assert database_exists(names[2])
    assert (tmp_path / "media/kegiatan/bukti.pdf").read_bytes() == b"%PDF bukti"
