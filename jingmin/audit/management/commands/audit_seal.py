from typing import Any

from django.core.management.base import BaseCommand

from jingmin.audit.services import audit_seal


class Command(BaseCommand):
    help = (
        "Seal the audit rows written since the last seal: give each its number and hash in the chain. "
        "Run every minute (jingmin-minutely.timer); writers also seal right after their commit."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = audit_seal(wait=True)
        self.stdout.write(f"sealed {sealed} rows")
