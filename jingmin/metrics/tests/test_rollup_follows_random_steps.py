"""Random sequences of appeal steps keep the roll-ups equal to a fresh count from the records.

From built (empty) roll-ups, a seeded random walk registers appeals at Clara's desk — received
now or up to 29 days late, from three citizens and three addresses in two categories, so that
repeats arise and a late one makes an appeal already counted a repeat — and takes random steps
on them, each by the person it falls to: the main road (accept, dispatch, sign, contact,
conclude, the citizen's follow-up), and the side steps that change what is counted (transfer,
return, the review of a dissatisfied answer, reopen, reject, merge). Every few steps, every
figure of every unit for this month and for the last 45 days (whole months and loose days
together, today's running clocks judged live), and Oliver's own, read through the roll-ups
equal the same figures counted from the records, and so do the hot issues' categories. Bounded: two seeds of 60 steps.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from conftest import Personas
from jingmin.appeals import services
from jingmin.appeals.indicators import by_category
from jingmin.appeals.models import Appeal, Category
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.core.errors import ServiceError
from jingmin.metrics import rollup
from jingmin.metrics.compute import context, figures, figures_by_unit
from jingmin.metrics.periods import Grain, period_of, today
from jingmin.metrics.registry import Period
from jingmin.org.scope import Scope

pytestmark = pytest.mark.django_db

REFUSALS = (PermissionDenied, Http404, ServiceError)
NOTE = "电话联系，约定上门"
STEPS = 60
CHECK_EVERY = 6
# The figures the roll-ups hold (the others are counted from the records either way).
ROLLED = [
    "response",
    "on_time_sign",
    "first_contact",
    "on_time_conclusion",
    "handoffs",
    "repeat",
    "appeals",
    "resolution",
    "satisfaction",
    "satisfaction_follow_up",
    "composite",
]


def counts(found: list[Any]) -> dict[str, tuple[Any, Any]]:
    return {f.key: (f.measure.numerator, f.measure.denominator) for f in found}


class Walk:
    def __init__(self, p: Personas, rng: random.Random, taken: Counter[str]) -> None:
        self.p, self.rng, self.taken = p, rng, taken
        self.ids: list[int] = []
        noise = Category.objects.get(code="order-noise")
        other = Category.objects.filter(children__isnull=True, parent__isnull=False).exclude(pk=noise.pk)
        self.categories = [noise, other.order_by("pk").first()]
        self.handler = {p.district_a1.pk: p.oliver, p.district_b1.pk: p.olga}

    def attempt(self, fn: Any, **kwargs: Any) -> bool:
        try:
            fn(**kwargs)
        except REFUSALS:
            return False
        self.taken[fn.__name__] += 1
        return True

    def register(self) -> None:
        hours = self.rng.choice([0, 0, 0, 2, 20, 30, 50, 29 * 24])
        appeal, _ = services.appeal_register(
            actor=self.p.clara,
            data=appeal_input(
                citizen_phone=self.rng.choice(["13800000001", "13800000002", "13800000003"]),
                address=self.rng.choice(["东门路1号", "东门路2号", ""]),
                category=self.rng.choice(self.categories),
                received_at=timezone.now() - dt.timedelta(hours=hours),
            ),
        )
        self.ids.append(appeal.pk)
        self.taken["late" if hours > 24 else "register"] += 1

    def advance(self, appeal: Appeal) -> None:
        """The next step of the main road, by the person it falls to."""
        p, rng = self.p, self.rng
        actor = self.handler.get(appeal.unit_id, p.chen)
        unit = rng.choice([p.district_a1, p.district_a1, p.district_a2, p.district_b1])
        road: list[tuple[Any, dict[str, Any]]] = [
            (services.appeal_accept, {"actor": p.clara}),
            (services.appeal_dispatch, {"actor": p.clara, "unit": unit}),
            (services.appeal_sign, {"actor": actor}),
            (services.appeal_contact, {"actor": actor, "note": NOTE}),
            (services.appeal_conclude, {"actor": actor, "result": "solved", "note": NOTE}),
            (
                services.appeal_follow_up,
                {
                    "actor": p.clara,
                    "resolved": rng.random() < 0.7,
                    "satisfaction": rng.choice([1, 2, 3, 4, 5, 5]),
                    "note": NOTE,
                },
            ),
            (services.appeal_review, {"actor": p.ines, "reasonable": rng.random() < 0.5, "note": NOTE}),
        ]
        if rng.random() < 0.3:
            road[3], road[4] = road[4], road[3]
        for fn, kwargs in road:
            if self.attempt(fn, appeal_id=appeal.pk, **kwargs):
                return

    def aside(self, appeal: Appeal) -> None:
        p, rng = self.p, self.rng
        actor = self.handler.get(appeal.unit_id, p.chen)
        unit = rng.choice([p.district_a1, p.district_a2, p.district_b1])
        choice = rng.choice(["transfer", "return", "review", "reopen", "reject", "merge"])
        if choice == "transfer":
            self.attempt(services.appeal_transfer, actor=actor, appeal_id=appeal.pk, unit=unit, reason=NOTE)
        elif choice == "return":
            self.attempt(services.appeal_return, actor=actor, appeal_id=appeal.pk, reason=NOTE)
        elif choice == "review":
            self.attempt(
                services.appeal_review,
                actor=p.ines,
                appeal_id=appeal.pk,
                reasonable=rng.random() < 0.5,
                note=NOTE,
            )
        elif choice == "reopen":
            self.attempt(services.appeal_reopen, actor=p.ines, appeal_id=appeal.pk, reason=NOTE)
        elif choice == "reject":
            self.attempt(services.appeal_reject, actor=p.clara, appeal_id=appeal.pk, reason=NOTE)
        elif len(self.ids) > 1:
            into = rng.choice([i for i in self.ids if i != appeal.pk])
            self.attempt(services.appeal_merge, actor=p.clara, appeal_id=appeal.pk, into=into)

    def step(self) -> None:
        roll = self.rng.random()
        if not self.ids or roll < 0.15:
            self.register()
            return
        appeal = Appeal.objects.get(pk=self.rng.choice(self.ids))
        if roll < 0.85:
            self.advance(appeal)
        else:
            self.aside(appeal)

    def check(self) -> None:
        p = self.p
        now = today()
        periods = [period_of(Grain.MONTH, now), Period(now - dt.timedelta(days=44), now)]
        units = list(Scope.under(p.bureau).units().order_by("path"))
        for period in periods:
            rolled = figures_by_unit(top=p.bureau, units=units, period=period, keys=ROLLED)
            fresh = figures_by_unit(top=p.bureau, units=units, period=period, keys=ROLLED, fresh=True)
            for unit in units:
                assert counts(rolled[unit.pk]) == counts(fresh[unit.pk]), (period, unit.name)
        scope, period = Scope.under(p.station_a), periods[1]
        mine = figures(scope=scope, period=period, officer_id=p.oliver.pk, keys=ROLLED)
        afresh = figures(scope=scope, period=period, officer_id=p.oliver.pk, keys=ROLLED, fresh=True)
        assert counts(mine) == counts(afresh)
        # The hot issues' categories, read alone (a period whose indicators were not computed).
        bureau = Scope.under(p.bureau)
        hot = by_category(context(scope=bureau, period=period))
        assert hot == by_category(context(scope=bureau, period=period, fresh=True))
        self.taken["checks"] += 1


@pytest.mark.parametrize("seed", [1, 2])
def test_random_steps_keep_the_rollups_equal_to_the_records(persona, seed):
    rollup.rebuild()
    taken: Counter[str] = Counter()
    walk = Walk(persona, random.Random(seed), taken)
    for n in range(1, STEPS + 1):
        walk.step()
        if n % CHECK_EVERY == 0:
            walk.check()
    # The walk took the steps that change what is counted, not only refusals.
    assert {
        "register",
        "late",
        "appeal_dispatch",
        "appeal_sign",
        "appeal_conclude",
        "appeal_follow_up",
    } <= set(taken), taken
    assert rollup.ready() and taken["checks"] == STEPS // CHECK_EVERY
    print(dict(taken))
