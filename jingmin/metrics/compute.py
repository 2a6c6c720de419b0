"""The one place figures are computed: every page, export, card and API answer calls `figures`.

A figure is a registered indicator's measure for a scope (a unit, or one officer in it) and a
period, with the settings version in force then, its value, the small-number warning and, for
counts, the rate per 1,000 residents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

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


def context(
    *, scope: Scope, period: Period, officer_id: int | None = None, detail: bool = False, fresh: bool = False
) -> Context:
    return Context(
        scope=scope,
        period=period,
        settings=settings_for(period.end),
        officer_id=officer_id,
        detail=detail,
        fresh=fresh,
    )


def figures(
    *,
    scope: Scope,
    period: Period,
    officer_id: int | None = None,
    keys: Iterable[str] | None = None,
    detail: bool = False,
    fresh: bool = False,
) -> list[Figure]:
    ctx = context(scope=scope, period=period, officer_id=officer_id, detail=detail, fresh=fresh)
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
        out.append(
            Figure(
                indicator=ind,
                measure=m,
                value=registry.measure_value(ind.unit, m),
                settings=ctx.settings,
                small=is_small(ind, m),
                residents=residents,
            )
        )
    return out


def figure(
    *, scope: Scope, period: Period, key: str, officer_id: int | None = None, detail: bool = False
) -> Figure:
    found = figures(scope=scope, period=period, officer_id=officer_id, keys=[key], detail=detail)
    if not found:
        raise KeyError(key)
    return found[0]


def figures_by_unit(
    *,
    top: Unit,
    units: Sequence[Unit],
    period: Period,
    keys: Iterable[str] | None = None,
    fresh: bool = False,
) -> dict[int, list[Figure]]:
    """The figures of many units under `top` at once: each indicator is computed once over the
    whole scope grouped by the unit path of its records, and the groups are added up per unit
    (exact: every record lies in one unit). An indicator that does not group is computed unit by
    unit; a composite is made per unit from its added-up parts."""
    from jingmin.metrics.indicators import composite_of

    ctx = context(scope=Scope.under(top), period=period, fresh=fresh)
    ctx = replace(ctx, grouped=True)
    wanted = set(keys) if keys is not None else None
    chosen = [i for i in registry.indicators() if wanted is None or i.key in wanted]
    scopes = {u.pk: Scope.under(u) for u in units}
    per_unit: dict[int, dict[str, Measure]] = {u.pk: {} for u in units}

    def add_up(ind: Indicator) -> None:
        m: Measure = ctx.cached(f"measure:{ind.key}", lambda: ind.compute(ctx))
        if m.groups is None:
            for u in units:
                per_unit[u.pk][ind.key] = figures(
                    scope=scopes[u.pk], period=period, keys=[ind.key], fresh=fresh
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
    out: dict[int, list[Figure]] = {}
    for u in units:
        residents = registry.residents(scopes[u.pk]) if needs_residents else None
        row = []
        for ind in chosen:
            if ind.unit == MeasureUnit.SCORE:
                parts = {k: per_unit[u.pk][k] for k in ctx.settings.weights if k in per_unit[u.pk]}
                m = composite_of(ctx.settings, parts)
            else:
                m = per_unit[u.pk][ind.key]
            row.append(
                Figure(
                    indicator=ind,
                    measure=m,
                    value=registry.measure_value(ind.unit, m),
                    settings=ctx.settings,
                    small=is_small(ind, m),
                    residents=residents,
                )
            )
        out[u.pk] = row
    return out
