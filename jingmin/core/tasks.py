"""Tasks of the core: the workers' heartbeat."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import TaskContext, task

from jingmin.core.models import WorkerHeartbeat

# A worker not heard of for this long has gone; its row is removed by the next heartbeat.
FORGET_AFTER = timedelta(days=1)


@task(takes_context=True)
def worker_heartbeat(context: TaskContext, *, queued_at: str) -> str:
    """Record that a worker ran this task now. Safe to run any number of times."""
    result = context.task_result
    worker = result.worker_ids[-1] if result.worker_ids else f"{socket.gethostname()}:{os.getpid()}"
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker=worker[:200], defaults={"seen_at": now, "queued_at": datetime.fromisoformat(queued_at)}
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    return worker
