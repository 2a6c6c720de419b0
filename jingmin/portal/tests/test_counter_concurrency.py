"""The rate counter counts exactly when many requests hit it at once, each on its own database
connection as separate server processes would (PostgreSQL; SQLite serialises writers anyway)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from jingmin.portal import limits

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, HITS = 8, 25


def test_concurrent_hits_are_all_counted(audit_guard_lifted):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections are a PostgreSQL matter here")

    def worker(_n: int) -> list[int]:
        seen = []
        try:
            for _ in range(HITS):
                seen.append(limits.hit("submit-ip", "192.0.2.1").count)
        finally:
            connections.close_all()
        return seen

    with ThreadPoolExecutor(THREADS) as pool:
        counts = [c for seen in pool.map(worker, range(THREADS)) for c in seen]
    # Every hit got its own number: none was lost, none seen twice.
    assert sorted(counts) == list(range(1, THREADS * HITS + 1))
    assert limits.peek("submit-ip", "192.0.2.1").count == THREADS * HITS


def test_the_hard_limit_holds_under_concurrency(audit_guard_lifted, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections are a PostgreSQL matter here")
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "submit-ip": (3600, 100, 10)}

    def attempt(_n: int) -> bool:
        try:
            with transaction.atomic():
                limits.hit_within("submit-ip", "192.0.2.2")
            return True
        except limits.LimitReached:
            return False
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        allowed = list(pool.map(attempt, range(40)))
    assert allowed.count(True) == 10
    assert limits.peek("submit-ip", "192.0.2.2").count == 10
