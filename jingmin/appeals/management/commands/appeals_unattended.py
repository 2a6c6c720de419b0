"""The nightly sweep: find every appeal that owes a step no active account can take, and alert.

Run by the scheduler with the other nightly jobs (deploy/systemd/jingmin-daily.service). A unit
whose only clerk left, a portal appeal sent to a bureau without a command centre, a follow-up
owed where only the handler's own district could record it: each would wait silently otherwise.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from jingmin.appeals import notifications
from jingmin.appeals.attention import unattended
from jingmin.core.writes import composing

log = logging.getLogger("jingmin.appeals")


class Command(BaseCommand):
    help = "Alert the command centre and the bureau about appeals no one can take the next step of."

    def handle(self, *args: Any, **options: Any) -> None:
        stranded = list(unattended())
        for appeal in stranded:
            log.warning("appeal %s (%s) waits where no one can act", appeal.tracking_code, appeal.state)
            self.stdout.write(f"{appeal.tracking_code} {appeal.state} unit={appeal.unit_id}")
        with composing():
            notified = notifications.unattended_alert(stranded, day=timezone.localdate().isoformat())
        self.stdout.write(f"{len(stranded)} appeals no one can act on; {notified} people alerted")
