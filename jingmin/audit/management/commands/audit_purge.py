from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jingmin.audit.services import AuditPurgeRefused, audit_purge


class Command(BaseCommand):
    help = "Delete audit rows older than a date; rows younger than the retention period are never deleted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="YYYY-MM-DD: delete rows from before this day")
        parser.add_argument("--operator", required=True, help="who runs the purge, recorded in the log")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["before"])
        except ValueError as exc:
            raise CommandError("--before must be a date written as YYYY-MM-DD") from exc
        cutoff = timezone.make_aware(datetime.combine(day, time.min))
        try:
            result = audit_purge(actor_username=options["operator"], before=cutoff)
        except AuditPurgeRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"purged {result.deleted} rows through row {result.through_seq}")
