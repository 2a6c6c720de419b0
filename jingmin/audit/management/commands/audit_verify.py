from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jingmin.audit.verify import UNSEALED_GRACE, audit_chain_verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and report the first row where it breaks; report the rows "
        "not sealed yet, and fail if one has waited longer than the grace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unsealed-minutes",
            type=int,
            default=int(UNSEALED_GRACE.total_seconds() // 60),
            help="fail when a row has waited unsealed longer than this many minutes (default 10)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify(unsealed_grace=timedelta(minutes=options["unsealed_minutes"]))
        waiting = ""
        if report.unsealed and report.oldest_unsealed_at is not None:
            age = int((timezone.now() - report.oldest_unsealed_at).total_seconds())
            waiting = f"; {report.unsealed} rows not sealed yet, the oldest written {age} s ago"
        if not report.ok:
            if report.broken_at is None:
                raise CommandError(f"audit log not sealed: {report.reason}{waiting}")
            raise CommandError(
                f"audit chain broken at row {report.broken_at}: {report.reason} "
                f"({report.checked} rows verified before it){waiting}"
            )
        self.stdout.write(f"audit chain intact: {report.checked} rows verified{waiting}")
