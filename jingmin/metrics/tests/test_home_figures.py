"""The home page of those who lead shows this month's figures of their units, from the indicators
(the same numbers as the dashboard); the average score out of 5 is gone. The page answers at once
and fetches them (`metrics:home_panel`), so that it does not wait for the indicators."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.metrics.tests.conftest import _follow_up


def test_the_leaders_home_shows_this_months_rates_by_station(station):
    p = station.p
    a4 = station.appeals["a4"]
    _follow_up(a4, answered=timezone.now(), resolved=True, score=3)
    client = signed_in(p.li)
    home = client.get("/").content.decode()
    panel = reverse("metrics:home_panel")
    assert f'hx-get="{panel}" hx-trigger="load"' in home and 'id="home-indicators"' in home
    html = client.get(panel).content.decode()
    assert 'id="home-indicators"' in html
    # One answer this month, fairly satisfied: 0.5 / 1, flagged as too few.
    assert 'data-key="satisfaction"' in html and "50.0%" in html and "样本少" in html
    assert f'data-unit="{p.station_a.pk}"' in html and f'data-unit="{p.station_b.pk}"' in html
    assert "满分5分" not in html


def test_an_officer_home_has_no_unit_figures(station):
    client = signed_in(station.p.oliver)
    html = client.get("/").content.decode()
    assert 'id="home-indicators"' not in html
    assert client.get(reverse("metrics:home_panel")).status_code == 403
