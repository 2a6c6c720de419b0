"""The compliance view on a hand-made bureau: the stations with no event this year, and the events
whose opinions still wait for an answer, each within the viewer's scope."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from conftest import make_user
from jingmin.evaluation import services
from jingmin.evaluation.selectors import compliance
from jingmin.evaluation.services import EventInput
from jingmin.evaluation.tests.conftest import held_event
from jingmin.org.models import UnitKind
from jingmin.org.roles import Role
from jingmin.org.services import unit_create


def test_stations_without_an_event_and_events_with_open_opinions(persona):
    # A third station under branch A, with its own chief, holds an event whose opinion is answered.
    station_c = unit_create(
        actor=None, parent=persona.branch_a, kind=UnitKind.STATION, name="南关派出所", code="TA20"
    )
    chief_c = make_user("chief_c", station_c, Role.CHIEF, "南所长")
    event_a = held_event(persona)
    open_one = services.opinion_add(actor=persona.chen, event_id=event_a.pk, text="路灯不亮")
    answered = services.opinion_add(actor=persona.chen, event_id=event_a.pk, text="窗口排队久")
    services.opinion_track(
        actor=persona.chen, opinion_id=answered.pk, owner=persona.clara, due_on=timezone.localdate()
    )
    services.opinion_conclude(actor=persona.clara, opinion_id=answered.pk, outcome="增开一个窗口")

    # Station C's forum, every opinion answered.
    event_c = services.event_plan(
        actor=chief_c,
        data=EventInput(
            unit=station_c,
            kind="forum",
            title="南关座谈会",
            place="南关村委会",
            starts_at=timezone.now() - timedelta(hours=3),
        ),
    )
    services.event_hold(actor=chief_c, event_id=event_c.pk, minutes="座谈记录")
    done = services.opinion_add(actor=chief_c, event_id=event_c.pk, text="希望多宣传防诈骗")
    services.opinion_track(actor=chief_c, opinion_id=done.pk, owner=chief_c, due_on=timezone.localdate())
    services.opinion_conclude(actor=chief_c, opinion_id=done.pk, outcome="已在村里开展宣传")

    # This year's events say nothing of last year.
    last_year = compliance(actor=persona.li, year=timezone.localdate().year - 1)
    assert {s.name for s in last_year.stations_without_event} == {"城关派出所", "河西派出所", "南关派出所"}

    bureau = compliance(actor=persona.li)
    assert [s.name for s in bureau.stations_without_event] == ["河西派出所"]
    assert [e.pk for e in bureau.events_with_open_opinions] == [event_a.pk]
    assert getattr(bureau.events_with_open_opinions[0], "open_opinions") == 1  # noqa: B009

    # The chief of station A sees his station only: nothing is missing there, one event is open.
    own = compliance(actor=persona.chen)
    assert own.stations_without_event == [] and [e.pk for e in own.events_with_open_opinions] == [event_a.pk]
    # An officer of a district sees no station at all, nor station A's event.
    olga = compliance(actor=persona.olga)
    assert olga.stations_without_event == [] and olga.events_with_open_opinions == []

    services.opinion_track(
        actor=persona.chen, opinion_id=open_one.pk, owner=persona.oliver, due_on=timezone.localdate()
    )
    assert [e.pk for e in compliance(actor=persona.li).events_with_open_opinions] == [event_a.pk]
    services.opinion_conclude(actor=persona.oliver, opinion_id=open_one.pk, outcome="已修复")
    assert compliance(actor=persona.li).events_with_open_opinions == []
