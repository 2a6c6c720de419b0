"""The minutely sweep of the clocks: a registration queues no timer, a sweep that did not run for
an hour sends what the hour owed exactly once, and sweeps run twice, or at once on two
connections, send each alert once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult, get_date_max

from jingmin.appeals import services
from jingmin.appeals.models import Action, Appeal, AppealEvent
from jingmin.appeals.tests.conftest import appeal_input

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a Monday


def at(hour: int, minute: int = 0) -> datetime:
    return T0.replace(hour=hour, minute=minute)


def dispatched_at(persona, when: datetime, **overrides) -> Appeal:
    with time_machine.travel(when, tick=False):
        appeal, _ = services.appeal_register(actor=persona.clara, data=appeal_input(**overrides))
        services.appeal_accept(actor=persona.clara, appeal_id=appeal.pk)
        return services.appeal_dispatch(actor=persona.clara, appeal_id=appeal.pk, unit=persona.district_a1)


def sweep_at(when: datetime, **kwargs) -> int:
    with time_machine.travel(when, tick=False):
        return services.appeal_clocks_sweep(**kwargs)


def alerts(appeal: Appeal) -> list[tuple[str, str]]:
    return sorted(
        (e.action, e.data["clock"])
        for e in AppealEvent.objects.filter(appeal=appeal, action__in=[Action.REMIND, Action.ESCALATE])
    )


def test_a_registration_and_its_steps_queue_no_clock_task(persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = dispatched_at(persona, T0)
    assert appeal.alert_at is not None  # the sweep will find it: sign by 11:00, reminder at 10:30
    queued = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued  # real work is still queued (early warning, notifications) …
    assert not [path for path in queued if "clock" in path]  # … but no timer of a clock
    # and nothing waits for a later time: every task queued is work to do now.
    # ("no time set" is stored as the queue's far-future sentinel)
    for enqueued_at, run_after in DBTaskResult.objects.values_list("enqueued_at", "run_after"):
        assert run_after == get_date_max() or run_after <= enqueued_at + timedelta(seconds=1)


def test_a_sweep_missed_for_an_hour_sends_what_the_hour_owed_exactly_once(persona):
    early = dispatched_at(persona, T0)  # sign by 11:00, reminder at 10:30
    late = dispatched_at(persona, at(10, 0))  # sign by 12:00, reminder at 11:30
    assert sweep_at(at(10, 0)) == 0
    # The timer stops from 10:00 to 11:40: the early appeal's reminder and deadline pass unseen,
    # and the late one's reminder comes due.
    assert sweep_at(at(11, 40)) == 2
    # The early clock ran out: its late reminder is not sent, the escalation is, once.
    assert alerts(early) == [(Action.ESCALATE, "sign")]
    assert alerts(late) == [(Action.REMIND, "sign")]
    # The next minute, and the one after, owe nothing more.
    assert sweep_at(at(11, 41)) == 0
    assert sweep_at(at(11, 42)) == 0
    assert sweep_at(at(12, 1)) == 1
    assert alerts(late) == [(Action.ESCALATE, "sign"), (Action.REMIND, "sign")]
    early.refresh_from_db()
    assert early.escalated_at == at(11, 40)
    # Only the clocks still owing an alert (first contact, conclusion) keep the appeal in the sweep.
    assert early.sign_alert_at is None and early.alert_at == early.contact_alert_at


def test_two_sweeps_in_a_row_send_each_alert_once(persona):
    appeals = [dispatched_at(persona, T0, title=f"噪音{i}") for i in range(5)]
    assert sweep_at(at(11, 5), batch=2) == 5  # batches smaller than the work: it walks them all
    assert sweep_at(at(11, 5), batch=2) == 0
    for appeal in appeals:
        assert alerts(appeal) == [(Action.ESCALATE, "sign")]


def test_a_clock_paused_and_resumed_with_its_deadline_still_owes_its_alert(persona, walk):
    # Registered with a phone: first contact within 24 hours, reminder 6 hours before.
    with time_machine.travel(T0, tick=False):
        appeal, _ = services.appeal_register(actor=persona.clara, data=appeal_input())
    assert appeal.contact_alert_at == at(9).replace(day=24, hour=3)
    assert sweep_at(at(9).replace(day=24, hour=4)) == 1
    assert alerts(appeal) == [(Action.REMIND, "contact")]
    assert sweep_at(at(9).replace(day=24, hour=10)) == 1
    assert alerts(appeal) == [(Action.ESCALATE, "contact"), (Action.REMIND, "contact")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_alert_once(audit_guard_lifted, reference_data, persona):
    appeals = [dispatched_at(persona, T0, title=f"噪音{i}") for i in range(12)]
    start = threading.Barrier(2)
    sent: list[int] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            sent.append(sweep_at(at(11, 5), batch=3))
        except BaseException as exc:  # reported below, in the test's thread
            failed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failed == []
    assert sum(sent) == 12
    for appeal in appeals:
        assert alerts(appeal) == [(Action.ESCALATE, "sign")]
