"""The tasks table holds work, not history: rows of tasks finished longer ago than
TASK_RESULTS_KEEP_DAYS go with the minutely heartbeat; newer ones and pending ones stay."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jingmin.core.tasks import task_results_prune, worker_heartbeat
from jingmin.notify.tasks import send_sms


def finished(days_ago: float, status: str = TaskResultStatus.SUCCESSFUL) -> str:
    result = send_sms.enqueue(phone="13900001111", text="提醒")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, finished_at=timezone.now() - timedelta(days=days_ago)
    )
    return result.id


def test_finished_rows_older_than_the_setting_are_pruned_and_the_rest_kept(db, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 7
    old_done, old_failed = finished(8), finished(8, TaskResultStatus.FAILED)
    recent = finished(6)
    pending = send_sms.enqueue(phone="13900001111", text="待发").id
    assert task_results_prune(now=timezone.now()) == 2
    left = set(DBTaskResult.objects.values_list("id", flat=True))
    assert {str(i) for i in left} == {str(recent), str(pending)}
    assert str(old_done) not in left and str(old_failed) not in left


def test_the_heartbeat_prunes_on_its_way(db, settings, run_tasks):
    settings.TASK_RESULTS_KEEP_DAYS = 1
    old = finished(2)
    worker_heartbeat.enqueue(queued_at=timezone.now().isoformat())
    run_tasks()
    assert not DBTaskResult.objects.filter(pk=old).exists()
    assert DBTaskResult.objects.filter(task_path__endswith="worker_heartbeat").exists()
