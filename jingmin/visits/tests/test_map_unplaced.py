"""A district's map counts every active household of the district in its figure, the ones it
cannot place (no position on their address or above it) too, and shows only those it can: the
figure must equal the coverage page's, which counts the district without the map."""

from __future__ import annotations

from django.urls import reverse

from conftest import signed_in
from jingmin.visits import coverage
from jingmin.visits.tests.conftest import make_household


def test_households_without_a_position_count_but_are_not_shown(persona, world, record):
    road = world.a1[0].house.address.parent
    assert road.latitude is None  # nothing above the door to place them by
    unplaced = [
        make_household(persona.district_a1, road, 400 + n, head_name=f"无{n}", position=None)
        for n in range(3)
    ]
    make_household(persona.district_a1, road, 410, head_name="迁出", position=None, active=False)
    record(household=unplaced[0].pk)
    record(household=world.a1[0].pk)

    response = signed_in(persona.oliver).get(reverse("visits:coverage_map"), {"unit": persona.district_a1.pk})
    data = response.json()

    counted = coverage.coverage_by_district([persona.district_a1.pk])[persona.district_a1.pk]
    assert (counted.total, counted.covered) == (len(world.a1) + 3, 2)
    assert data["coverage"] == {
        "total": counted.total,
        "covered": counted.covered,
        "percent": counted.percent,
    }
    # The map's places hold A1's located households alone, the visited one of them counted.
    assert sum(p[2] for p in data["places"]) == len(world.a1)
    assert sum(p[3] for p in data["places"]) == 1
    listed = {pk for place in data["places"] for pk, _label in place[4]}
    assert not listed & {h.pk for h in unplaced}
