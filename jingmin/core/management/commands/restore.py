from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database and the media storage, "
        "after checking its manifest; then verify every table's row count, seal the audit rows the backup "
        "caught unsealed, and verify the audit chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="the backup directory")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite a database that already has tables (and files of the same name)",
        )
        parser.add_argument(
            "--ignore-signature",
            action="store_true",
            help="accept a backup signed with another SECRET_KEY (the checksums are still verified)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                source=Path(options["directory"]),
                replace=options["replace"],
                check_signature=not options["ignore_signature"],
            )
        except BackupError as error:
            raise CommandError(f"restore refused or failed: {error}") from error
        self.stdout.write(
            f"restored {report.tables} tables ({report.rows} rows, every count as in the manifest) "
            f"and {report.files} files"
        )
        # Rows written in the seconds before the backup may not have been sealed yet: they are
        # real records, sealed now (after the last sealed row of the backup), then all is verified.
        sealed = StringIO()
        call_command("audit_seal", stdout=sealed)
        self.stdout.write(sealed.getvalue().strip())
        verified = StringIO()
        try:
            call_command("audit_verify", stdout=verified)
        except CommandError as error:
            raise CommandError(
                f"RESTORE FAILED VERIFICATION: {error}. The restored database must not be used as it is."
            ) from error
        self.stdout.write(verified.getvalue().strip())
        if report.unapplied:
            self.stdout.write(
                f"the backup predates {len(report.unapplied)} migrations of this code: run `manage.py migrate`"
            )
