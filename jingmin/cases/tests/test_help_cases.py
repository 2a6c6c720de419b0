"""Help cases: a plan for a household, each act of help linked to a visit, closed with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from jingmin.cases import services
from jingmin.cases.models import CaseEvent, HelpCase
from jingmin.core.errors import ServiceError
from jingmin.visits import services as visit_services
from jingmin.visits.tests.conftest import visit_input

pytestmark = pytest.mark.django_db


def test_an_act_of_help_names_its_visit_and_closing_needs_a_reason(persona, ledger_a1):
    household = ledger_a1["household"]
    case, _ = services.help_case_open(
        actor=persona.oliver, household_id=household.pk, hardship="因病致贫", plan="协助就医"
    )
    visit, _ = visit_services.visit_record(
        actor=persona.oliver, data=visit_input(household=household.pk, kind="help")
    )
    act = services.help_act_record(
        actor=persona.oliver, case_id=case.pk, what="陪同就医", outcome="已入院", visit=visit.pk
    )
    assert act.visit_id == visit.pk and act.by_id == persona.oliver.pk
    with pytest.raises(ServiceError):
        services.help_case_close(actor=persona.oliver, case_id=case.pk, reason="")
    services.help_case_close(actor=persona.oliver, case_id=case.pk, reason="recovered")
    case.refresh_from_db()
    assert not case.is_open and case.close_reason == "recovered"
    assert [e.action for e in CaseEvent.objects.filter(kind="help", case_id=case.pk)] == [
        "open",
        "act",
        "close",
    ]
    with pytest.raises(ServiceError):
        services.help_act_record(actor=persona.oliver, case_id=case.pk, what="再次探望")


def test_one_open_help_case_per_household(persona, ledger_a1):
    services.help_case_open(
        actor=persona.oliver, household_id=ledger_a1["household"].pk, hardship="a", plan="b"
    )
    with pytest.raises(ServiceError):
        services.help_case_open(
            actor=persona.chen, household_id=ledger_a1["household"].pk, hardship="a", plan="b"
        )
    assert HelpCase.objects.count() == 1


def test_a_leader_reads_but_does_not_record(persona, ledger_a1):
    case, _ = services.help_case_open(
        actor=persona.oliver, household_id=ledger_a1["household"].pk, hardship="a", plan="b"
    )
    with pytest.raises(PermissionDenied):
        services.help_act_record(actor=persona.li, case_id=case.pk, what="x")


def test_an_act_sent_twice_with_its_key_is_recorded_once(persona, ledger_a1):
    case, _ = services.help_case_open(
        actor=persona.oliver, household_id=ledger_a1["household"].pk, hardship="a", plan="b"
    )
    for _i in range(2):
        services.help_act_record(
            actor=persona.oliver, case_id=case.pk, what="送米面油", submission_key="act-1"
        )
    assert case.acts.count() == 1
