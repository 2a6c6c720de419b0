"""Coverage on a hand-made district: nine active households in A1 (a tenth moved away), four
visited within the plan's six months, one only before it: 4 of 9. Station A adds A2's 1 of 3."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jingmin.ledger.models import Household
from jingmin.visits import services
from jingmin.visits.coverage import coverage_by_district, coverage_overview, household_rows, today_plan
from jingmin.visits.tests.conftest import visit_input


@pytest.fixture
def visited(persona, world, record, settings):
    settings.VISIT_PLAN_DEFAULT_MONTHS = 6
    now = timezone.now()
    # The tenth household moved away after its visit.
    Household.objects.filter(pk=world.a1_gone.pk).update(is_active=True)
    # Recorded at the time they took place (the service takes no visit older than 30 days).
    for household, days_ago in (
        (world.a1[0], 2),
        (world.a1[1], 40),
        (world.a1[2], 170),
        (world.a1[3], 100),
        (world.a1[4], 200),  # before the window: not covered
        (world.a1_gone, 3),  # moved away since: not counted at all
        (world.a2[0], 10),
    ):
        with time_machine.travel(now - timedelta(days=days_ago)):
            record(actor=persona.chen, household=household.pk)
    Household.objects.filter(pk=world.a1_gone.pk).update(is_active=False)
    # Visited twice within the window: still one household.
    record(household=world.a1[0].pk)
    # Withdrawn: recorded in error, does not count.
    wrong = record(household=world.a1[5].pk)
    services.visit_amend(actor=persona.oliver, visit_id=wrong.pk, reason="走错户", withdraw=True)
    return now


def test_the_district_counts_active_households_visited_within_the_window(persona, visited):
    a1 = coverage_by_district([persona.district_a1.pk])[persona.district_a1.pk]
    assert (a1.covered, a1.total, a1.not_covered, a1.percent) == (4, 9, 5, 44)


def test_the_station_and_the_bureau_add_up_their_districts(persona, visited):
    station = coverage_overview(actor=persona.chen, unit=persona.station_a)
    assert (station.coverage.covered, station.coverage.total) == (5, 12)
    assert [(r.unit, r.coverage.covered, r.coverage.total, r.months) for r in station.rows] == [
        (persona.district_a1, 4, 9, 6),
        (persona.district_a2, 1, 3, 6),
    ]
    bureau = coverage_overview(actor=persona.li, unit=persona.bureau)
    assert (bureau.coverage.covered, bureau.coverage.total) == (5, 14)  # B1: 0 of 2
    assert [(r.unit, r.coverage.covered, r.coverage.total) for r in bureau.rows] == [
        (persona.branch_a, 5, 12),
        (persona.branch_b, 0, 2),
    ]


def test_the_list_puts_the_not_yet_visited_first_the_longest_unvisited_first(persona, world, visited):
    rows, _start = household_rows(actor=persona.oliver, district=persona.district_a1)
    order = [(h.pk, h.covered) for h in rows]  # type: ignore[attr-defined]
    never = sorted(h.pk for h in world.a1[5:9])  # including the withdrawn visit's household
    assert order[:4] == [(pk, False) for pk in never]
    assert order[4] == (world.a1[4].pk, False)  # visited, but before the window
    assert order[5:] == [
        (world.a1[2].pk, True),
        (world.a1[3].pk, True),
        (world.a1[1].pk, True),
        (world.a1[0].pk, True),
    ]
    uncovered, _ = household_rows(actor=persona.oliver, district=persona.district_a1, uncovered_only=True)
    assert uncovered.count() == 5


def test_todays_plan_lists_the_households_due_nearest_deadline_first(persona, world, visited):
    plan = today_plan(actor=persona.oliver, district=persona.district_a1)
    # Not covered: the four never visited since they entered the ledger 400 days ago, then the one
    # last visited 200 days ago; then the one whose cover runs out within two weeks (170 days ago).
    assert [row.household.pk for row in plan][:5] == [*sorted(h.pk for h in world.a1[5:9]), world.a1[4].pk]
    assert plan[5].household == world.a1[2] and plan[5].covered
    assert all(row.overdue for row in plan[:5]) and not plan[5].overdue
    assert [row.due_on for row in plan] == sorted(row.due_on for row in plan)
    assert len(plan) == 6


def test_a_new_visit_raises_the_coverage(persona, world, visited):
    services.visit_record(actor=persona.oliver, data=visit_input(household=world.a1[6].pk))
    a1 = coverage_by_district([persona.district_a1.pk])[persona.district_a1.pk]
    assert (a1.covered, a1.total, a1.percent) == (5, 9, 55)


def test_the_kept_latest_visits_equal_those_derived_from_the_visits(persona, world, visited):
    from jingmin.visits.models import HouseholdCover

    # A visit entered late, having taken place before the household's latest, changes nothing.
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        late_entry = timezone.now() - timedelta(days=20)
    services.visit_record(
        actor=persona.oliver, data=visit_input(household=world.a1[0].pk, visited_at=late_entry)
    )
    kept = dict(HouseholdCover.objects.values_list("household_id", "visited_at"))
    assert world.a1[5].pk not in kept  # its only visit was withdrawn
    assert services.household_covers_rebuild() == len(kept) == 7
    assert dict(HouseholdCover.objects.values_list("household_id", "visited_at")) == kept
