"""A dashboard computes each figure once, whatever the number of units it compares: Li's bureau
dashboard makes as many queries with three stations and five police districts as with two and
three, and the trend, the wall screen and the home figures likewise."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import signed_in
from jingmin.metrics import rollup
from jingmin.org.models import UnitKind
from jingmin.org.services import unit_create

QUERY = {"from": "2026-03-01", "to": "2026-03-31"}


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more_units(p):
    station_c = unit_create(
        actor=None, parent=p.branch_b, kind=UnitKind.STATION, name="南关派出所", code="TC10"
    )
    for n in (1, 2):
        unit_create(
            actor=None, parent=station_c, kind=UnitKind.DISTRICT, name=f"南关{n}警务区", code=f"TC1{n}"
        )


def test_the_bureau_dashboard_makes_as_many_queries_with_more_units(station):
    p = station.p
    li = signed_in(p.li)
    pages = [
        ("/metrics/", {"unit": p.bureau.pk, **QUERY}),
        ("/metrics/", {"unit": p.bureau.pk, "key": "satisfaction_open_door", **QUERY}),
        ("/metrics/wall/", {"unit": p.bureau.pk}),
        ("/metrics/export/", {"unit": p.bureau.pk, **QUERY}),
    ]
    for url, params in pages:
        _queries(li, url, params)  # the first request of a client reads what later ones keep
    before = [_queries(li, url, params) for url, params in pages]
    _more_units(p)
    after = [_queries(li, url, params) for url, params in pages]
    assert after == before


def test_the_dashboard_computes_each_aggregate_once(station):
    p = station.p
    li = signed_in(p.li)
    with CaptureQueriesContext(connection) as ctx:
        assert li.get("/metrics/", {"unit": p.bureau.pk, **QUERY}).status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    # No count is made twice (its statement and parameters), whichever part of the page asks.
    assert len(set(counts)) == len(counts)
    follow_ups = [sql for sql in counts if 'FROM "appeals_followup"' in sql]
    tally_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "metrics_tally"' in q["sql"]]
    if rollup.ready():
        # Through the roll-ups no follow-up is counted: the appeals' tallies (follow-ups with
        # them) are read once by unit and once for the bureau's own cards, the visits' by unit,
        # and the categories of the 31 days before for the hot issues' change.
        assert follow_ups == []
        assert len(tally_reads) == 4, tally_reads
        return
    assert tally_reads == []
    # Resolution and the satisfaction counts (the rate's and the source's own): at most one query
    # each, where the page once made five of the same.
    assert len(follow_ups) <= 2, follow_ups
