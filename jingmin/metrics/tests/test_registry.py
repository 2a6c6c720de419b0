"""The registry contract: discovery of domains' modules, stable keys, the figure's value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jingmin.metrics import registry
from jingmin.metrics.registry import Measure, MeasureUnit, Period


def test_follow_ups_are_discovered_as_a_rating_source_without_metrics_importing_appeals():
    source = registry.get_rating_source("follow_up")
    assert source is not None
    assert source.rows.__module__ == "jingmin.appeals.indicators"
    assert {e.key for e in registry.exclusions()} >= {"unreasonable", "merged", "rejected"}


def test_autodiscover_skips_apps_without_an_indicators_module():
    assert list(registry.autodiscover(["jingmin.audit", "jingmin.appeals"])) == ["jingmin.appeals.indicators"]


def test_a_key_taken_by_another_function_is_refused():
    @registry.indicator(key="test_only_key", label="x", unit=MeasureUnit.COUNT, formula="x")
    def first(ctx):
        return Measure(Decimal(1))

    with pytest.raises(registry.RegistryError):

        @registry.indicator(key="test_only_key", label="x", unit=MeasureUnit.COUNT, formula="x")
        def second(ctx):
            return Measure(Decimal(2))

    registry._INDICATORS.pop("test_only_key")


def test_values_round_half_up_and_an_empty_denominator_has_no_value():
    assert registry.measure_value(MeasureUnit.PERCENT, Measure(Decimal(2), 3)) == Decimal("66.7")
    assert registry.measure_value(MeasureUnit.AVERAGE, Measure(Decimal(5), 4)) == Decimal("1.25")
    assert registry.measure_value(MeasureUnit.PERCENT, Measure(Decimal(0), 0)) is None
    assert registry.measure_value(MeasureUnit.COUNT, Measure(Decimal(7))) == Decimal("7")


def test_a_period_knows_its_bounds_in_beijing_time_and_the_one_before():
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    first, last = march.bounds
    assert first.isoformat() == "2026-03-01T00:00:00+08:00"
    assert last.date() == dt.date(2026, 3, 31)
    assert march.previous() == Period(dt.date(2026, 1, 29), dt.date(2026, 2, 28))
