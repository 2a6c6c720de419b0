"""Sam asks for a retraining from the routing page: it runs as a task after the request commits,
stores the next version and makes it active; two clicks train once."""

from __future__ import annotations

from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.audit.services import seal_after_commit
from jingmin.routing.models import RoutingModel


def test_the_retrain_button_queues_a_task_that_trains_the_next_version(
    persona, history, run_tasks, settings, django_capture_on_commit_callbacks
):
    settings.ROUTING_EVALUATION_FOLDS = 3
    client = signed_in(persona.sam)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("routing:retrain"))
    assert response.status_code == 302 and response["Location"] == reverse("routing:index")
    assert len([q for q in queued if q is not seal_after_commit]) == 1  # the task, beside the audit seal
    assert not RoutingModel.objects.exists(), "nothing is trained in the request itself"
    assert AuditEntry.objects.filter(action="routing.retrain_request", actor_id=persona.sam.pk).count() == 1

    run_tasks()
    row = RoutingModel.objects.get()
    assert row.is_active and row.created_by == persona.sam and row.trained_by == "sam"


def test_two_clicks_train_once(persona, history, run_tasks, settings, django_capture_on_commit_callbacks):
    settings.ROUTING_EVALUATION_FOLDS = 3
    client = signed_in(persona.sam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("routing:retrain"))
        client.post(reverse("routing:retrain"))
    run_tasks()
    assert RoutingModel.objects.count() == 1
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == [TaskResultStatus.SUCCESSFUL] * 2


def test_a_retraining_with_too_few_appeals_stores_nothing(
    persona, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        signed_in(persona.sam).post(reverse("routing:retrain"))
    assert len([q for q in queued if q is not seal_after_commit]) == 1  # the task, beside the audit seal
    run_tasks()
    assert not RoutingModel.objects.exists()
    # It ran, and ended quietly rather than failing: there is nothing to retry until more appeals
    # are concluded.
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
