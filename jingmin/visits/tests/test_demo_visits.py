"""The demo year of visits: outlines around every district, coverage that differs between
districts within 40–90%, the families' news and tasks, the same for a seed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from jingmin.core.writes import composing
from jingmin.ledger.demo import seed_ledger
from jingmin.org.demo import seed_org
from jingmin.visits import services
from jingmin.visits.coverage import coverage_by_district
from jingmin.visits.demo import OWN_PLAN_MONTHS, outline_around, seed_visits
from jingmin.visits.models import DistrictOutline, Visit, VisitEvent, VisitFollowUp, VisitItem
from jingmin.visits.selectors import current_months, months_before


def test_a_year_of_visits_over_the_demo_ledger(db):
    org = seed_org(seed=7, size="small")
    seed_ledger(seed=7, org=org)
    now = timezone.now().replace(microsecond=0)
    counts = seed_visits(seed=7, org=org, now=now)

    assert counts.visits == Visit.objects.count() > 0
    assert VisitEvent.objects.filter(action="record").count() == counts.visits
    assert VisitItem.objects.count() == counts.items > 0
    assert VisitFollowUp.objects.filter(kind="task").count() == counts.tasks > 0

    # Outlines for every district, valid GeoJSON.
    outlines = {o.district_id: o.geometry for o in DistrictOutline.objects.all()}
    assert set(outlines) == {d.pk for d in org.districts}
    assert all(services.outline_valid(g) for g in outlines.values())

    figures = coverage_by_district([d.pk for d in org.districts], now=now)
    percents = [c.percent or 0 for c in figures.values()]
    assert all(40 <= p <= 90 for p in percents), percents
    assert max(percents) - min(percents) >= 15  # districts differ
    # A year: the oldest visit near a year ago, none in the future, and visits before the window.
    oldest = Visit.objects.order_by("visited_at").first()
    assert oldest is not None and (now - oldest.visited_at).days >= 300
    assert not Visit.objects.filter(visited_at__gt=now).exists()
    # The demo chief's second district has a plan of its own.
    assert current_months([org.districts[1].pk])[org.districts[1].pk] == OWN_PLAN_MONTHS
    start = months_before(now, 6)
    assert Visit.objects.filter(visited_at__lt=start, district=org.districts[0]).exists()


class _Rollback(Exception):
    pass


def test_the_same_seed_gives_the_same_visits(db):
    org = seed_org(seed=3, size="small")
    seed_ledger(seed=3, org=org, households_per_district=30)
    now = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)

    def load() -> list[tuple]:
        seed_visits(seed=3, org=org, now=now)
        return list(Visit.objects.order_by("id").values_list("household_id", "kind", "visited_at", "summary"))

    # The loader's services run in one transaction, as the demo command composes them.
    with pytest.raises(_Rollback), composing():
        first = load()
        raise _Rollback
    assert Visit.objects.count() == 0
    assert load() == first and first


def test_an_outline_surrounds_its_points():
    points = [(120.1, 30.2), (120.2, 30.2), (120.15, 30.3), (120.15, 30.25)]
    ring = outline_around(points)["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 4  # the inner point is not on the hull
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert min(xs) < 120.1 and max(xs) > 120.2 and max(ys) > 30.3
    assert len(outline_around([(120.1, 30.2)])["coordinates"][0]) == 7  # a hexagon around one point
