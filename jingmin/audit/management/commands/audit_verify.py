from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jingmin.audit.verify import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first row where it breaks."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at row {report.broken_at}: {report.reason} ({report.checked} rows verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} rows verified")
