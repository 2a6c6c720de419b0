"""The coverage map groups the households of one building into one place: how many live there,
how many were visited within the plan, and the first of those not yet visited, the longest
unvisited first, each with its address to record a visit."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.visits import coverage
from jingmin.visits.models import HouseholdCover
from jingmin.visits.tests.conftest import make_household

BUILDING = ("31.240000", "121.480000")


def test_one_building_is_one_place_listing_the_longest_unvisited_first(persona, world, record):
    road = world.a1[0].house.address.parent
    homes = [
        make_household(persona.district_a1, road, 200 + n, head_name=f"楼{n}", position=BUILDING)
        for n in range(coverage.PLACE_LIST + 3)
    ]
    now = timezone.now()
    # Visited long ago (before the plan's window): listed after the never visited, oldest first.
    HouseholdCover.objects.create(household=homes[0], visited_at=now - timedelta(days=700))
    HouseholdCover.objects.create(household=homes[1], visited_at=now - timedelta(days=800))
    record(household=homes[2].pk)

    data = (
        signed_in(persona.oliver).get(reverse("visits:coverage_map"), {"unit": persona.district_a1.pk}).json()
    )
    [place] = [p for p in data["places"] if (p[0], p[1]) == (31.24, 121.48)]
    assert place[2:4] == [len(homes), 1]
    listed = [pk for pk, _label in place[4]]
    never = [h.pk for h in homes[3:]]
    assert listed == never[: coverage.PLACE_LIST]
    assert len(listed) == coverage.PLACE_LIST
    assert place[4][0][1] == f"{homes[3].house.address.full_name} {homes[3].number}"
    # A1's own nine households keep their nine places; the building adds one.
    assert len(data["places"]) == 10
    assert sum(p[2] for p in data["places"]) == len(world.a1) + len(homes)


def test_the_visited_long_ago_come_after_the_never_visited(persona, world):
    road = world.a1[0].house.address.parent
    homes = [
        make_household(persona.district_a1, road, 300 + n, head_name=f"楼{n}", position=BUILDING)
        for n in range(3)
    ]
    now = timezone.now()
    HouseholdCover.objects.create(household=homes[0], visited_at=now - timedelta(days=700))
    HouseholdCover.objects.create(household=homes[1], visited_at=now - timedelta(days=800))
    data = coverage.map_data(actor=persona.oliver, unit=persona.district_a1, now=now)
    [place] = [p for p in data["places"] if (p[0], p[1]) == (31.24, 121.48)]
    assert [pk for pk, _label in place[4]] == [homes[2].pk, homes[1].pk, homes[0].pk]
    assert place[2:4] == [3, 0]
