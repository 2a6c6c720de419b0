"""Reminders before a clock runs out and escalation after it, sent by the minutely sweep.

Each running clock keeps its next alert on the appeal; the sweep sends what has come due, and
a clock stopped or reset in time alerts no one about the deadline it no longer has.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command

from jingmin.appeals import services
from jingmin.appeals.models import Action, AppealEvent
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.notify.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a Monday


def at(hour: int, minute: int = 0) -> datetime:
    return T0.replace(hour=hour, minute=minute)


def dispatched(persona, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        appeal, _ = services.appeal_register(actor=persona.clara, data=appeal_input())
        services.appeal_accept(actor=persona.clara, appeal_id=appeal.pk)
        services.appeal_dispatch(actor=persona.clara, appeal_id=appeal.pk, unit=persona.district_a1)
    return appeal


def sweep():
    call_command("appeals_clock_sweep", verbosity=0)


def alerts(appeal, action):
    return list(AppealEvent.objects.filter(appeal=appeal, action=action))


def test_the_sweep_reminds_before_the_sign_clock_runs_out_and_escalates_after(
    persona, django_capture_on_commit_callbacks
):
    appeal = dispatched(persona, django_capture_on_commit_callbacks)  # sign by 11:00

    with time_machine.travel(at(10, 0), tick=False):
        sweep()
    assert alerts(appeal, Action.REMIND) == []  # the reminder is due at 10:30

    with time_machine.travel(at(10, 40), tick=False):
        sweep()
    [remind] = alerts(appeal, Action.REMIND)
    assert remind.data["clock"] == "sign" and remind.actor is None
    assert Notification.objects.filter(recipient=persona.oliver, kind="appeal.remind").count() == 1
    assert alerts(appeal, Action.ESCALATE) == []

    with time_machine.travel(at(11, 5), tick=False):
        sweep()
        sweep()  # running twice sends nothing twice
    [escalate] = alerts(appeal, Action.ESCALATE)
    assert escalate.unit == persona.station_a
    assert Notification.objects.filter(recipient=persona.chen, kind="appeal.escalate").count() == 1
    appeal.refresh_from_db()
    assert appeal.escalated_at is not None


def test_a_clock_stopped_in_time_alerts_no_one(persona, django_capture_on_commit_callbacks):
    appeal = dispatched(persona, django_capture_on_commit_callbacks)
    with time_machine.travel(at(9, 30), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.appeal_sign(actor=persona.oliver, appeal_id=appeal.pk)
    with time_machine.travel(at(11, 30), tick=False):
        sweep()
    sign_alerts = [
        e
        for e in alerts(appeal, Action.REMIND) + alerts(appeal, Action.ESCALATE)
        if e.data["clock"] == "sign"
    ]
    assert sign_alerts == []


def test_a_reset_clock_is_alerted_on_its_new_deadline_only(persona, django_capture_on_commit_callbacks):
    appeal = dispatched(persona, django_capture_on_commit_callbacks)
    with time_machine.travel(at(10, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.appeal_transfer(
            actor=persona.chen, appeal_id=appeal.pk, unit=persona.district_a2, reason="属地不符"
        )
    with time_machine.travel(at(11, 5), tick=False):
        sweep()  # the old 11:00 deadline no longer runs; the new one is 12:00
    assert [e for e in alerts(appeal, Action.ESCALATE) if e.data["clock"] == "sign"] == []
    with time_machine.travel(at(12, 5), tick=False):
        sweep()
    [escalate] = [e for e in alerts(appeal, Action.ESCALATE) if e.data["clock"] == "sign"]
    assert escalate.data["deadline"].startswith("2026-11-23T04:00")  # 12:00 in Shanghai
