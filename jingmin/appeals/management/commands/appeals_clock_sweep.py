"""The minutely sweep of the clocks: send every reminder and escalation that has come due.

Run every minute by the scheduler (deploy/systemd/jingmin-minutely.service). Safe to run on two
machines at once and to run again: each alert is marked sent on its appeal in the transaction that
records it. A sweep that did not run for a while sends, on its next run, what came due meanwhile.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jingmin.appeals.services import appeal_clocks_sweep


class Command(BaseCommand):
    help = "Send the reminders and escalations of the appeals' clocks that have come due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=200, help="appeals per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = appeal_clocks_sweep(batch=options["batch"])
        if options["verbosity"] > 1 or sent:
            self.stdout.write(f"{sent} reminders and escalations sent")
