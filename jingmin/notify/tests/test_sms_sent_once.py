"""A tasks worker killed in the middle of sending an SMS, and the task run again, sends no SMS
twice: the dispatch record is claimed (committed) before the gateway is called.

The kill is simulated where it matters: the gateway takes the message and then the run dies with
an exception no handler in the task catches (as SIGKILL leaves no handler a chance), with the
claim already committed; the task is then run again by the worker, as a retry would run it. A
gateway that refuses is different: the claim is given back and the retry sends the message."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from jingmin.notify import sms
from jingmin.notify.models import SmsDispatch
from jingmin.notify.services import sms_notify
from jingmin.notify.tasks import send_sms

pytestmark = pytest.mark.django_db

PHONE = "13900001111"
TEXT = "【警民】您的诉求已受理，查询码 ABC123。"


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the task catches it."""


class GatewayThenDeath(sms.LocmemSmsBackend):
    def send(self, phone: str, text: str) -> None:
        super().send(phone, text)
        raise WorkerKilled


class DeathBeforeGateway(sms.SmsBackend):
    def send(self, phone: str, text: str) -> None:
        raise WorkerKilled


class RefusingGateway(sms.SmsBackend):
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("gateway answered 503")


def queued_key(django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        sms_notify(phone=PHONE, text=TEXT)
    row = DBTaskResult.objects.get()
    return row.args_kwargs["kwargs"]["dispatch_key"]


def test_the_same_task_run_twice_sends_once(django_capture_on_commit_callbacks, sms_outbox, run_tasks):
    key = queued_key(django_capture_on_commit_callbacks)
    run_tasks()
    send_sms.enqueue(phone=PHONE, text=TEXT, dispatch_key=key)  # queued again, as a retry would
    run_tasks()
    assert [(m.phone, m.text) for m in sms_outbox] == [(PHONE, TEXT)]
    row = SmsDispatch.objects.get(key=key)
    assert row.attempted_at is not None and row.sent_at is not None


def test_killed_after_the_gateway_took_it_the_retry_sends_nothing(
    django_capture_on_commit_callbacks, sms_outbox, settings
):
    key = queued_key(django_capture_on_commit_callbacks)
    settings.SMS_BACKEND = f"{__name__}.GatewayThenDeath"
    with pytest.raises(WorkerKilled):
        send_sms.call(phone=PHONE, text=TEXT, dispatch_key=key)
    assert len(sms_outbox) == 1
    settings.SMS_BACKEND = "jingmin.notify.sms.LocmemSmsBackend"
    send_sms.call(phone=PHONE, text=TEXT, dispatch_key=key)  # the retry
    assert len(sms_outbox) == 1
    # The record says what is known: tried, never confirmed.
    row = SmsDispatch.objects.get(key=key)
    assert row.attempted_at is not None and row.sent_at is None


def test_killed_before_the_gateway_the_retry_does_not_risk_a_second_text(
    django_capture_on_commit_callbacks, sms_outbox, settings
):
    key = queued_key(django_capture_on_commit_callbacks)
    settings.SMS_BACKEND = f"{__name__}.DeathBeforeGateway"
    with pytest.raises(WorkerKilled):
        send_sms.call(phone=PHONE, text=TEXT, dispatch_key=key)
    settings.SMS_BACKEND = "jingmin.notify.sms.LocmemSmsBackend"
    send_sms.call(phone=PHONE, text=TEXT, dispatch_key=key)
    # At most once: from the record alone the two deaths look the same, so neither is resent.
    assert sms_outbox == []
    assert SmsDispatch.objects.filter(key=key, attempted_at__isnull=False, sent_at__isnull=True).exists()


def test_a_refusing_gateway_gives_the_claim_back_and_the_retry_sends_once(
    django_capture_on_commit_callbacks, sms_outbox, settings
):
    key = queued_key(django_capture_on_commit_callbacks)
    settings.SMS_BACKEND = f"{__name__}.RefusingGateway"
    with pytest.raises(ConnectionError):
        send_sms.call(phone=PHONE, text=TEXT, dispatch_key=key)
    assert SmsDispatch.objects.get(key=key).attempted_at is None
    settings.SMS_BACKEND = "jingmin.notify.sms.LocmemSmsBackend"
    send_sms.call(phone=PHONE, text=TEXT, dispatch_key=key)
    send_sms.call(phone=PHONE, text=TEXT, dispatch_key=key)
    assert [(m.phone, m.text) for m in sms_outbox] == [(PHONE, TEXT)]


def test_a_caller_run_twice_with_its_key_queues_one_message(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        sms_notify(phone=PHONE, text=TEXT, key="follow-up-link:42:1")
        sms_notify(phone=PHONE, text=TEXT, key="follow-up-link:42:1")
    assert DBTaskResult.objects.count() == 1
    assert SmsDispatch.objects.filter(key="follow-up-link:42:1").count() == 1
