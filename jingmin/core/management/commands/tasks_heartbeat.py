from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from jingmin.core.tasks import worker_heartbeat


class Command(BaseCommand):
    help = (
        "Queue one heartbeat task: a worker that runs it records when it did, which /readyz checks. "
        "Run it every minute (the jingmin-minutely timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = worker_heartbeat.enqueue(queued_at=timezone.now().isoformat())
        if options["verbosity"] > 1:
            self.stdout.write(f"heartbeat queued: {result.id}")
