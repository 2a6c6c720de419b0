"""/healthz says the process is alive without touching the database; /readyz says whether this
node can serve: database, migrations, a worker seen recently, and the shared cache if any."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from conftest import signed_in
from jingmin.core import health
from jingmin.core.models import WorkerHeartbeat
from jingmin.core.tasks import worker_heartbeat


def test_healthz_answers_without_the_database(client):
    # No database access is allowed in this test: any query would fail it.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_probes_by_address_over_plain_http_are_answered(settings):
    # A load balancer asks each node by its address, over HTTP, with no session.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["jingmin.example.gov.cn"]
    probe = Client(HTTP_HOST="10.1.2.3:8000")
    assert probe.get("/healthz").status_code == 200
    assert probe.get("/readyz").status_code in {200, 503}
    assert "sessionid" not in probe.cookies
    # Any other page still refuses the unknown host.
    assert probe.get("/portal/").status_code == 400


@pytest.mark.django_db
def test_not_ready_until_a_worker_ran_the_heartbeat(client, run_tasks):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": "ok", "migrations": "ok", "worker": "failing"},
    }
    worker_heartbeat.enqueue(queued_at=timezone.now().isoformat())
    run_tasks()
    beat = WorkerHeartbeat.objects.get()
    assert beat.worker  # the worker's own id
    assert beat.queued_at <= beat.seen_at
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


@pytest.mark.django_db
def test_a_heartbeat_older_than_the_limit_is_stale(client, settings):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 180
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker="w1", seen_at=now - timedelta(seconds=181), queued_at=now)
    assert client.get("/readyz").json()["checks"]["worker"] == "failing"
    WorkerHeartbeat.objects.create(worker="w2", seen_at=now - timedelta(seconds=170), queued_at=now)
    assert client.get("/readyz").json()["checks"]["worker"] == "ok"


@pytest.mark.django_db
def test_the_heartbeat_forgets_workers_gone_for_a_day(run_tasks):
    old = timezone.now() - timedelta(days=2)
    WorkerHeartbeat.objects.create(worker="gone", seen_at=old, queued_at=old)
    worker_heartbeat.enqueue(queued_at=timezone.now().isoformat())
    run_tasks()
    assert not WorkerHeartbeat.objects.filter(worker="gone").exists()
    assert WorkerHeartbeat.objects.count() == 1


@pytest.mark.django_db
def test_a_worker_is_not_needed_when_tasks_run_inline(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_an_unapplied_migration_makes_the_node_not_ready(client, monkeypatch):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker="w", seen_at=now, queued_at=now)
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [("a migration", False)],
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "migrations": "failing", "worker": "ok"}


@pytest.mark.django_db
def test_a_database_failure_is_reported_without_its_reason(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise RuntimeError("could not connect to server at db.internal:5432 as secret_user")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failing", "migrations": "failing", "worker": "failing"}
    assert b"db.internal" not in response.content
    assert b"secret_user" not in response.content
    # The reason is in the log, for the operator.
    assert "db.internal" in caplog.text


@pytest.mark.django_db
def test_the_shared_cache_is_checked_when_configured(client, settings, monkeypatch):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker="w", seen_at=now, queued_at=now)
    settings.REDIS_URL = "redis://cache.example:6379/0"
    assert client.get("/readyz").json()["checks"]["cache"] == "ok"  # the test's local cache answers

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache.example unreachable")

    monkeypatch.setattr("django.core.cache.cache.set", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failing"


@pytest.mark.django_db
def test_every_persona_and_anyone_get_the_same_probes_and_may_not_post(persona, client):
    """The permission matrix of the probes: public, the same answer for everyone, read-only."""
    answers = set()
    for who in [client, *(signed_in(user) for user in persona.all_users())]:
        for path in ("/healthz", "/readyz"):
            response = who.get(path)
            answers.add((path, response.status_code, response.content))
            assert who.post(path).status_code == 405
    assert len(answers) == 2
    assert not WorkerHeartbeat.objects.exists()  # a probe writes nothing
