"""The home page of those who lead shows this month's figures of their units, from the indicators
(the same numbers as the dashboard); the average score out of 5 is gone."""

from __future__ import annotations

from django.utils import timezone

from conftest import signed_in
from jingmin.metrics.tests.conftest import _follow_up


def test_the_leaders_home_shows_this_months_rates_by_station(station):
    p = station.p
    a4 = station.appeals["a4"]
    _follow_up(a4, answered=timezone.now(), resolved=True, score=3)
    html = signed_in(p.li).get("/").content.decode()
    assert 'id="home-indicators"' in html
    # One answer this month, fairly satisfied: 0.5 / 1, flagged as too few.
    assert 'data-key="satisfaction"' in html and "50.0%" in html and "样本少" in html
    assert f'data-unit="{p.station_a.pk}"' in html and f'data-unit="{p.station_b.pk}"' in html
    assert "满分5分" not in html


def test_an_officer_home_has_no_unit_figures(station):
    html = signed_in(station.p.oliver).get("/").content.decode()
    assert 'id="home-indicators"' not in html
