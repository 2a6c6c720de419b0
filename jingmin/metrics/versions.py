"""Which settings version is in force for a period: the newest taking effect on or before the
period's last day (a version made later but dated back applies to the past it names)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jingmin.metrics.models import IndicatorSettings
from jingmin.metrics.registry import Settings

# Before any version is saved the product runs on the defaults of `registry.Settings`: version 0.
DEFAULTS = Settings()


def as_settings(row: IndicatorSettings) -> Settings:
    return Settings(
        version=row.version,
        effective_from=row.effective_from,
        k=Decimal(row.k),
        weights={str(k): int(v) for k, v in row.weights.items()},
        excludes=frozenset(row.excludes),
        satisfaction_sources=tuple(row.satisfaction_sources),
        repeat_window_days=row.repeat_window_days,
        params=dict(row.params),
    )


def settings_for(day: dt.date) -> Settings:
    row = (
        IndicatorSettings.objects.filter(effective_from__lte=day)
        .order_by("-effective_from", "-version")
        .first()
    )
    return as_settings(row) if row is not None else DEFAULTS
