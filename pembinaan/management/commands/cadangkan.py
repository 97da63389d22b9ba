"""`make backup`: the database (pg_dump, custom format) and the media files, with a manifest,
into a new directory under BACKUP_DIR (docs/backup.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pembinaan.lib import cadangan


class Command(BaseCommand):
    help = (
        "Cadangkan basis data PostgreSQL (pg_dump) dan berkas media beserta manifesnya ke "
        "direktori baru di bawah BACKUP_DIR (bawaan: cadangan/)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--direktori",
            default=settings.BACKUP_DIR,
            help="Tempat direktori cadangan dibuat (bawaan: BACKUP_DIR, atau cadangan/).",
        )

    def handle(self, *args, **options):
        try:
            database = cadangan.Database.from_settings(settings.DATABASES["default"])
            cadangan.backup_create(
                database=database,
                media_root=Path(settings.MEDIA_ROOT),
                directory=Path(options["direktori"]),
                release=settings.RELEASE,
                base_dir=Path(settings.BASE_DIR),
                log=self.stdout.write,
            )
        except cadangan.BackupError as error:
            raise CommandError(str(error)) from None
