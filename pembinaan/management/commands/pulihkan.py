"""`make restore BACKUP=<dir>`: a backup of `cadangkan` into the database of --basis-data, or
RESTORE_DATABASE_URL, or DATABASE_URL, and MEDIA_ROOT, then checked against its manifest
(docs/backup.md). The environment variable keeps the password off the command line (`ps`)."""

import os
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pembinaan.lib import cadangan


class Command(BaseCommand):
    help = (
        "Pulihkan cadangan (dari `cadangkan`) ke basis data dan MEDIA_ROOT, lalu periksa jumlah "
        "baris tiap tabel dan SHA-256 berkas media terhadap manifesnya."
    )
    # The target may not exist yet, or be empty: no check may read it before the restore.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("cadangan", help="Direktori cadangan (berisi manifest.json).")
        parser.add_argument(
            "--basis-data",
            help="URL basis data tujuan (postgres://…); bawaan variabel lingkungan "
            "RESTORE_DATABASE_URL, lalu DATABASE_URL. Dibuat bila belum ada. Kata sandi di sini "
            "terlihat di `ps`: lebih baik RESTORE_DATABASE_URL.",
        )
        parser.add_argument(
            "--media", help="Direktori media tujuan; bawaan MEDIA_ROOT.", default=None
        )
        parser.add_argument(
            "--ganti",
            action="store_true",
            help="Hapus dan buat ulang basis data tujuan yang sudah berisi tabel, dan timpa "
            "berkas media dengan nama yang sama.",
        )
        parser.add_argument(
            "--hanya-periksa",
            action="store_true",
            help="Jangan memulihkan: periksa basis data dan media tujuan terhadap manifest saja.",
        )
        parser.add_argument(
            "--sampel",
            type=int,
            default=None,
            help="Hitung SHA-256 dari sekian berkas media acak saja (bawaan: semua berkas; "
            "keberadaan dan ukuran semua berkas selalu diperiksa).",
        )

    def handle(self, *args, **options):
        url = options["basis_data"] or os.environ.get("RESTORE_DATABASE_URL")
        target = dj_database_url.parse(url) if url else settings.DATABASES["default"]
        media_root = Path(options["media"] or settings.MEDIA_ROOT)
        backup = Path(options["cadangan"])
        try:
            database = cadangan.Database.from_settings(target)
            if options["hanya_periksa"]:
                manifest = cadangan.manifest_read(backup)
            else:
                manifest = cadangan.restore(
                    backup=backup,
                    database=database,
                    media_root=media_root,
                    replace=options["ganti"],
                    log=self.stdout.write,
                )
            self.stdout.write(f"Pemeriksaan {database.name} dan {media_root} terhadap manifest:")
            problems = cadangan.verify(
                manifest=manifest,
                database=database,
                media_root=media_root,
                sample=options["sampel"],
                log=self.stdout.write,
            )
        except cadangan.BackupError as error:
            raise CommandError(str(error)) from None
        for problem in problems:
            self.stdout.write(self.style.ERROR(f"  {problem}"))
        if problems:
            raise CommandError(
                f"{len(problems)} perbedaan dengan manifest {backup / cadangan.MANIFEST}."
            )
        self.stdout.write(self.style.SUCCESS("Cocok dengan manifest: semua tabel dan berkas."))
