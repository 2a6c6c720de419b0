"""The tasks back-end switched to RQ on Redis: tasks queued through Django's Tasks API are kept in
Redis and run by an RQ worker, a task due later waits for its time, and the worker's heartbeat
makes the node ready."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult

from jingmin.core.models import WorkerHeartbeat
from jingmin.core.tasks import worker_heartbeat
from jingmin.notify.tasks import send_sms

pytestmark = pytest.mark.django_db


@pytest.fixture
def rq_queue(settings, redis_url, redis_prefix):
    """The RQ back-end, on a queue of this test's own in the test Redis."""
    import django_rq
    import redis

    settings.RQ_QUEUES = {
        "default": {"URL": redis_url},
        redis_prefix: {"URL": redis_url, "DEFAULT_TIMEOUT": 60},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [redis_prefix]}}
    queued: list[str] = []
    yield redis_prefix, queued
    django_rq.get_queue(redis_prefix).empty()
    connection = redis.Redis.from_url(redis_url)
    for job_id in queued:
        for key in connection.scan_iter(f"rq:*{job_id}*"):
            connection.delete(key)
    for key in connection.scan_iter("rq:worker:*"):
        if connection.hget(key, "queues") == redis_prefix.encode():
            connection.srem("rq:workers", key)
            connection.delete(key)
    connection.srem("rq:queues", f"rq:queue:{redis_prefix}")


def _work(queue: str) -> None:
    """What `manage.py rqworker --burst --with-scheduler` does, without forking a process per job
    (so that the job sees this test's database)."""
    import django_rq

    worker = django_rq.get_worker(queue, job_class="django_tasks_rq.Job", worker_class="rq.SimpleWorker")
    worker.work(burst=True, with_scheduler=True)


def test_a_task_is_kept_in_redis_and_run_by_the_rq_worker(rq_queue):
    queue, queued = rq_queue
    result = worker_heartbeat.using(queue_name=queue).enqueue(queued_at=timezone.now().isoformat())
    queued.append(result.id)
    import django_rq

    assert django_rq.get_queue(queue).count == 1
    assert not DBTaskResult.objects.exists()  # nothing went to the database queue
    assert not WorkerHeartbeat.objects.exists()
    _work(queue)
    beat = WorkerHeartbeat.objects.get()
    assert beat.worker  # the RQ worker's name
    assert default_task_backend.get_result(result.id).status == TaskResultStatus.SUCCESSFUL


def test_the_node_is_ready_once_the_rq_worker_beat(rq_queue, client):
    queue, queued = rq_queue
    assert client.get("/readyz").json()["checks"]["worker"] == "failing"
    queued.append(worker_heartbeat.using(queue_name=queue).enqueue(queued_at=timezone.now().isoformat()).id)
    _work(queue)
    assert client.get("/readyz").json()["checks"]["worker"] == "ok"


def test_a_task_due_later_waits_for_its_time(rq_queue, sms_outbox):
    queue, queued = rq_queue
    due = timezone.now() + timedelta(seconds=2)
    result = send_sms.using(queue_name=queue, run_after=due).enqueue(phone="13900001111", text="提醒")
    queued.append(result.id)
    _work(queue)
    assert sms_outbox == []
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.2)
    _work(queue)
    assert [m.text for m in sms_outbox] == ["提醒"]
    assert default_task_backend.get_result(result.id).status == TaskResultStatus.SUCCESSFUL


def test_a_failing_task_is_recorded_as_failed(rq_queue, monkeypatch):
    queue, queued = rq_queue

    def down(self, phone, text):
        raise ConnectionError("gateway down")

    monkeypatch.setattr("jingmin.notify.sms.LocmemSmsBackend.send", down)
    result = send_sms.using(queue_name=queue).enqueue(phone="13900001111", text="x")
    queued.append(result.id)
    _work(queue)
    stored = default_task_backend.get_result(result.id)
    assert stored.status == TaskResultStatus.FAILED
    assert "gateway down" in stored.errors[-1].traceback
