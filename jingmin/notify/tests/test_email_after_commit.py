"""E-mail goes out only after the change commits, and only when the worker runs the task."""

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jingmin.notify.services import notify_staff


def _notify(persona, **kwargs):
    return notify_staff(
        recipients=[persona.oliver, persona.clara],
        kind="appeal.dispatched",
        title="Appeal dispatched",
        body="Appeal 2026-001 is yours.",
        url="/appeals/1/",
        **kwargs,
    )


@pytest.fixture
def oliver_has_email(persona):
    persona.oliver.email = "oliver@station-a.example"
    persona.oliver.save()


@pytest.mark.django_db
@pytest.mark.usefixtures("oliver_has_email")
def test_email_is_queued_on_commit_and_sent_by_the_worker(
    persona, django_capture_on_commit_callbacks, mailoutbox, run_tasks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(persona)
        # Inside the transaction nothing is queued yet.
        assert not DBTaskResult.objects.exists()

    # Clara has no address: one e-mail, for Oliver.
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert DBTaskResult.objects.count() == 1
    assert mailoutbox == []

    run_tasks()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["oliver@station-a.example"]
    assert mailoutbox[0].subject == "Appeal dispatched"
    assert mailoutbox[0].body == "Appeal 2026-001 is yours."
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
@pytest.mark.usefixtures("oliver_has_email")
def test_a_rolled_back_change_sends_nothing(
    persona, django_capture_on_commit_callbacks, mailoutbox, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _notify(persona)
                raise RuntimeError("the surrounding service failed")
        except RuntimeError:
            pass

    run_tasks()

    assert callbacks == []
    assert not DBTaskResult.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.usefixtures("oliver_has_email")
def test_no_email_when_not_asked_for(persona, django_capture_on_commit_callbacks, mailoutbox, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(persona, email=False)
    run_tasks()

    assert not DBTaskResult.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.usefixtures("oliver_has_email")
def test_a_retried_notification_sends_no_second_email(
    persona, django_capture_on_commit_callbacks, mailoutbox, run_tasks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            _notify(persona, dedupe_key="appeal:1:dispatched")
        run_tasks()

    assert len(mailoutbox) == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("oliver_has_email")
def test_the_task_reads_the_account_when_it_runs(
    persona, django_capture_on_commit_callbacks, mailoutbox, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(persona)
    # Deactivated between the change and the worker's turn.
    persona.oliver.is_active = False
    persona.oliver.save()

    run_tasks()

    assert mailoutbox == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
