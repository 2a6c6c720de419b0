"""Disputes past their deadline, re-graded upward, or with a party in another open dispute."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jingmin.disputes import services as dispute_services
from jingmin.disputes.tests.conftest import register
from jingmin.warnings.models import Signal
from jingmin.warnings.tests.conftest import close, scan

pytestmark = pytest.mark.django_db


def test_an_overdue_dispute_raises_a_signal_and_one_due_tomorrow_does_not(persona):
    d = register(persona.oliver, persona.district_a1.pk, grade="red")
    scan("dispute", d.pk)
    assert not Signal.objects.filter(kind="dispute_overdue").exists()
    with time_machine.travel(d.deadline + timedelta(seconds=1)):
        scan("dispute", d.pk)
        scan("dispute", d.pk)
    signal = Signal.objects.get(kind="dispute_overdue")
    assert signal.severity == "high" and signal.assignee_id == persona.oliver.pk
    assert signal.evidence.count() == 1


def test_a_new_deadline_that_passes_too_reopens_the_closed_signal(persona):
    d = register(persona.oliver, persona.district_a1.pk, grade="red")
    with time_machine.travel(d.deadline + timedelta(seconds=1)):
        scan("dispute", d.pk)
        close(Signal.objects.get(kind="dispute_overdue"), persona)
        dispute_services.dispute_regrade(
            actor=persona.chen, dispute_id=d.pk, grade="orange", reason="已初步稳控"
        )
    d.refresh_from_db()
    with time_machine.travel(d.deadline - timedelta(hours=1)):
        scan("dispute", d.pk)
        assert Signal.objects.get(kind="dispute_overdue").state == "closed"
    with time_machine.travel(d.deadline + timedelta(seconds=1)):
        scan("dispute", d.pk)
    assert Signal.objects.get(kind="dispute_overdue").state == "open"


def test_regrading_upward_raises_and_downward_does_not(persona):
    d = register(persona.oliver, persona.district_a1.pk, grade="yellow")
    dispute_services.dispute_regrade(actor=persona.oliver, dispute_id=d.pk, grade="blue", reason="缓和")
    scan("dispute", d.pk)
    assert not Signal.objects.filter(kind="dispute_upgraded").exists()
    dispute_services.dispute_regrade(actor=persona.oliver, dispute_id=d.pk, grade="orange", reason="扬言报复")
    scan("dispute", d.pk)
    scan("dispute", d.pk)
    signal = Signal.objects.get(kind="dispute_upgraded")
    assert signal.evidence.count() == 1 and signal.severity == "high"
    close(signal, persona)
    dispute_services.dispute_regrade(actor=persona.oliver, dispute_id=d.pk, grade="red", reason="再次升级")
    scan("dispute", d.pk)
    signal.refresh_from_db()
    assert signal.state == "open" and signal.evidence.count() == 2


def test_a_party_in_two_open_disputes_raises_a_signal_and_in_one_does_not(persona, ledger_a1):
    person = ledger_a1["person"]
    party = [dispute_services.PartyInput(person=person.pk)]
    first = register(persona.oliver, persona.district_a1.pk, parties=party)
    scan("dispute", first.pk)
    assert not Signal.objects.filter(kind="dispute_party").exists()
    second = register(persona.oliver, persona.district_a1.pk, parties=party, title="另一起")
    scan("dispute", second.pk)
    scan("dispute", first.pk)
    signal = Signal.objects.get(kind="dispute_party")
    assert sorted(signal.evidence.values_list("record_id", flat=True)) == [first.pk, second.pk]
    close(signal, persona)
    third = register(persona.oliver, persona.district_a1.pk, parties=party, title="第三起")
    scan("dispute", third.pk)
    signal.refresh_from_db()
    assert signal.state == "open" and signal.evidence.count() == 3


def test_a_party_whose_other_dispute_is_closed_raises_nothing(persona):
    party = [dispute_services.PartyInput(name="钱七", phone="13911112222")]
    first = register(persona.oliver, persona.district_a1.pk, parties=party)
    dispute_services.dispute_resolve(actor=persona.oliver, dispute_id=first.pk, outcome="和解")
    second = register(persona.oliver, persona.district_a1.pk, parties=party)
    scan("dispute", second.pk)
    assert not Signal.objects.filter(kind="dispute_party").exists()
    assert timezone.now()
