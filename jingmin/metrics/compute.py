"""The one place figures are computed: every page, export, card and API answer calls `figures`.

A figure is a registered indicator's measure for a scope (a unit, or one officer in it) and a
period, with the settings version in force then, its value, the small-number warning and, for
counts, the rate per 1,000 residents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jingmin.metrics import registry
from jingmin.metrics.registry import SMALL_NUMBER, Context, Indicator, Measure, MeasureUnit, Period, Settings
from jingmin.metrics.versions import settings_for
from jingmin.org.scope import Scope


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


def context(*, scope: Scope, period: Period, officer_id: int | None = None, detail: bool = False) -> Context:
    return Context(
        scope=scope, period=period, settings=settings_for(period.end), officer_id=officer_id, detail=detail
    )


def figures(
    *,
    scope: Scope,
    period: Period,
    officer_id: int | None = None,
    keys: Iterable[str] | None = None,
    detail: bool = False,
) -> list[Figure]:
    ctx = context(scope=scope, period=period, officer_id=officer_id, detail=detail)
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
