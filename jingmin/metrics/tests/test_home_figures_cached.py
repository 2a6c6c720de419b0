"""The month's figures on a leader's home page are computed once and then read from the cache for
a short while: a second visit runs none of the indicators' queries and shows the same figures; and
the home page itself never computes them (the page fetches them once shown)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.metrics.tests.conftest import _follow_up

# The satisfaction indicator reads the answers' scores, or their roll-up once it is built.
READS = ('"satisfaction"', '"metrics_tally"')


def reads_figures(sql: str) -> bool:
    return any(name in sql for name in READS)


def test_a_second_visit_reads_the_figures_from_the_cache(station, settings):
    settings.METRICS_HOME_CACHE_SECONDS = 120
    cache.clear()
    p = station.p
    _follow_up(station.appeals["a4"], answered=timezone.now(), resolved=True, score=3)
    client = signed_in(p.li)
    with CaptureQueriesContext(connection) as page:
        client.get("/")
    assert not any(reads_figures(q["sql"]) for q in page.captured_queries)
    panel = reverse("metrics:home_panel")
    with CaptureQueriesContext(connection) as first:
        html = client.get(panel).content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get(panel).content.decode()
    # The page's own cards never read them.
    indicator_reads = [q for q in second.captured_queries if reads_figures(q["sql"])]
    assert any(reads_figures(q["sql"]) for q in first.captured_queries)
    assert 'data-key="satisfaction"' in html and "50.0%" in html and "50.0%" in again
    assert len(second.captured_queries) < len(first.captured_queries)
    assert indicator_reads == []
    cache.clear()
