"""Every indicator of the hand-made station (tests/conftest.py) against figures worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jingmin.metrics.compute import figure, figures
from jingmin.metrics.models import IndicatorSettings
from jingmin.metrics.tests.conftest import FEBRUARY, MARCH
from jingmin.org.scope import Scope


def by_key(scope, period=MARCH, **kw):
    return {f.key: f for f in figures(scope=scope, period=period, **kw)}


def test_station_a_in_march(station):
    f = by_key(Scope.under(station.p.station_a))
    # Response: judged a1 a2 a3 a4 a7 a9 (a6 merged, left out; a8's clocks still run) → a1 a4 a7 a9.
    assert (f["response"].measure.numerator, f["response"].measure.denominator) == (4, 6)
    assert f["response"].value == Decimal("66.7")
    # Sign-for on time: a1 a3 a4 a7 a9 of the same six.
    assert (f["on_time_sign"].measure.numerator, f["on_time_sign"].measure.denominator) == (5, 6)
    # First contact: clocks of a1 a2 a3 a7 a9 (a4 has none) → a1 a2 a7 a9.
    assert (f["first_contact"].measure.numerator, f["first_contact"].measure.denominator) == (4, 5)
    assert f["first_contact"].value == Decimal("80.0")
    # Conclusion: a1 a2 a3 a4 (open past its deadline) a7 a9 → a1 a3 a7 a9.
    assert (f["on_time_conclusion"].measure.numerator, f["on_time_conclusion"].measure.denominator) == (4, 6)
    # Hand-offs: 0+2+1+0+0+0+1 over the seven appeals counted (a5 rejected and a6 merged left out).
    assert (f["handoffs"].measure.numerator, f["handoffs"].measure.denominator) == (4, 7)
    assert f["handoffs"].value == Decimal("0.57")
    # Repeats: a3 (a10's phone and category 18 days before) and a7 (a2's address 5 days before).
    assert (f["repeat"].measure.numerator, f["repeat"].measure.denominator) == (2, 7)
    assert f["repeat"].value == Decimal("28.6")
    assert f["appeals"].value == 7
    # Resolution: follow-ups of a1 a2 a3 a7 a10 (a9 unreasonable, left out) → a1 a3 a7 a10 resolved.
    assert (f["resolution"].measure.numerator, f["resolution"].measure.denominator) == (4, 5)
    # Satisfaction, k = 0.5: a1 a7 satisfied, a3 a10 fairly satisfied, a2 dissatisfied → (2 + 1) / 5.
    assert (f["satisfaction"].measure.numerator, f["satisfaction"].measure.denominator) == (3, 5)
    assert f["satisfaction"].value == Decimal("60.0")
    assert f["satisfaction_follow_up"].value == Decimal("60.0")
    # Composite 30/35/35: (30 × 66.7 + 35 × 80.0 + 35 × 60.0) / 100 = 69.01.
    assert f["composite"].value == Decimal("69.0")
    # Visits: two to h1, one to h2, one to h5; the withdrawn, the persuasion, February's and B1's left out.
    assert f["visits"].value == 4
    # Coverage: h1 h2 h5 of the five active households.
    assert (f["coverage"].measure.numerator, f["coverage"].measure.denominator) == (3, 5)
    assert all(f[k].settings.version == 0 for k in f)


def test_per_thousand_residents_and_the_small_number_warning(station):
    f = by_key(Scope.under(station.p.station_a))
    assert f["appeals"].residents == 40
    assert f["appeals"].per_1000 == Decimal("175.0")  # 7 × 1000 / 40
    assert f["visits"].per_1000 == Decimal("100.0")  # 4 × 1000 / 40
    assert f["response"].per_1000 is None
    assert f["response"].small and f["composite"].small
    assert not f["visits"].small


def test_twenty_cases_are_not_small(station):
    from jingmin.metrics.compute import is_small
    from jingmin.metrics.registry import Measure, get_indicator

    rate = get_indicator("response")
    assert rate is not None
    assert is_small(rate, Measure(Decimal(3), 19))
    assert not is_small(rate, Measure(Decimal(3), 20))


def test_an_officer_counts_only_the_records_naming_them(station):
    f = by_key(Scope.under(station.p.district_a1), officer_id=station.p.oliver.pk)
    # Oliver's judged appeals a1 a2 a3 a4 a7 → a1 a4 a7.
    assert (f["response"].measure.numerator, f["response"].measure.denominator) == (3, 5)
    assert f["visits"].value == 3
    # Coverage of A1's four households by his own visits: h1 h2.
    assert (f["coverage"].measure.numerator, f["coverage"].measure.denominator) == (2, 4)
    assert f["response"].residents is None


def test_excluded_records_are_listed_with_their_reason(station):
    fig = figure(scope=Scope.under(station.p.station_a), period=MARCH, key="handoffs", detail=True)
    reasons = {r.label: r.reason for r in fig.measure.excluded}
    a5, a6 = station.appeals["a5"].tracking_code, station.appeals["a6"].tracking_code
    assert set(reasons) == {a5, a6}
    assert "Rejected" in reasons[a5] or "不予受理" in reasons[a5]
    sat = figure(scope=Scope.under(station.p.station_a), period=MARCH, key="satisfaction", detail=True)
    assert [r.record_id for r in sat.measure.excluded] == [station.appeals["a9"].pk]
    assert len(sat.measure.denominator_records) == 5
    assert len(sat.measure.numerator_records) == 4  # the dissatisfied answer is not in the numerator
    response = figure(scope=Scope.under(station.p.station_a), period=MARCH, key="response", detail=True)
    assert {r.record_id for r in response.measure.numerator_records} == {
        station.appeals[k].pk for k in ("a1", "a4", "a7", "a9")
    }
    assert [r.record_id for r in response.measure.excluded] == [station.appeals["a6"].pk]


def test_a_settings_change_applies_from_its_date_and_a_past_period_keeps_its_version(station):
    scope = Scope.under(station.p.station_a)
    IndicatorSettings.objects.create(version=1, effective_from=dt.date(2026, 1, 1), k=Decimal("0.5"))
    # Dated back to 1 March: k = 1 and unreasonable complaints no longer left out.
    IndicatorSettings.objects.create(
        version=2,
        effective_from=dt.date(2026, 3, 1),
        k=Decimal("1"),
        excludes=["merged", "rejected"],
        weights={"response": 50, "satisfaction": 50},
    )
    march = by_key(scope)
    # Satisfaction: a1 a7 + 1 × (a3 a10) over six answers, a9's now counted → 4 / 6.
    assert (march["satisfaction"].measure.numerator, march["satisfaction"].measure.denominator) == (4, 6)
    assert march["satisfaction"].value == Decimal("66.7")
    assert march["resolution"].measure.denominator == 6
    # Composite 50/50: (66.7 + 66.7) / 2.
    assert march["composite"].value == Decimal("66.7")
    assert march["satisfaction"].settings.version == 2
    # February (a10's follow-up, answered 3 March, is March's): version 1, no follow-ups.
    february = by_key(scope, period=FEBRUARY)
    assert february["satisfaction"].settings.version == 1
    assert february["satisfaction"].value is None
