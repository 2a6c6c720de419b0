"""A household whose family news reports hardship, illness or a death, and has no help case."""

from __future__ import annotations

import pytest

from jingmin.cases import services as case_services
from jingmin.visits import services as visit_services
from jingmin.visits.tests.conftest import visit_input
from jingmin.warnings.models import Signal
from jingmin.warnings.tests.conftest import close, scan

pytestmark = pytest.mark.django_db


def _visit(persona, household, kind="hardship", text="老伴去世后生活困难"):
    visit, _ = visit_services.visit_record(
        actor=persona.oliver,
        data=visit_input(household=household.pk, items=[visit_services.ItemInput(kind=kind, text=text)]),
    )
    scan("visit", visit.pk)
    return visit


def test_hardship_news_without_a_help_case_raises_a_signal(persona, ledger_a1):
    _visit(persona, ledger_a1["household"])
    signal = Signal.objects.get(kind="hardship")
    assert signal.assignee_id == persona.oliver.pk and signal.evidence.count() == 1


def test_other_news_raises_nothing(persona, ledger_a1):
    _visit(persona, ledger_a1["household"], kind="birth", text="添了孙子")
    assert not Signal.objects.filter(kind="hardship").exists()


def test_a_household_with_a_help_case_raises_nothing(persona, ledger_a1):
    case_services.help_case_open(
        actor=persona.oliver, household_id=ledger_a1["household"].pk, hardship="a", plan="b"
    )
    _visit(persona, ledger_a1["household"])
    assert not Signal.objects.filter(kind="hardship").exists()


def test_the_same_news_raises_once_and_new_news_reopens(persona, ledger_a1):
    visit = _visit(persona, ledger_a1["household"])
    scan("visit", visit.pk)
    signal = Signal.objects.get(kind="hardship")
    close(signal, persona)
    scan("visit", visit.pk)
    signal.refresh_from_db()
    assert signal.state == "closed"
    _visit(persona, ledger_a1["household"], kind="illness", text="老人住院")
    signal.refresh_from_db()
    assert (signal.state, signal.evidence.count()) == ("open", 2)
