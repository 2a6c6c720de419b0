"""Figures of many units computed together (one grouped query per indicator, as dashboards do)
are exactly those computed unit by unit."""

from __future__ import annotations

from jingmin.metrics.compute import figures, figures_by_unit
from jingmin.metrics.tests.conftest import MARCH
from jingmin.org.scope import Scope


def test_grouped_figures_are_the_unit_by_unit_ones(station):
    p = station.p
    units = [p.station_a, p.station_b, p.district_a1, p.district_a2, p.branch_a]
    together = figures_by_unit(top=p.bureau, units=units, period=MARCH)
    for unit in units:
        alone = {f.key: f for f in figures(scope=Scope.under(unit), period=MARCH)}
        for f in together[unit.pk]:
            a = alone[f.key]
            assert (f.measure.numerator, f.measure.denominator, f.value, f.small, f.per_1000) == (
                a.measure.numerator,
                a.measure.denominator,
                a.value,
                a.small,
                a.per_1000,
            ), (unit.name, f.key)
    assert {f.key: f.value for f in together[p.station_a.pk]}["satisfaction"] == 60
