"""Reads of the indicator pages, scoped to the acting person.

A unit asked for must lie in the reader's scope (404 otherwise); an officer's figures are read by
the officer and by those who supervise their unit. Figures themselves come from `compute`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from jingmin.metrics.compute import Figure, Memo, context, figures_by_unit
from jingmin.metrics.models import IndicatorSettings
from jingmin.metrics.registry import Breakdown, Period, breakdowns, indicators
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, Role, can
from jingmin.org.scope import Scope
from jingmin.org.selectors import require

# The units a dashboard compares: the kinds that hold appeals and people (not departments).
MEASURED_KINDS = (UnitKind.BUREAU, UnitKind.BRANCH, UnitKind.STATION, UnitKind.DISTRICT)


def metrics_unit(*, actor: User, unit_id: int | None) -> Unit:
    """The unit whose figures are asked for: the reader's own by default, else one in their scope."""
    require(actor, Cap.METRICS_VIEW)
    if unit_id is None:
        return actor.unit
    unit = Scope.of(actor).units().filter(pk=unit_id, kind__in=MEASURED_KINDS).first()
    if unit is None:
        raise Http404
    return unit


def compared_units(*, actor: User, unit: Unit) -> list[Unit]:
    """The units a dashboard compares: a station's police districts; the stations of a bureau or a
    branch (a leader compares stations, whatever branch they hang under). None below a district."""
    require(actor, Cap.METRICS_VIEW)
    if unit.kind == UnitKind.DISTRICT:
        return []
    kind = UnitKind.DISTRICT if unit.kind == UnitKind.STATION else UnitKind.STATION
    units = Scope.under(unit).units().filter(kind=kind, is_active=True).order_by("path")
    return list(Scope.of(actor).filter(units, "path"))


def districts_under(*, actor: User, unit: Unit) -> QuerySet[Unit]:
    require(actor, Cap.METRICS_VIEW)
    return Scope.under(unit).units().filter(kind=UnitKind.DISTRICT, is_active=True).order_by("path")


def officers_under(*, actor: User, unit: Unit) -> QuerySet[User]:
    require(actor, Cap.METRICS_VIEW)
    if not can(actor, Cap.APPEAL_SUPERVISE):
        return User.objects.filter(pk=actor.pk, role=Role.OFFICER)
    return (
        Scope.under(unit)
        .filter(User.objects.filter(role=Role.OFFICER, is_active=True), "unit__path")
        .select_related("unit")
        .order_by("full_name")
    )


def officer_get(*, actor: User, pk: int) -> User:
    """An officer whose score the reader may open: themselves, or one under their supervision."""
    require(actor, Cap.METRICS_VIEW)
    officer = User.objects.filter(pk=pk, role=Role.OFFICER).select_related("unit").first()
    if officer is None or not Scope.of(actor).contains(officer.unit):
        raise Http404
    if officer.pk != actor.pk and not can(actor, Cap.APPEAL_SUPERVISE):
        raise Http404
    return officer


def settings_history(*, actor: User) -> QuerySet[IndicatorSettings]:
    require(actor, Cap.METRICS_VIEW)
    return IndicatorSettings.objects.select_related("created_by").order_by("-effective_from", "-version")


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    figures: dict[str, Figure]


def unit_rows(
    *,
    actor: User,
    top: Unit,
    units: Iterable[Unit],
    period: Period,
    keys: Iterable[str],
    memo: Memo | None = None,
) -> list[UnitRow]:
    """The figures of each unit (all under `top`, in the reader's scope), computed together; with
    `memo`, from what the request already computed for `top`."""
    require(actor, Cap.METRICS_VIEW)
    listed = list(units)
    if not listed:
        return []
    by_unit = figures_by_unit(top=top, units=listed, period=period, keys=list(keys), memo=memo)
    return [UnitRow(u, {f.key: f for f in by_unit[u.pk]}) for u in listed]


def unit_and_compared(
    *, actor: User, unit: Unit, period: Period, keys: Iterable[str] | None = None, memo: Memo | None = None
) -> tuple[list[Figure], list[UnitRow]]:
    """A unit's own figures and those of the units it compares, from one computation per
    indicator over the unit's subtree (grouped by unit path and added up per unit)."""
    chosen = list(keys) if keys is not None else [i.key for i in indicators()]
    children = compared_units(actor=actor, unit=unit)
    table = unit_rows(actor=actor, top=unit, units=[unit, *children], period=period, keys=chosen, memo=memo)
    return list(table[0].figures.values()), table[1:]


@dataclass(frozen=True)
class HotRow:
    name: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if not self.previous:
            return None
        return (Decimal(self.change) * 100 / self.previous).quantize(Decimal("1"))


def hot_issues(
    *, actor: User, unit: Unit, period: Period, limit: int = 10, memo: Memo | None = None
) -> list[tuple[Breakdown, list[HotRow]]]:
    """The most frequent values of each registered breakdown (categories, places) in the period,
    against the period before."""
    require(actor, Cap.METRICS_VIEW)
    out = []
    for b in breakdowns():
        now = b.counts(context(scope=Scope.under(unit), period=period, memo=memo))
        before = b.counts(context(scope=Scope.under(unit), period=period.previous(), memo=memo))
        rows = [HotRow(k, n, before.get(k, 0)) for k, n in now.items()]
        rows.sort(key=lambda r: (-r.count, r.name))
        out.append((b, rows[:limit]))
    return out


# The figures of the home page: the headline rates of the GUIDE and their composite.
HOME_KEYS = ("composite", "response", "resolution", "satisfaction")


@dataclass(frozen=True)
class HomeFigures:
    unit: Unit
    period: Period
    own: list[Figure]
    rows: list[UnitRow]


def shows_home_figures(actor: User) -> bool:
    """Whether the person's home page has the month's figures (those who lead or supervise)."""
    return can(actor, Cap.METRICS_VIEW) and can(actor, Cap.APPEAL_SUPERVISE)


def home_figures(*, actor: User) -> HomeFigures | None:
    """This month's figures of the person's unit and of the units it compares, for those who lead
    or supervise (a chief's districts, a leader's stations); None for everyone else.

    Computed live they were most of what a chief's or a leader's first page after sign-in waited
    for (docs/benchmarks.md), and a month's rates barely move in minutes: they are kept in the
    shared cache for `METRICS_HOME_CACHE_SECONDS`, per unit (whoever of the unit reads them, the
    units compared are its own subtree's, so a chief's first page uses what the station's other
    leaders just read) and per database (test databases side by side share one cache)."""
    from jingmin.metrics.periods import Grain, period_of, today

    if not shows_home_figures(actor):
        return None
    period = period_of(Grain.MONTH, today())
    unit = actor.unit
    key = f"metrics:home:{connection.settings_dict['NAME']}:{unit.pk}:{period.start.isoformat()}"
    cached = cache.get(key)
    if isinstance(cached, HomeFigures):
        return cached
    own, rows = unit_and_compared(actor=actor, unit=unit, period=period, keys=HOME_KEYS)
    found = HomeFigures(unit, period, own, rows)
    if settings.METRICS_HOME_CACHE_SECONDS > 0:
        cache.set(key, found, settings.METRICS_HOME_CACHE_SECONDS)
    return found
