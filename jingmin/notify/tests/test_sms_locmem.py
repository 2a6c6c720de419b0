"""An SMS is queued on commit and handed to the configured gateway (here the locmem one) by the worker."""

import pytest
from django.db import transaction

from jingmin.notify.services import sms_notify


@pytest.mark.django_db
def test_sms_is_sent_by_the_worker_after_commit(django_capture_on_commit_callbacks, sms_outbox, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_notify(phone="13900001111", text="您的诉求已受理。")
        run_tasks()
        # Still inside the transaction: nothing is queued, so the worker found nothing.
        assert sms_outbox == []

    assert sms_outbox == []
    run_tasks()

    assert [(m.phone, m.text) for m in sms_outbox] == [("13900001111", "您的诉求已受理。")]


@pytest.mark.django_db
def test_a_rolled_back_change_sends_no_sms(django_capture_on_commit_callbacks, sms_outbox, run_tasks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                sms_notify(phone="13900001111", text="您的诉求已受理。")
                raise RuntimeError("the surrounding service failed")
        except RuntimeError:
            pass
    assert callbacks == []
    run_tasks()

    assert sms_outbox == []


@pytest.mark.django_db
def test_an_sms_needs_a_number(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValueError):
        sms_notify(phone="", text="您的诉求已受理。")

    assert callbacks == []
