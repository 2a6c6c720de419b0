"""Household visit coverage (入户走访覆盖率), the mass-work indicator of the GUIDE:

    coverage = active households visited at least once within the plan's window
               / active households of the district

The window is the district's plan (every household at least once in N months, `VisitPlan`, by
default `settings.VISIT_PLAN_DEFAULT_MONTHS`): from the start of the local day N calendar months
ago until now. Any kind of visit linked to the household counts, except a withdrawn one and
persuasion (规劝), which stays out of sight of those who may not read it. A station or the bureau
adds up its districts, each counted over its own window.

Counting is done by the database: one query per distinct window, each a count of households
joined to `HouseholdCover`, the latest counting visit of each household, which the services keep
beside the visits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    Func,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Concat, RowNumber
from django.http import Http404
from django.utils import timezone

from jingmin.ledger.models import Household
from jingmin.ledger.selectors import households_in_scope
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap
from jingmin.org.scope import Scope
from jingmin.org.selectors import require
from jingmin.visits.models import RESTRICTED_KINDS, DistrictOutline, Visit
from jingmin.visits.selectors import add_months, current_months, months_before

# "Today's plan" also lists households whose cover runs out within this many days.
SOON_DAYS = 14


@dataclass(frozen=True)
class Coverage:
    total: int
    covered: int

    @property
    def not_covered(self) -> int:
        return self.total - self.covered

    @property
    def percent(self) -> int | None:
        """Whole per cent, rounded down: "90%" only once nine in ten are visited."""
        return self.covered * 100 // self.total if self.total else None

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.total + other.total, self.covered + other.covered)


NONE = Coverage(0, 0)


def counting_visits() -> QuerySet[Visit]:
    """The visits that count for coverage (`HouseholdCover` holds the latest of them)."""
    return Visit.objects.filter(withdrawn=False, household__isnull=False).exclude(
        kind__in=sorted(RESTRICTED_KINDS)
    )


def coverage_by_district(district_ids: Iterable[int], *, now: datetime | None = None) -> dict[int, Coverage]:
    now = now or timezone.now()
    months = current_months(district_ids)
    by_window: dict[int, list[int]] = defaultdict(list)
    for district_id, m in months.items():
        by_window[m].append(district_id)
    out = dict.fromkeys(months, NONE)
    for m, ids in by_window.items():
        start = months_before(now, m)
        rows = (
            Household.objects.filter(is_active=True, district_id__in=ids)
            .values("district_id")
            .annotate(total=Count("id"), covered=Count("id", filter=Q(visit_cover__visited_at__gte=start)))
            .order_by()
        )
        for row in rows:
            out[row["district_id"]] = Coverage(row["total"], row["covered"])
    return out


def coverage_unit(actor: User, unit_id: int | None) -> Unit:
    """The unit whose coverage is asked for: the actor's own by default, else one of its subtree."""
    require(actor, Cap.LEDGER_VIEW)
    if unit_id is None:
        return actor.unit
    unit = Scope.of(actor).units().filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def districts_under(unit: Unit) -> QuerySet[Unit]:
    return Scope.under(unit).districts()


@dataclass(frozen=True)
class CoverageRow:
    unit: Unit
    coverage: Coverage
    months: int | None  # the plan of a district; None for a unit that adds up several


@dataclass(frozen=True)
class Overview:
    unit: Unit
    coverage: Coverage
    months: int | None
    rows: list[CoverageRow]


def coverage_overview(*, actor: User, unit: Unit, now: datetime | None = None) -> Overview:
    """The unit's coverage and that of each unit directly beneath it (its districts for a station,
    its stations for a branch), each added up from its districts."""
    require(actor, Cap.LEDGER_VIEW)
    districts = list(districts_under(unit))
    by_district = coverage_by_district([d.pk for d in districts], now=now)
    months = current_months([d.pk for d in districts])
    total = sum(by_district.values(), NONE)
    rows: list[CoverageRow] = []
    if unit.kind != UnitKind.DISTRICT:
        children = Unit.objects.filter(parent=unit, is_active=True).exclude(kind=UnitKind.DEPARTMENT)
        for child in children.order_by("path"):
            inside = [d for d in districts if Scope.under(child).contains(d)]
            if not inside:
                continue
            rows.append(
                CoverageRow(
                    child,
                    sum((by_district[d.pk] for d in inside), NONE),
                    months[child.pk] if child.kind == UnitKind.DISTRICT else None,
                )
            )
    return Overview(unit, total, months.get(unit.pk), rows)


def household_rows(
    *, actor: User, district: Unit, now: datetime | None = None, uncovered_only: bool = False, q: str = ""
) -> tuple[QuerySet[Household], datetime]:
    """The district's active households, not yet visited first and, among those, the longest
    unvisited first; each with `last_visit` and `covered`. Returns them and the window's start.

    The rows are narrow (no address, no head): order and page them first, then read the page's
    details with `household_page`; joining the details of every household before sorting is what
    makes a list of tens of thousands slow."""
    now = now or timezone.now()
    start = months_before(now, current_months([district.pk])[district.pk])
    qs = (
        households_in_scope(actor)
        .filter(district=district)
        .annotate(
            last_visit=F("visit_cover__visited_at"),
            covered=Case(
                When(visit_cover__visited_at__gte=start, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )
    if uncovered_only:
        qs = qs.filter(Q(visit_cover__visited_at__lt=start) | Q(visit_cover__isnull=True))
    if q:
        qs = qs.filter(Q(house__address__full_name__contains=q) | Q(number=q))
    return qs.order_by("covered", F("last_visit").asc(nulls_first=True), "id"), start


@dataclass(frozen=True)
class HouseholdRow:
    household: Household
    last_visit: datetime | None
    covered: bool


def household_page(rows: Iterable[Household]) -> list[HouseholdRow]:
    """A page of `household_rows` with each household's address and head, in the page's order."""
    keys = [(h.pk, h.last_visit, h.covered) for h in rows]  # type: ignore[attr-defined]
    found = Household.objects.select_related("house__address", "head").in_bulk([k[0] for k in keys])
    return [HouseholdRow(found[pk], last, covered) for pk, last, covered in keys if pk in found]


@dataclass(frozen=True)
class PlanRow:
    household: Household
    last_visit: datetime | None
    due_on: date
    covered: bool

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()


def today_plan(*, actor: User, district: Unit, now: datetime | None = None, limit: int = 50) -> list[PlanRow]:
    """The households to visit next, nearest deadline first: those not visited within the
    window (their cover ran out, or they were never visited since they entered the ledger) and
    those whose cover runs out within SOON_DAYS. A household's deadline is its last visit, or its
    entry into the ledger, plus the plan's months."""
    now = now or timezone.now()
    months = current_months([district.pk])[district.pk]
    # Visits before this day run out by today + SOON_DAYS.
    soon = months_before(now + timedelta(days=SOON_DAYS + 1), months)
    start = months_before(now, months)
    last = F("visit_cover__visited_at")
    # One plan per district, so ordering by the last visit (or the entry) orders by deadline.
    qs = (
        households_in_scope(actor)
        .filter(district=district)
        .filter(Q(visit_cover__isnull=True) | Q(visit_cover__visited_at__lt=soon))
        .annotate(last_visit=last, since=Coalesce(last, F("created_at")))
        .order_by("since", "id")
        .values_list("pk", "last_visit", "since")
    )
    keys = list(qs[:limit])
    found = Household.objects.select_related("house__address", "head").in_bulk([k[0] for k in keys])
    return [
        PlanRow(
            found[pk], last_visit, add_months(since, months), last_visit is not None and last_visit >= start
        )
        for pk, last_visit, since in keys
        if pk in found
    ]


# ---------------------------------------------------------------------------------------------
# The map


def position_fields() -> tuple[Coalesce, Coalesce]:
    """A household's latitude and longitude: its door's, or, as a room rarely has its own
    position, the nearest address above it that has one."""
    address = "house__address"
    lat = [f"{address}{'__parent' * n}__latitude" for n in range(4)]
    lng = [f"{address}{'__parent' * n}__longitude" for n in range(4)]
    return Coalesce(*lat), Coalesce(*lng)


# At most this many households not yet visited are listed with each place on the map.
PLACE_LIST = 8


def map_data(*, actor: User, unit: Unit, now: datetime | None = None) -> dict[str, Any]:
    """The coverage map of a unit as plain data for JSON: district outlines (GeoJSON) with their
    figures and, for one district, its households grouped by position ("places": the households
    of a building share their door's position). A place is `[lat, lng, households, covered,
    [[id, label], ...]]`, the list holding up to PLACE_LIST households not yet visited, longest
    unvisited first, by id and address, which the reader may see in the ledger anyway; never a
    name, an ID number or a phone.

    The grouping is done by the database: a district of 30,000 households is a thousand or two
    places, not 30,000 points built in Python and drawn one by one (bench/coverage_map_bench.py)."""
    require(actor, Cap.LEDGER_VIEW)
    now = now or timezone.now()
    districts = list(districts_under(unit).values_list("pk", flat=True))
    places: list[list[Any]] = []
    if unit.kind == UnitKind.DISTRICT:
        # The pass that groups the district's households by place counts them too: counting
        # them again for the district's figure was a second pass over the same rows.
        places, counted = _places(actor, unit, now)
        by_district = {unit.pk: counted} if unit.pk in districts else {}
    else:
        by_district = coverage_by_district(districts, now=now)
    total = sum(by_district.values(), NONE)
    outlines = DistrictOutline.objects.filter(district__in=districts).values_list(
        "district_id", "district__name", "geometry"
    )
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "id": district_id,
                "name": name,
                "total": by_district[district_id].total,
                "covered": by_district[district_id].covered,
                "percent": by_district[district_id].percent,
            },
        }
        for district_id, name, geometry in outlines
    ]
    return {
        "unit": {"id": unit.pk, "name": unit.name, "kind": unit.kind},
        "coverage": {"total": total.total, "covered": total.covered, "percent": total.percent},
        "outlines": {"type": "FeatureCollection", "features": features},
        "places": places,
    }


class _First(Func):
    """The first PLACE_LIST elements of an array (PostgreSQL)."""

    template = f"(%(expressions)s)[1:{PLACE_LIST}]"


def _places(actor: User, district: Unit, now: datetime) -> tuple[list[list[Any]], Coverage]:
    """The district's located households grouped by position, with those not yet visited, and
    the district's coverage (all its households, located or not), counted in the same pass."""
    start = months_before(now, current_months([district.pk])[district.pk])
    lat, lng = position_fields()
    households = households_in_scope(actor).filter(district=district).annotate(lat=lat, lng=lng)
    located = Q(lat__isnull=False, lng__isnull=False)
    visited = Q(visit_cover__visited_at__gte=start)
    # Households without a position fall into groups of their own, counted and not shown.
    counts = (
        households.values("lat", "lng")
        .annotate(total=Count("pk"), covered=Count("pk", filter=visited))
        .order_by("lat", "lng")
    )
    places: list[list[Any]] = []
    total = covered = 0
    if connection.vendor == "postgresql":
        # One pass over the district: each place's first households not yet visited are
        # aggregated with its counts (two arrays in the same order, cut to PLACE_LIST).
        first: dict[str, Any] = {
            "filter": ~visited & located,
            "order_by": (F("visit_cover__visited_at").asc(nulls_first=True), F("pk").asc()),
        }
        label = Concat("house__address__full_name", Value(" "), "number", output_field=CharField())
        rows = counts.annotate(
            waiting_ids=_First(ArrayAgg("pk", **first)), waiting_labels=_First(ArrayAgg(label, **first))
        ).values_list("lat", "lng", "total", "covered", "waiting_ids", "waiting_labels")
        for lat_, lng_, n, done, ids, labels in rows:
            total += n
            covered += done
            if lat_ is not None and lng_ is not None:
                waiting = [[pk, text.strip()] for pk, text in zip(ids or (), labels or (), strict=True)]
                places.append([float(lat_), float(lng_), n, done, waiting])
        return places, Coverage(total, covered)
    # SQLite: the counts, then the first households not yet visited of every place, ranked.
    listed: dict[tuple[Any, Any], list[list[Any]]] = defaultdict(list)
    ranked = (
        households.filter(located)
        .filter(Q(visit_cover__visited_at__lt=start) | Q(visit_cover__isnull=True))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("lat"), F("lng")],
                order_by=[F("visit_cover__visited_at").asc(nulls_first=True), F("pk").asc()],
            )
        )
        .filter(rank__lte=PLACE_LIST)
        .order_by("rank")
        .values_list("lat", "lng", "pk", "house__address__full_name", "number")
    )
    for lat_, lng_, pk, full_name, number in ranked:
        listed[lat_, lng_].append([pk, f"{full_name} {number}".strip()])
    for row in counts:
        total += row["total"]
        covered += row["covered"]
        if row["lat"] is not None and row["lng"] is not None:
            places.append(
                [
                    float(row["lat"]),
                    float(row["lng"]),
                    row["total"],
                    row["covered"],
                    listed[row["lat"], row["lng"]],
                ]
            )
    return places, Coverage(total, covered)


def mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if name else ""


def household_label(household: Household) -> str:
    """The address, the household number and the masked head: enough to find the door, no more."""
    address = household.house.address.full_name
    head = mask_name(household.head.name) if household.head_id and household.head else ""
    return " · ".join(part for part in (address, household.number, head) if part)
