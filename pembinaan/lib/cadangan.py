"""Backup and restore of a SIBINA instance: its PostgreSQL database (pg_dump's custom format) and
its media files (uploads, evidence, generated PDFs) in one directory with a manifest that says
what was in them, so that a restore can prove it got everything back (docs/backup.md).

Knows no models: it reads the catalogue (every table of every schema but PostgreSQL's own) and
the `django_migrations` table. `manage.py cadangkan` and `manage.py pulihkan` are its interface.

The order of a backup: one REPEATABLE READ transaction exports its snapshot; the row counts and
migrations of the manifest are read in it, and pg_dump dumps that same snapshot (`--snapshot`),
so the counts are exactly those of the dump while the application keeps writing. The media are
copied AFTER the snapshot: a row is committed only after its file was written, so every file a
dumped row names is already on disk when the copy starts; files uploaded meanwhile are extra in
the copy, and harmless.
"""

import contextlib
import hashlib
import json
import os
import random
import shutil
import subprocess
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

from pembinaan.lib.angka import angka

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "basis-data.dump"
MEDIA = "media.tar"
SUMS = "SHA256SUMS"
CHUNK = 1024 * 1024
# A manifest larger is refused unread: 20,000 files make 3 MB, so this is over a million files.
MANIFEST_MAX = 200 * 1024 * 1024
# Backups hold every ASN's personal data: readable by the operating user only.
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
# The database a restore connects to in order to create (or drop) its target.
MAINTENANCE_DATABASE = "postgres"

Log = Callable[[str], None]


class BackupError(Exception):
    """What stops a backup or a restore, said for the operator (in Indonesian)."""


@dataclass
class Database:
    """Where a PostgreSQL database is, from Django's settings dictionary (dj-database-url)."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: dict) -> "Database":
        if "postgresql" not in settings["ENGINE"]:
            if not os.environ.get("DATABASE_URL"):
                raise BackupError(
                    "DATABASE_URL tidak diatur, jadi pengaturan memakai SQLite bawaan. Cadangan "
                    "dan pemulihan hanya untuk PostgreSQL: muat dulu berkas lingkungan produksi "
                    "(mis. `set -a; . /srv/sibina/.env; set +a`) atau jalankan perintahnya di "
                    "dalam image (`docker compose exec web python manage.py cadangkan`)."
                )
            raise BackupError(
                "Cadangan dan pemulihan hanya untuk PostgreSQL (DATABASE_URL=postgres://…). "
                "Basis data SQLite bawaan `make run` berisi data demo: `make run` membuatnya lagi, "
                "atau salin berkas db.sqlite3 dan folder media/ bila perlu."
            )
        return cls(
            name=str(settings["NAME"]),
            user=settings.get("USER") or "",
            password=settings.get("PASSWORD") or "",
            host=settings.get("HOST") or "",
            port=str(settings.get("PORT") or ""),
            options=dict(settings.get("OPTIONS") or {}),
        )

    def shown(self) -> str:
        """The target as a URL for messages, the password masked."""
        user = f"{self.user}:***@" if self.password else (f"{self.user}@" if self.user else "")
        address = self.host or "localhost"
        if self.port:
            address += f":{self.port}"
        return f"postgres://{user}{address}/{self.name}"

    def env(self) -> dict[str, str]:
        """The environment of pg_dump and pg_restore: the password never on a command line."""
        values = {
            "PGDATABASE": self.name,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGSSLMODE": str(self.options.get("sslmode", "")),
        }
        return os.environ | {key: value for key, value in values.items() if value}

    def connect(self, name: str | None = None):
        params = {"dbname": name or self.name, "user": self.user, "password": self.password}
        params |= {"host": self.host, "port": self.port}
        params = {key: value for key, value in params.items() if value}
        if "sslmode" in self.options:
            params["sslmode"] = self.options["sslmode"]
        return psycopg2.connect(**params)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts(cursor) -> dict[str, int]:
    """Exact row counts of every table (and partitioned table) outside PostgreSQL's own schemas,
    keyed "schema.table"."""
    cursor.execute(
        """
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema'
          AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1, 2
        """
    )
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
        )
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def last_migrations(cursor, tables: dict[str, int]) -> dict[str, str]:
    """The migration each app applied last (none in a database Django never migrated)."""
    if "public.django_migrations" not in tables:
        return {}
    cursor.execute(
        "SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, id DESC"
    )
    return dict(cursor.fetchall())


def tool_version(program: str) -> str:
    try:
        result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    except OSError as error:
        raise BackupError(
            f"{program} tidak ditemukan ({error}); pasang paket postgresql-client "
            "dengan versi yang sama dengan server atau lebih baru."
        ) from None
    return result.stdout.strip()


def git_commit(base_dir: Path) -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=base_dir, capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):  # no git, or not a checkout (an image)
        return None


def media_files(media_root: Path) -> list[Path]:
    """The regular files under `media_root`, sorted; symbolic links are not followed."""
    if not media_root.is_dir():
        return []
    found = []
    for folder, _, names in os.walk(media_root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return sorted(found)


class _Hashing:
    """A file read through: hashes what tarfile reads, so each file is read once."""

    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def private_file(path: Path):
    """A new file only its owner may read or write, open for writing in binary."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), "wb")


def media_archive(*, media_root: Path, target: Path) -> list[dict]:
    """Every file under `media_root` into the tar `target` (uncompressed: uploads are PDFs and
    images, compressed already); its relative path, size and SHA-256, as archived."""
    entries = []
    with (
        private_file(target) as output,
        tarfile.open(fileobj=output, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for path in media_files(media_root):
            relative = path.relative_to(media_root).as_posix()
            info = tar.gettarinfo(str(path), arcname=relative)
            with open(path, "rb") as file:
                reader = _Hashing(file)
                tar.addfile(info, reader)
            entries.append(
                {"path": relative, "size": info.size, "sha256": reader.digest.hexdigest()}
            )
    return entries


def backup_create(
    *, database: Database, media_root: Path, directory: Path, release: str, base_dir: Path, log: Log
) -> Path:
    """A backup of `database` and `media_root` in a new directory under `directory`, named by
    the database and the UTC moment; its path. Written under a hidden name and renamed at the
    end: a directory with the final name is a complete backup."""
    created = datetime.now(UTC)
    final = directory / f"sibina-{database.name}-{created:%Y%m%dT%H%M%SZ}"
    work = directory / f".{final.name}.sebagian"
    if final.exists():
        raise BackupError(f"{final} sudah ada.")
    pg_dump_version = tool_version("pg_dump")
    directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    work.mkdir(mode=DIRECTORY_MODE)
    try:
        work.chmod(DIRECTORY_MODE)  # whatever the umask
        connection = database.connect()
        try:
            connection.set_session(isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                log(f"Basis data {database.name} (PostgreSQL {server_version}): pg_dump …")
                dumped = subprocess.run(
                    ["pg_dump", "--format=custom", f"--snapshot={snapshot}",
                     f"--file={work / DUMP}", database.name],
                    env=database.env(), capture_output=True, text=True, umask=0o077,
                )  # fmt: skip
                if dumped.returncode != 0:
                    raise BackupError(f"pg_dump gagal:\n{dumped.stderr.strip()}")
                tables = table_counts(cursor)
                migrations = last_migrations(cursor, tables)
        finally:
            connection.close()
        log(f"Media {media_root} …")
        files = media_archive(media_root=media_root, target=work / MEDIA)
        manifest = {
            "format": FORMAT,
            "created": created.isoformat(timespec="seconds"),
            "release": release,
            "git_commit": git_commit(base_dir),
            "database": database.name,
            "server_version": server_version,
            "pg_dump_version": pg_dump_version,
            "migrations": migrations,
            "tables": tables,
            "dump": {"file": DUMP, "size": (work / DUMP).stat().st_size,
                     "sha256": sha256_file(work / DUMP)},
            "media": {"file": MEDIA, "size": (work / MEDIA).stat().st_size,
                      "sha256": sha256_file(work / MEDIA), "count": len(files),
                      "total_size": sum(entry["size"] for entry in files), "files": files},
        }  # fmt: skip
        with private_file(work / MANIFEST) as output:
            output.write((json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode())
        # For `sha256sum -c SHA256SUMS` where the copy is kept (off-site), without SIBINA.
        sums = [f"{sha256_file(work / name)}  {name}" for name in (DUMP, MEDIA, MANIFEST)]
        with private_file(work / SUMS) as output:
            output.write(("\n".join(sums) + "\n").encode())
        for name in (DUMP, MEDIA, MANIFEST, SUMS):
            (work / name).chmod(FILE_MODE)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    log(
        f"Cadangan selesai: {final}\n"
        f"  {angka(len(tables))} tabel, {angka(sum(tables.values()))} baris; "
        f"dump {angka(manifest['dump']['size'])} byte\n"
        f"  {angka(len(files))} berkas media, {angka(manifest['media']['total_size'])} byte"
    )
    return final


def manifest_read(backup: Path) -> dict:
    """The manifest of `backup`, its file names and paths checked before anything reads them."""
    path = backup / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} tidak ada: {backup} bukan direktori cadangan SIBINA.")
    if (size := path.stat().st_size) > MANIFEST_MAX:
        raise BackupError(
            f"{path}: {angka(size)} byte, melebihi batas {angka(MANIFEST_MAX)} byte; tidak dibaca."
        )
    try:
        manifest = json.loads(path.read_text())
    except ValueError as error:
        raise BackupError(f"{path} rusak: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        format_ = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"{path}: format {format_!r} tidak dikenal.")
    try:
        manifest_confine(manifest)
    except (KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{path} rusak: isian {error} hilang atau salah jenis.") from None
    return manifest


def plain_name(name) -> bool:
    """A file's name in the backup directory itself: no folder, nothing to climb out with."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
    )


def clean_relative(path) -> bool:
    """A relative path below a folder: not absolute, no `..`, `.` or empty part, no NUL."""
    return (
        isinstance(path, str)
        and path != ""
        and "\0" not in path
        and not path.startswith("/")
        and all(part not in ("", ".", "..") for part in path.split("/"))
    )


def manifest_confine(manifest: dict) -> None:
    """Refuses a manifest whose dump or archive is not a plain name in the backup directory, or
    whose media paths are not clean relative ones (none may name a file outside MEDIA_ROOT)."""
    for part in ("dump", "media"):
        if not plain_name(manifest[part]["file"]):
            raise BackupError(
                f"Manifest: {part}.file {manifest[part]['file']!r} bukan nama berkas di direktori "
                "cadangan; ditolak."
            )
    tables, migrations = manifest["tables"], manifest["migrations"]
    if not isinstance(tables, dict) or not all(
        isinstance(name, str) and isinstance(rows, int) for name, rows in tables.items()
    ):
        raise BackupError("Manifest: tables bukan daftar tabel dan jumlah barisnya; ditolak.")
    if not isinstance(migrations, dict) or not all(
        isinstance(app, str) and isinstance(name, str) for app, name in migrations.items()
    ):
        raise BackupError("Manifest: migrations bukan daftar migrasi terakhir per app; ditolak.")
    seen = set()
    for entry in manifest["media"]["files"]:
        if not clean_relative(entry["path"]):
            raise BackupError(
                f"Manifest: jalur media {entry['path']!r} bukan jalur relatif yang bersih "
                "(mutlak, berisi `..` atau NUL); ditolak."
            )
        if not isinstance(entry["size"], int) or entry["size"] < 0:
            raise BackupError(f"Manifest: ukuran {entry['path']!r} salah; ditolak.")
        if entry["path"] in seen:
            raise BackupError(f"Manifest: jalur media {entry['path']!r} tercantum dua kali.")
        seen.add(entry["path"])


def backup_check(backup: Path, manifest: dict, log: Log) -> list[str]:
    """The dump's and the media archive's sizes and SHA-256 against the manifest: what differs."""
    problems = []
    for part in ("dump", "media"):
        expected = manifest[part]
        path = backup / expected["file"]
        if path.is_symlink() or not path.is_file():
            problems.append(f"{expected['file']} tidak ada di {backup}.")
        elif path.stat().st_size != expected["size"]:
            problems.append(
                f"{expected['file']}: ukuran {angka(path.stat().st_size)} byte, menurut manifest "
                f"{angka(expected['size'])} byte."
            )
        elif (actual := sha256_file(path)) != expected["sha256"]:
            problems.append(
                f"{expected['file']}: SHA-256 {actual} berbeda dari manifest {expected['sha256']}."
            )
        else:
            log(f"  {expected['file']}: SHA-256 cocok dengan manifest.")
    return problems


def user_tables(database: Database) -> int | None:
    """How many tables the database has outside PostgreSQL's schemas; None if it does not exist."""
    connection = database.connect(MAINTENANCE_DATABASE)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name])
            if cursor.fetchone() is None:
                return None
    finally:
        connection.close()
    connection = database.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema'
                  AND n.nspname NOT LIKE 'pg\\_%'
                """
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def database_recreate(database: Database, *, drop: bool) -> None:
    """Create the database (after dropping it when `drop`). Dropping is refused while another
    session is connected: the web, worker and beat processes are to be stopped first."""
    connection = database.connect(MAINTENANCE_DATABASE)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            name = sql.Identifier(database.name)
            if drop:
                # A session just closed (ours, that counted the tables) may linger a moment.
                for _ in range(20):
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                        [database.name],
                    )
                    if not (sessions := cursor.fetchone()[0]):
                        break
                    time.sleep(0.25)
                else:
                    raise BackupError(
                        f"Basis data {database.name} masih dipakai {sessions} sesi lain: hentikan "
                        "web, worker dan beat dulu, lalu ulangi."
                    )
                cursor.execute(sql.SQL("DROP DATABASE {}").format(name))
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(name)
            )
    finally:
        connection.close()


def restore(*, backup: Path, database: Database, media_root: Path, replace: bool, log: Log) -> dict:
    """The backup into `database` and `media_root`, which must be empty unless `replace`; the
    manifest. Everything is checked before anything is changed."""
    manifest = manifest_read(backup)
    log(f"Cadangan {backup} ({manifest['created']}, rilis {manifest['release']}):")
    if problems := backup_check(backup, manifest, log):
        raise BackupError("Cadangan rusak, tidak dipulihkan:\n  " + "\n  ".join(problems))
    media_check(backup / manifest["media"]["file"], manifest)
    tool_version("pg_restore")
    log(f"Tujuan: {database.shown()}")
    tables = user_tables(database)
    if tables and not replace:
        raise BackupError(
            f"Basis data {database.name} sudah berisi {angka(tables)} tabel. Pemulihan menghapus "
            "seluruh isinya: ulangi dengan --ganti (make restore … GANTI=1) bila memang itu "
            "maksudnya."
        )
    existing = media_files(media_root)
    if existing and not replace:
        raise BackupError(
            f"{media_root} sudah berisi {angka(len(existing))} berkas. Untuk gladi pemulihan, "
            "tunjuk direktori kosong: --media <direktori> (make restore … MEDIA=<direktori>); "
            "untuk mengganti media yang berjalan, ulangi dengan --ganti (berkas dengan nama yang "
            "sama ditimpa, berkas lain dibiarkan)."
        )
    if tables is None or tables:
        database_recreate(database, drop=tables is not None)
        log(f"Basis data {database.name} dibuat.")
    log(f"pg_restore ke {database.name} …")
    restored = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={database.name}", str(backup / manifest["dump"]["file"])],
        env=database.env(), capture_output=True, text=True,
    )  # fmt: skip
    if restored.returncode != 0:
        raise BackupError(f"pg_restore gagal:\n{restored.stderr.strip()}")
    log(f"Media ke {media_root} …")
    media_root.mkdir(parents=True, exist_ok=True)
    media_extract(archive=backup / manifest["media"]["file"], manifest=manifest,
                  media_root=media_root)  # fmt: skip
    return manifest


def media_members(tar: tarfile.TarFile, manifest: dict) -> list[tarfile.TarInfo]:
    """Every member of the archive, if each is a regular file the manifest lists, of the size it
    says, once. Anything else (a link, a device, a folder, a path outside, a file not listed)
    refuses the whole archive: tarfile's extraction filters are not relied on (CVE-2025-4517)."""
    sizes = {entry["path"]: entry["size"] for entry in manifest["media"]["files"]}
    name = manifest["media"]["file"]
    seen = set()
    members = tar.getmembers()
    for member in members:
        refusal = None
        if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            kind = (
                "tautan simbolik" if member.issym() else
                "tautan keras" if member.islnk() else
                "direktori" if member.isdir() else
                "perangkat" if member.ischr() or member.isblk() else
                "FIFO" if member.isfifo() else
                f"jenis {member.type!r}"
            )  # fmt: skip
            refusal = f"{kind}, bukan berkas biasa"
        elif not clean_relative(member.name):
            refusal = "jalurnya mutlak, berisi `..` atau NUL"
        elif member.name not in sizes:
            refusal = "tidak tercantum di manifest"
        elif member.size != sizes[member.name]:
            refusal = (
                f"ukurannya {angka(member.size)} byte, menurut manifest "
                f"{angka(sizes[member.name])} byte"
            )
        elif member.name in seen:
            refusal = "muncul dua kali"
        if refusal:
            raise BackupError(
                f"{name}: anggota {member.name!r} ditolak ({refusal}). Arsip media tidak "
                "dipulihkan; tidak ada berkas yang ditulis darinya."
            )
        seen.add(member.name)
    return members


def media_check(archive: Path, manifest: dict) -> None:
    """The archive's members checked (media_members) before anything is changed."""
    with tarfile.open(archive) as tar:
        media_members(tar, manifest)


def media_target(media_root: Path, relative: str) -> int:
    """`relative` under `media_root` opened for writing, its folders created; the descriptor.
    Each folder is opened from the one before with O_NOFOLLOW and the file too, so no symbolic
    link (one there before, or one raced in) leads outside, whatever the path's length."""
    parts = relative.split("/")
    folder = os.open(media_root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o755, dir_fd=folder)
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            except OSError as error:
                raise BackupError(
                    f"{media_root / relative}: {part} bukan direktori biasa di MEDIA_ROOT (tautan "
                    f"simbolik?): {error.strerror}. Pemulihan media dihentikan."
                ) from None
            os.close(folder)
            folder = inner
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
        try:
            return os.open(parts[-1], flags, FILE_MODE, dir_fd=folder)
        except OSError as error:
            raise BackupError(
                f"{media_root / relative} tidak dapat ditulis sebagai berkas biasa (tautan "
                f"simbolik?): {error.strerror}. Pemulihan media dihentikan."
            ) from None
    finally:
        os.close(folder)


def media_extract(*, archive: Path, manifest: dict, media_root: Path) -> None:
    """The archive's files into `media_root`, member by member, after every member was checked
    (media_members); copied as streams into files opened without following links."""
    with tarfile.open(archive) as tar:
        for member in media_members(tar, manifest):
            source = tar.extractfile(member)
            with source, os.fdopen(media_target(media_root, member.name), "wb") as target:
                shutil.copyfileobj(source, target, CHUNK)
                # The uploads' own permissions, less any execute, set-id or write by others.
                os.fchmod(target.fileno(), (member.mode & 0o644) | FILE_MODE)
                os.utime(target.fileno(), (member.mtime, member.mtime))


def verify(
    *, manifest: dict, database: Database, media_root: Path, sample: int | None, log: Log
) -> list[str]:
    """The database's row counts and migrations, and the media files' sizes and SHA-256 (of all,
    or of `sample` of them chosen at random), against the manifest; what differs."""
    problems = []
    connection = database.connect()
    try:
        with connection.cursor() as cursor:
            tables = table_counts(cursor)
            migrations = last_migrations(cursor, tables)
    finally:
        connection.close()
    expected = manifest["tables"]
    for table in sorted(expected.keys() - tables.keys()):
        problems.append(f"Tabel {table} tidak ada (di cadangan {angka(expected[table])} baris).")
    for table in sorted(tables.keys() - expected.keys()):
        problems.append(f"Tabel {table} tidak ada di cadangan ({angka(tables[table])} baris).")
    for table in sorted(expected.keys() & tables.keys()):
        if tables[table] != expected[table]:
            problems.append(
                f"Tabel {table}: {angka(tables[table])} baris, di cadangan "
                f"{angka(expected[table])}."
            )
    table_problems = len(problems)
    for app, name in sorted(manifest["migrations"].items()):
        if migrations.get(app) != name:
            problems.append(f"Migrasi terakhir {app}: {migrations.get(app)}, di cadangan {name}.")
    log(
        f"Tabel: {angka(len(expected))} diperiksa, {angka(sum(expected.values()))} baris "
        f"menurut manifest; {angka(table_problems)} berbeda."
    )
    log(
        f"Migrasi: {angka(len(manifest['migrations']))} app diperiksa; "
        f"{angka(len(problems) - table_problems)} berbeda."
    )
    files = manifest["media"]["files"]
    hashed = files if sample is None or sample >= len(files) else random.sample(files, sample)
    hashed_paths = {entry["path"] for entry in hashed}
    file_problems = []
    for entry in files:
        path = media_root / entry["path"]
        if path.is_symlink():
            file_problems.append(f"Berkas {entry['path']} tautan simbolik, bukan berkas biasa.")
        elif not path.is_file():
            file_problems.append(f"Berkas {entry['path']} tidak ada.")
        elif path.stat().st_size != entry["size"]:
            file_problems.append(
                f"Berkas {entry['path']}: {angka(path.stat().st_size)} byte, di cadangan "
                f"{angka(entry['size'])}."
            )
        elif entry["path"] in hashed_paths and sha256_file(path) != entry["sha256"]:
            file_problems.append(f"Berkas {entry['path']}: SHA-256 berbeda dari cadangan.")
    log(
        f"Media: {angka(len(files))} berkas ada dan seukuran diperiksa, SHA-256 dari "
        f"{angka(len(hashed))}; {angka(len(file_problems))} berbeda."
    )
    return problems + file_problems
