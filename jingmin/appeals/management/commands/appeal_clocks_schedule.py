"""Queue the reminder and escalation tasks of every running clock again.

Each alert task is queued when its clock is set. After restoring a backup, moving to another tasks
backend, or loading appeals in bulk, some may be missing: this queues them all. Queuing twice is
harmless, since a task checks when it runs that its clock still runs with that deadline and that
its alert has not gone out.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from jingmin.appeals import clocks
from jingmin.appeals.models import Appeal


class Command(BaseCommand):
    help = "Queue the reminder and escalation tasks of every open appeal's running clocks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="appeals per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        open_ids = list(Appeal.objects.filter(is_open=True).order_by("pk").values_list("pk", flat=True))
        queued = 0
        for start in range(0, len(open_ids), options["batch"]):
            with transaction.atomic():
                for appeal in Appeal.objects.filter(pk__in=open_ids[start : start + options["batch"]]):
                    queued += 2 * len(clocks.running(appeal))
                    clocks.schedule(appeal, before=(None, None, None))
        self.stdout.write(f"{len(open_ids)} open appeals, {queued} alert tasks queued")
