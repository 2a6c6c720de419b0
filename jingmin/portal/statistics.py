"""The public statistics page: counts and the three rates of the GUIDE, for a period.

Every figure is an aggregate over appeals received in the period; nothing about one appeal or
one person is read out. The queries follow the appeal table's indexes (by category and time, by
unit path and time, by state and time), and the result is cached for a few minutes, so that the
page stays cheap at millions of appeals however often it is opened.

The three rates are the indicators' (`jingmin.metrics`): the same figures, computed by the same
code with the settings version in force, as the leaders' dashboards, the exports and the API show
for the bureau over the same days (docs/indicators.md):

- response rate = appeals signed for and the citizen contacted within their clocks / appeals
  dispatched whose clocks have been met or have run out (those still within their clocks wait);
- resolution rate = valid follow-up answers "resolved" / valid follow-up answers, counted on the
  day the citizen answered;
- satisfaction rate = (very satisfied + satisfied + k × fairly satisfied) / valid follow-up
  answers, k from the indicator settings.

A follow-up answer is valid unless a reasonableness review found the demand unreasonable, or the
review is still pending (a dissatisfied answer counts against a unit only once it is judged
reasonable). Merged appeals are duplicates: they are not counted, and how many there were is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingmin.appeals.models import Appeal, Category, FollowUp, ReviewOutcome, State
from jingmin.metrics.compute import figures as metric_figures
from jingmin.metrics.registry import Period
from jingmin.metrics.versions import settings_for
from jingmin.org.models import Unit
from jingmin.org.scope import Scope
from jingmin.portal.selectors import public_stations

RATE_KEYS = ("response", "resolution", "satisfaction")

PERIODS: dict[str, tuple[int, str | Promise]] = {
    "30d": (30, _("Last 30 days")),
    "90d": (90, _("Last 3 months")),
    "12m": (365, _("Last 12 months")),
}
DEFAULT_PERIOD = "12m"
CACHE_VERSION = 2


@dataclass(frozen=True)
class Rate:
    numerator: float
    denominator: int

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def few(self) -> bool:
        """Stands on too few cases to be read as a rate (the GUIDE's fairness rule)."""
        return self.denominator < settings.PORTAL_STATS_MIN_CASES


@dataclass(frozen=True)
class Row:
    name: str
    name_en: str
    count: int


@dataclass(frozen=True)
class PublicStatistics:
    period: str
    start: datetime
    end: datetime
    computed_at: datetime
    total: int
    merged: int
    by_category: list[Row]
    by_station: list[Row]
    elsewhere: int
    response: Rate
    resolution: Rate
    satisfaction: Rate
    follow_ups_pending_review: int
    follow_ups_unreasonable: int
    fair_weight: float
    min_cases: int


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    days, _label = PERIODS[period]
    local = timezone.localtime(now)
    start = (local - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, now


def _counts(rows: Iterable[tuple[Any, int]]) -> dict[int, int]:
    return {int(key): n for key, n in rows}


def _by_category(start: datetime, end: datetime) -> tuple[list[Row], int, int]:
    received = Appeal.objects.filter(received_at__gte=start, received_at__lt=end)
    # One grouped count each on the (category, received_at) and (state, received_at) indexes; the
    # merged duplicates are few, and subtracting them keeps the big count on its index alone.
    per_leaf = _counts(received.values_list("category").annotate(n=Count("*")).order_by())
    merged_per_leaf = _counts(
        received.filter(state=State.MERGED).values_list("category").annotate(n=Count("*")).order_by()
    )
    categories = list(Category.objects.all())
    parent_of = {c.pk: c.parent_id or c.pk for c in categories}
    totals: dict[int, int] = {}
    for leaf, n in per_leaf.items():
        heading = parent_of.get(leaf, leaf)
        totals[heading] = totals.get(heading, 0) + n - merged_per_leaf.get(leaf, 0)
    headings = [c for c in categories if c.parent_id is None and (c.is_active or totals.get(c.pk))]
    rows = [Row(c.name, c.name_en, totals.get(c.pk, 0)) for c in headings]
    rows.sort(key=lambda r: -r.count)
    merged = sum(merged_per_leaf.values())
    return rows, sum(per_leaf.values()) - merged, merged


def _by_station(start: datetime, end: datetime, total: int) -> tuple[list[Row], int]:
    received = Appeal.objects.filter(received_at__gte=start, received_at__lt=end)
    merged_paths = list(received.filter(state=State.MERGED).values_list("unit_path", flat=True))
    rows = []
    for station in public_stations():
        # A prefix range of the (unit_path, received_at) index: the station and its districts.
        n = received.filter(unit_path__startswith=station.path).count()
        n -= sum(1 for p in merged_paths if p.startswith(station.path))
        rows.append(Row(station.name, "", n))
    rows.sort(key=lambda r: -r.count)
    return rows, total - sum(r.count for r in rows)


def _rates(start: datetime, end: datetime) -> dict[str, Rate]:
    """The bureau's response, resolution and satisfaction rates over the period's days."""
    root = Unit.objects.filter(parent__isnull=True).first()
    period = Period(timezone.localtime(start).date(), timezone.localtime(end).date())
    found = metric_figures(scope=Scope.under(root), period=period, keys=RATE_KEYS)
    return {f.key: Rate(float(f.measure.numerator), f.measure.denominator or 0) for f in found}


def _reviews(start: datetime, end: datetime) -> tuple[int, int]:
    """Answers of the period left out of the rates: awaiting review, and found unreasonable."""
    answered = FollowUp.objects.filter(answered_at__gte=start, answered_at__lte=end)
    counts = answered.aggregate(
        pending=Count("pk", filter=Q(review=ReviewOutcome.PENDING)),
        unreasonable=Count("pk", filter=Q(review=ReviewOutcome.UNREASONABLE)),
    )
    return counts["pending"], counts["unreasonable"]


def compute(period: str = DEFAULT_PERIOD, *, now: datetime | None = None) -> PublicStatistics:
    now = now or timezone.now()
    start, end = period_bounds(period, now)
    by_category, total, merged = _by_category(start, end)
    by_station, elsewhere = _by_station(start, end, total)
    rates = _rates(start, end)
    pending, unreasonable = _reviews(start, end)
    return PublicStatistics(
        period=period,
        start=start,
        end=end,
        computed_at=now,
        total=total,
        merged=merged,
        by_category=by_category,
        by_station=by_station,
        elsewhere=elsewhere,
        response=rates["response"],
        resolution=rates["resolution"],
        satisfaction=rates["satisfaction"],
        follow_ups_pending_review=pending,
        follow_ups_unreasonable=unreasonable,
        fair_weight=float(settings_for(timezone.localtime(end).date()).k),
        min_cases=settings.PORTAL_STATS_MIN_CASES,
    )


def public_statistics(period: str = DEFAULT_PERIOD) -> PublicStatistics:
    """The figures of a period, from the cache when they are a few minutes old at most."""
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    key = f"portal:stats:{CACHE_VERSION}:{period}"
    cached = cache.get(key)
    if isinstance(cached, PublicStatistics):
        return cached
    figures = compute(period)
    cache.set(key, figures, settings.PORTAL_STATS_CACHE_SECONDS)
    return figures
