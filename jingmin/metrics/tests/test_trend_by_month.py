"""The trend's twelve months come from one computation grouped by month, and each month reads
exactly as that month's own figures do (station A's February and March, and the empty months
before them), with a settings change in the middle of the run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingmin.metrics import rollup, services
from jingmin.metrics.compute import figures, figures_by_month
from jingmin.metrics.periods import months_back
from jingmin.org.scope import Scope

KEYS = ("response", "resolution", "satisfaction", "composite", "on_time_sign", "coverage")


def _values(scope, months):
    by_month = figures_by_month(scope=scope, months=months, keys=KEYS)
    one_by_one = [figures(scope=scope, period=m, keys=KEYS) for m in months]
    return by_month, one_by_one


def _same(by_month, one_by_one):
    for grouped, alone in zip(by_month, one_by_one, strict=True):
        assert [(f.key, f.value, f.measure.numerator, f.measure.denominator, f.small) for f in grouped] == [
            (f.key, f.value, f.measure.numerator, f.measure.denominator, f.small) for f in alone
        ]


def test_each_month_of_the_trend_is_the_months_own_figure(station):
    months = months_back(dt.date(2026, 4, 30), 12)
    for unit in (station.p.station_a, station.p.bureau, station.p.district_a1):
        by_month, one_by_one = _values(Scope.under(unit), months)
        _same(by_month, one_by_one)
    march = {
        f.key: f
        for f in figures_by_month(scope=Scope.under(station.p.station_a), months=months, keys=KEYS)[-2]
    }
    assert march["response"].value == Decimal("66.7")


def test_a_settings_change_splits_the_run_and_each_month_keeps_its_settings(station):
    services.settings_change(
        actor=station.p.li,
        effective_from=dt.date(2026, 3, 1),
        k=Decimal("1.0"),
        weights={"response": 50, "resolution": 25, "satisfaction": 25},
        excludes=["rejected", "merged"],
        repeat_window_days=30,
        note="k raised from March",
    )
    months = months_back(dt.date(2026, 3, 31), 3)
    by_month, one_by_one = _values(Scope.under(station.p.station_a), months)
    _same(by_month, one_by_one)
    assert {f.settings.version for f in by_month[-1]} != {f.settings.version for f in by_month[0]}


def test_the_trend_counts_its_months_in_one_query_a_domain(station):
    months = months_back(dt.date(2026, 4, 30), 12)
    with CaptureQueriesContext(connection) as ctx:
        figures_by_month(
            scope=Scope.under(station.p.station_a),
            months=months,
            keys=("response", "resolution", "satisfaction", "composite"),
        )
    aggregates = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    tally_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "metrics_tally"' in q["sql"]]
    if rollup.ready():
        # Through the roll-ups: the appeals' month rows once (follow-ups with them).
        assert aggregates == [] and len(tally_reads) == 1, tally_reads
        return
    # The appeals once, the follow-ups' resolution once, their satisfaction once.
    assert len(aggregates) == 3, aggregates
