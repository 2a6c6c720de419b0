"""The nightly sweep alerts the command centre and the bureau about appeals no one can act on."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from jingmin.appeals import services
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.notify.models import Notification


def sweep() -> str:
    out = StringIO()
    call_command("appeals_unattended", stdout=out)
    return out.getvalue()


def test_an_appeal_whose_station_lost_its_clerks_is_reported(persona, centre):
    stranded = services.appeal_register(actor=persona.clara, data=appeal_input(title="无人受理"))[0]
    services.appeal_register(actor=None, data=appeal_input(title="指挥中心的"), intake_unit=persona.bureau)
    for user in (persona.clara, persona.chen):
        user.is_active = False
        user.save()

    out = sweep()
    assert stranded.tracking_code in out
    assert "1 appeals no one can act on" in out
    alerts = Notification.objects.filter(kind="appeal.unattended")
    assert sorted(a.recipient.username for a in alerts) == ["cora", "ines", "li"]
    assert all(stranded.tracking_code in a.body for a in alerts)

    sweep()  # the same night again: nobody is told twice
    assert Notification.objects.filter(kind="appeal.unattended").count() == 3


def test_when_everyone_can_act_nobody_is_alerted(persona, centre, register, walk):
    for state in ("submitted", "accepted", "dispatched", "handling", "concluded"):
        walk(register(), state)
    assert "0 appeals no one can act on" in sweep()
    assert not Notification.objects.filter(kind="appeal.unattended").exists()
