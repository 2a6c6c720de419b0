"""Tasks of the core: the workers' heartbeat."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task, task_backends

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
    task_results_prune(now=now)
    return worker


def task_results_prune(*, now: datetime) -> int:
    """Delete the database queue's rows of tasks finished more than `TASK_RESULTS_KEEP_DAYS` ago.

    They keep their arguments (a phone number for an SMS), and the queue should hold work, not
    history. Run with the heartbeat, every minute, so each run deletes a minute's worth. RQ
    expires its own results.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return 0
    cutoff = now - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
