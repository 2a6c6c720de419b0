from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jingmin.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one new directory with a signed manifest "
        "of checksums (restore it with `manage.py restore DIRECTORY`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            help="where to write the backup (a new or empty directory); default: "
            "var/backups/jingmin-YYYYMMDD-HHMMSS",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        target = Path(
            options["directory"]
            or settings.BASE_DIR / "var" / "backups" / f"jingmin-{timezone.localtime():%Y%m%d-%H%M%S}"
        )
        try:
            summary = backup_create(target=target)
        except BackupError as error:
            raise CommandError(f"backup failed: {error}") from error
        self.stdout.write(
            f"backup written to {summary.path}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.files} files ({summary.bytes} bytes)"
        )
