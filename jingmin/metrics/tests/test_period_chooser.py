"""The period chooser shows the period a page was opened for, also when a link names only its
dates (a rate clicked on the year's dashboard opens the year, and says so)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import signed_in
from jingmin.metrics.periods import grain_of
from jingmin.metrics.registry import Period


def _chosen(html: str) -> str:
    chooser = re.search(r'<select name="grain">(.*?)</select>', html, re.S)
    assert chooser is not None
    return re.findall(r'<option value="(\w+)" selected', chooser.group(1))[0]


@pytest.mark.parametrize(
    ("start", "end", "grain"),
    [
        (dt.date(2026, 3, 4), dt.date(2026, 3, 4), "day"),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 8), "week"),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28), "month"),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "quarter"),
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year"),
        (dt.date(2026, 3, 3), dt.date(2026, 3, 20), ""),
    ],
)
def test_a_period_names_its_calendar_grain(start, end, grain):
    assert grain_of(Period(start, end)) == grain


def test_a_figure_opened_for_a_year_by_its_dates_shows_the_year_chosen(station):
    chen = signed_in(station.p.chen)
    query = {"unit": station.p.station_a.pk, "from": "2026-01-01", "to": "2026-12-31"}
    page = chen.get("/metrics/figure/visits/", query).content.decode()
    assert _chosen(page) == "year"
    dashboard = chen.get(
        "/metrics/", {"unit": station.p.station_a.pk, "grain": "quarter", "on": "2026-03-05"}
    )
    assert _chosen(dashboard.content.decode()) == "quarter"
