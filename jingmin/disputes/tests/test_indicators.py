"""Disputes resolved and families helped, as the metrics registry finds and computes them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jingmin.cases import services as case_services
from jingmin.disputes import services
from jingmin.disputes.tests.conftest import register
from jingmin.metrics import registry
from jingmin.metrics.registry import Context, Period, Settings
from jingmin.org.scope import Scope

pytestmark = pytest.mark.django_db


def _ctx(unit, officer_id=None, detail=False):
    today = timezone.localdate()
    return Context(
        scope=Scope.under(unit),
        period=Period(today - timedelta(days=30), today),
        settings=Settings(),
        officer_id=officer_id,
        detail=detail,
    )


def test_disputes_resolved_is_resolved_over_closed(persona):
    for close in ("resolve", "resolve", "contain"):
        d = register(persona.oliver, persona.district_a1.pk)
        if close == "resolve":
            services.dispute_resolve(actor=persona.oliver, dispute_id=d.pk, outcome="和解")
        else:
            services.dispute_contain(actor=persona.oliver, dispute_id=d.pk, note="稳控")
    register(persona.oliver, persona.district_a1.pk)  # open: not counted
    indicator = registry.get_indicator("disputes_resolved")
    assert indicator is not None and indicator.compute.__module__ == "jingmin.disputes.indicators"
    m = indicator.compute(_ctx(persona.station_a, detail=True))
    assert m.numerator == Decimal(2) and m.denominator == Decimal(3)
    assert indicator.compute(_ctx(persona.station_b)).denominator == 0


def test_families_helped_counts_households_helped_in_the_period(persona, ledger_a1):
    case, _ = case_services.help_case_open(
        actor=persona.oliver, household_id=ledger_a1["household"].pk, hardship="困难", plan="帮扶"
    )
    case_services.help_act_record(actor=persona.oliver, case_id=case.pk, what="送米面油")
    case_services.help_act_record(actor=persona.oliver, case_id=case.pk, what="陪同就医")
    indicator = registry.get_indicator("families_helped")
    assert indicator is not None
    m = indicator.compute(_ctx(persona.station_a))
    assert m.numerator == Decimal(1) and m.denominator is None
    assert indicator.compute(_ctx(persona.station_a, officer_id=persona.chen.pk)).numerator == 0
