"""Acknowledging, acting on and closing a signal: in scope, with a note, each step an event."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jingmin.core.errors import ServiceError
from jingmin.warnings import selectors, services
from jingmin.warnings.models import Signal
from jingmin.warnings.tests.conftest import appeal, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal(persona):
    scan("appeal", appeal(persona, content="工地拖欠工资，工人准备堵路。").pk)
    return Signal.objects.get()


def test_the_steps_follow_each_other_with_notes_and_events(persona, signal):
    services.signal_step(actor=persona.oliver, signal_id=signal.pk, step="acknowledge")
    with pytest.raises(ServiceError):
        services.signal_step(actor=persona.oliver, signal_id=signal.pk, step="act", note=" ")
    services.signal_step(actor=persona.oliver, signal_id=signal.pk, step="act", note="联系劳动监察")
    services.signal_step(actor=persona.chen, signal_id=signal.pk, step="close", note="工资已发放")
    signal.refresh_from_db()
    assert signal.state == "closed" and signal.assignee_id == persona.oliver.pk
    assert [e.action for e in signal.events.order_by("seq")] == ["raise", "acknowledge", "act", "close"]
    with pytest.raises(ServiceError):
        services.signal_step(actor=persona.chen, signal_id=signal.pk, step="close", note="x")


def test_outside_the_scope_it_does_not_exist_and_a_clerk_may_not_act(persona, signal):
    with pytest.raises(Http404):
        services.signal_step(actor=persona.olga, signal_id=signal.pk, step="acknowledge")
    with pytest.raises(PermissionDenied):
        services.signal_step(actor=persona.clara, signal_id=signal.pk, step="acknowledge")
    assert not selectors.signal_list(persona.olga).exists()
    assert selectors.signal_list(persona.clara, selectors.SignalFilters(state="open")).count() == 1


def test_the_list_filters_by_evidence_record(persona, signal):
    evidence = signal.evidence.get()
    by_record = selectors.SignalFilters(record_type="appeal", record_id=evidence.record_id)
    assert list(selectors.signal_list(persona.chen, by_record)) == [signal]
    other = selectors.SignalFilters(record_type="dispute", record_id=evidence.record_id)
    assert not selectors.signal_list(persona.chen, other).exists()
