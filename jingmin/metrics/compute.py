"""The one place figures are computed: every page, export, card and API answer calls `figures`.

A figure is a registered indicator's measure for a scope (a unit, or one officer in it) and a
period, with the settings version in force then, its value, the small-number warning and, for
counts, the rate per 1,000 residents.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jingmin.metrics import registry
from jingmin.metrics.registry import SMALL_NUMBER, Context, Indicator, Measure, MeasureUnit, Period, Settings
from jingmin.metrics.versions import settings_for
from jingmin.org.models import Unit
from jingmin.org.scope import Scope, units_holding


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    measure: Measure
    value: Decimal | None
    settings: Settings
    small: bool
    residents: int | None = None

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def per_1000(self) -> Decimal | None:
        """A count per 1,000 residents of the scope (appeals, visits), to compare units of different size."""
        if not self.indicator.per_residents or not self.residents:
            return None
        return (self.measure.numerator * 1000 / self.residents).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def is_small(indicator: Indicator, m: Measure) -> bool:
    """Whether the figure stands on fewer than 20 cases (a composite: any of its parts does)."""
    if indicator.unit == MeasureUnit.COUNT:
        return False
    if indicator.unit == MeasureUnit.SCORE:
        return any(p.denominator is not None and p.denominator < SMALL_NUMBER for p in m.parts.values())
    return m.denominator is not None and m.denominator < SMALL_NUMBER


@dataclass
class Memo:
    """What one request has computed, shared by every part of its page: a dashboard's own figures,
    its table of units, the district grid and the cards ask for the same aggregates, and each is
    computed once. One `Context` per (scope, period, officer, detail, grouped), whose own memo
    keeps the measures; the settings in force per day; the residents by unit path per scope."""

    contexts: dict[tuple[Any, ...], Context] = field(default_factory=dict)
    settings: dict[dt.date, Settings] = field(default_factory=dict)
    residents: dict[Scope, dict[str, int] | None] = field(default_factory=dict)

    def settings_for(self, day: dt.date) -> Settings:
        if day not in self.settings:
            self.settings[day] = settings_for(day)
        return self.settings[day]


def context(
    *,
    scope: Scope,
    period: Period,
    officer_id: int | None = None,
    detail: bool = False,
    grouped: bool = False,
    memo: Memo | None = None,
    fresh: bool = False,
) -> Context:
    """The context of a computation; with `memo`, the same one for the same question in a request.
    With `fresh`, counted from the records even where the roll-ups hold the counts."""
    if memo is None:
        return Context(
            scope=scope,
            period=period,
            settings=settings_for(period.end),
            officer_id=officer_id,
            detail=detail,
            grouped=grouped,
            fresh=fresh,
        )
    key = (scope, period, officer_id, detail, grouped, fresh)
    if key not in memo.contexts:
        memo.contexts[key] = Context(
            scope=scope,
            period=period,
            settings=memo.settings_for(period.end),
            officer_id=officer_id,
            detail=detail,
            grouped=grouped,
            fresh=fresh,
        )
    return memo.contexts[key]


def residents_by_unit(*, top: Unit, units: Sequence[Unit], memo: Memo | None = None) -> dict[int, int | None]:
    """The residents of each of `units` (all under `top`): one grouped count, added up per unit."""
    scope = Scope.under(top)
    if memo is not None and scope in memo.residents:
        by_path = memo.residents[scope]
    else:
        by_path = registry.residents_by_path(scope)
        if memo is not None:
            memo.residents[scope] = by_path
    if by_path is None:
        return dict.fromkeys((u.pk for u in units), None)
    out: dict[int, int | None] = {u.pk: 0 for u in units}
    for group, holders in units_holding(by_path, units).items():
        living = by_path.get(group, 0)
        for pk in holders:
            out[pk] = (out[pk] or 0) + living
    return out


def figures(
    *,
    scope: Scope,
    period: Period,
    officer_id: int | None = None,
    keys: Iterable[str] | None = None,
    detail: bool = False,
    memo: Memo | None = None,
    fresh: bool = False,
) -> list[Figure]:
    ctx = context(scope=scope, period=period, officer_id=officer_id, detail=detail, memo=memo, fresh=fresh)
    wanted = set(keys) if keys is not None else None
    chosen = [
        i
        for i in registry.indicators()
        if (wanted is None or i.key in wanted) and (officer_id is None or i.for_officers)
    ]
    residents = (
        registry.residents(scope) if officer_id is None and any(i.per_residents for i in chosen) else None
    )
    out = []
    for ind in chosen:
        m: Measure = ctx.cached(f"measure:{ind.key}", lambda ind=ind: ind.compute(ctx))  # type: ignore[misc]
        out.append(make_figure(ind, m, ctx.settings, residents))
    return out


def make_figure(ind: Indicator, m: Measure, settings: Settings, residents: int | None = None) -> Figure:
    """The figure of a measure already computed (a unit's row, a composite's parts)."""
    return Figure(
        indicator=ind,
        measure=m,
        value=registry.measure_value(ind.unit, m),
        settings=settings,
        small=is_small(ind, m),
        residents=residents,
    )


def figure(
    *,
    scope: Scope,
    period: Period,
    key: str,
    officer_id: int | None = None,
    detail: bool = False,
    memo: Memo | None = None,
) -> Figure:
    found = figures(scope=scope, period=period, officer_id=officer_id, keys=[key], detail=detail, memo=memo)
    if not found:
        raise KeyError(key)
    return found[0]


def figures_by_unit(
    *,
    top: Unit,
    units: Sequence[Unit],
    period: Period,
    keys: Iterable[str] | None = None,
    memo: Memo | None = None,
    fresh: bool = False,
) -> dict[int, list[Figure]]:
    """The figures of many units under `top` at once: each indicator is computed once over the
    whole scope grouped by the unit path of its records, and the groups are added up per unit
    (exact: every record lies in one unit). An indicator that does not group is computed unit by
    unit; a composite is made per unit from its added-up parts."""
    from jingmin.metrics.indicators import composite_of

    ctx = context(scope=Scope.under(top), period=period, grouped=True, memo=memo, fresh=fresh)
    wanted = set(keys) if keys is not None else None
    chosen = [i for i in registry.indicators() if wanted is None or i.key in wanted]
    scopes = {u.pk: Scope.under(u) for u in units}
    per_unit: dict[int, dict[str, Measure]] = {u.pk: {} for u in units}

    def add_up(ind: Indicator) -> None:
        m: Measure = ctx.cached(f"measure:{ind.key}", lambda: ind.compute(ctx))
        if m.groups is None:
            for u in units:
                per_unit[u.pk][ind.key] = figures(
                    scope=scopes[u.pk], period=period, keys=[ind.key], memo=memo, fresh=fresh
                )[0].measure
            return
        numerators = dict.fromkeys(per_unit, Decimal(0))
        denominators = dict.fromkeys(per_unit, 0)
        for path, holders in units_holding(m.groups, units).items():
            g = m.groups[path]
            for pk in holders:
                numerators[pk] += g.numerator
                denominators[pk] += g.denominator or 0
        for pk in per_unit:
            denominator = None if ind.unit == MeasureUnit.COUNT else denominators[pk]
            per_unit[pk][ind.key] = Measure(numerator=numerators[pk], denominator=denominator)

    for ind in chosen:
        if ind.unit == MeasureUnit.SCORE:
            for key in ctx.settings.weights:
                part = registry.get_indicator(key)
                if (
                    part is not None
                    and part.unit != MeasureUnit.SCORE
                    and units
                    and key not in per_unit[units[0].pk]
                ):
                    add_up(part)
            continue
        add_up(ind)
    needs_residents = any(i.per_residents for i in chosen)
    residents_of = residents_by_unit(top=top, units=units, memo=memo) if needs_residents else {}
    out: dict[int, list[Figure]] = {}
    for u in units:
        residents = residents_of.get(u.pk)
        row = []
        for ind in chosen:
            if ind.unit == MeasureUnit.SCORE:
                parts = {k: per_unit[u.pk][k] for k in ctx.settings.weights if k in per_unit[u.pk]}
                m = composite_of(ctx.settings, parts)
            else:
                m = per_unit[u.pk][ind.key]
            row.append(make_figure(ind, m, ctx.settings, residents))
        out[u.pk] = row
    return out


def figures_by_month(*, scope: Scope, months: Sequence[Period], keys: Iterable[str]) -> list[list[Figure]]:
    """The figures of each of `months` (consecutive calendar months, oldest first), for the trend.

    Each run of months under the same settings is one computation over the run, grouped by month:
    one query per domain instead of one per month. An indicator that cannot split by month is
    computed month by month; a composite is made per month from its parts."""
    from jingmin.metrics.indicators import composite_of

    memo = Memo()
    wanted = set(keys)
    chosen = [i for i in registry.indicators() if i.key in wanted]
    runs: list[tuple[Settings, list[int]]] = []
    for n, month in enumerate(months):
        in_force = memo.settings_for(month.end)
        if runs and runs[-1][0] == in_force:
            runs[-1][1].append(n)
        else:
            runs.append((in_force, [n]))
    measures: list[dict[str, Measure]] = [{} for _ in months]
    settings_of: list[Settings] = [memo.settings_for(m.end) for m in months]
    for in_force, held in runs:
        span = tuple(months[n] for n in held)
        ctx = Context(
            scope=scope,
            period=Period(span[0].start, span[-1].end),
            settings=in_force,
            grouped=True,
            months=span,
        )
        needed = {i.key: i for i in chosen if i.unit != MeasureUnit.SCORE}
        for ind in chosen:
            if ind.unit == MeasureUnit.SCORE:
                needed.update(
                    {k: part for k in in_force.weights if (part := registry.get_indicator(k)) is not None}
                )
        for ind in needed.values():
            if ind.unit == MeasureUnit.SCORE:
                continue
            m: Measure = ctx.cached(f"measure:{ind.key}", functools.partial(ind.compute, ctx))
            for n in held:
                if m.groups is None:
                    measures[n][ind.key] = figure(
                        scope=scope, period=months[n], key=ind.key, memo=memo
                    ).measure
                    continue
                g = m.groups.get(registry.month_key(months[n]))
                numerator = g.numerator if g is not None else Decimal(0)
                denominator = (g.denominator or 0) if g is not None else 0
                measures[n][ind.key] = Measure(
                    numerator=numerator, denominator=None if ind.unit == MeasureUnit.COUNT else denominator
                )
    out = []
    for n in range(len(months)):
        row = []
        for ind in chosen:
            if ind.unit == MeasureUnit.SCORE:
                parts = {k: measures[n][k] for k in settings_of[n].weights if k in measures[n]}
                m = composite_of(settings_of[n], parts)
            else:
                m = measures[n][ind.key]
            row.append(make_figure(ind, m, settings_of[n]))
        out.append(row)
    return out
