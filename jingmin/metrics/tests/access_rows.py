"""The permission matrix's rows for the indicators (see `jingmin/core/tests/access.py`).

Every business role reads the figures of its own scope (district A1 is in station A's, so Olga of
station B gets 404); an officer's explained score is read by the officer and by those who
supervise them; only the leader saves a new settings version. The administrators read no figures.
"""

from __future__ import annotations

import datetime as dt

from jingmin.core.tests.access import BUSINESS, STATION_A, Row, get, page, post

SUPERVISING_OLIVER = frozenset({"oliver", "chen", "li", "ines"})


def _a1(w):
    return {"unit": w.p.district_a1.pk, "from": "2026-03-01", "to": "2026-03-31"}


def _settings_body(w):
    return {
        "effective_from": dt.date(2026, 1, 1).isoformat(),
        "k": "0.6",
        "repeat_window_days": "30",
        "excludes": ["merged", "rejected", "unreasonable"],
        "w_response": "30",
        "w_resolution": "35",
        "w_satisfaction": "35",
        "note": "按市局考核办法调整",
    }


ROWS = [
    # The month's figures of the home page, for those who lead or supervise.
    page("metrics:home_panel", frozenset({"chen", "li", "ines"})),
    page("metrics:dashboard", STATION_A, query=_a1),
    page("metrics:trend", STATION_A, query=_a1),
    page("metrics:figure", STATION_A, args=lambda w: {"key": "response"}, query=_a1),
    page(
        "metrics:officer",
        SUPERVISING_OLIVER,
        args=lambda w: {"pk": w.p.oliver.pk},
        # Clara works in Oliver's station but does not supervise him: his score is not hers to read.
        outside=frozenset({"clara", "olga"}),
    ),
    page("metrics:wall", STATION_A, query=lambda w: {"unit": w.p.district_a1.pk}),
    # The export is audited: a GET that writes its audit row.
    page("metrics:export", STATION_A, query=_a1),
    Row(
        "metrics:settings",
        (
            get(BUSINESS),
            post(frozenset({"li"}), body=_settings_body, lands="metrics:settings"),
        ),
    ),
    page("api:indicators", STATION_A, query=_a1, api=True),
]
