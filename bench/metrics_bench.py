"""The indicators at city-year size on PostgreSQL: every dashboard view and drill-down.

Run from the repository root:

    .venv/bin/python bench/metrics_bench.py --scale city      # or: bench/run.py --only metrics

What it does:

1. `city.ensure(scale)` makes sure the scale's database holds its city-year (`bench/city.py`: at
   `city`, a million appeals, five million events, a million visits, on the demo's city of 48
   stations and 480 police districts), loading it with SQL inside PostgreSQL if not.
2. Times each page of `jingmin/metrics` and the indicators API through Django's test client (the
   whole view: selectors, figures, template) as the bureau leader and as a station chief: the
   dashboards of the bureau, a station and a police district for the last full month, the
   bureau's year, the trend, the wall screen, the officer's explanation, the Excel export, and
   the drill-down of every registered indicator (and a later page of the longest list, and that
   list exported whole). Each page is asked `--runs` times (fewer when a
   request takes long: within `--budget` seconds a page, but at least three, two when a request
   takes over ten seconds, one over a minute), after one untimed
   request of the home page by each person to warm the process.
3. Yields one figure per page (p50, p95, max, the SQL queries one request made); `__main__`
   prints them as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from benchenv import figure

RUNS = {"small": 3, "city": 10}
BUDGET_S = {"small": 2.0, "city": 20.0}
TARGET_P95_MS = 100
FLOOR_P95_MS = 500


def last_full_month(ends: date) -> tuple[date, date]:
    first_of_this = ends.replace(day=1)
    last = first_of_this - timedelta(days=1)
    return last.replace(day=1), last


def cases(city: Any) -> list[tuple[str, Any, str]]:
    """(label, who, url) of every page timed."""
    from jingmin.metrics import registry
    from jingmin.org.models import Unit, UnitKind, User
    from jingmin.org.roles import Role

    leader = User.objects.filter(role=Role.LEADER).order_by("pk").first()
    assert leader is not None, "the demo organisation has a bureau leader"
    bureau = Unit.objects.get(parent__isnull=True)
    # The busiest station and its busiest district: the figures' worst case, not an idle one.
    from django.db.models import Count

    from jingmin.appeals.models import Appeal

    busiest = (
        Appeal.objects.values("district_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("district_id", flat=True)
    )
    district = Unit.objects.get(pk=busiest[0])
    station = district.parent
    assert station is not None and station.kind == UnitKind.STATION
    chief = User.objects.filter(role=Role.CHIEF, unit=station, is_active=True).order_by("pk").first()
    assert chief is not None, "each demo station has a chief"
    officer = User.objects.filter(role=Role.OFFICER, unit=district).order_by("pk").first()
    assert officer is not None
    start, end = last_full_month(city.ends.date())
    month = f"from={start}&to={end}"
    year_end = city.ends.date() - timedelta(days=1)
    year = f"from={year_end - timedelta(days=364)}&to={year_end}"
    out: list[tuple[str, Any, str]] = [
        ("dashboard, bureau, a month", leader, f"/metrics/?unit={bureau.pk}&{month}"),
        ("dashboard, bureau, a year", leader, f"/metrics/?unit={bureau.pk}&{year}"),
        ("dashboard, station, a month", leader, f"/metrics/?unit={station.pk}&{month}"),
        ("dashboard, police district, a month", leader, f"/metrics/?unit={district.pk}&{month}"),
        ("trend, bureau, 12 months", leader, f"/metrics/trend/?unit={bureau.pk}&to={end}"),
        ("wall screen, bureau, this month", leader, f"/metrics/wall/?unit={bureau.pk}"),
        ("officer's score explained, a month", leader, f"/metrics/officer/{officer.pk}/?{month}"),
        ("export to Excel, bureau, a month", leader, f"/metrics/export/?unit={bureau.pk}&{month}"),
        ("API, bureau, a month", leader, f"/api/v1/indicators/?unit={bureau.pk}&{month}"),
        ("API, bureau, a year", leader, f"/api/v1/indicators/?unit={bureau.pk}&{year}"),
        ("dashboard, own station, a month", chief, f"/metrics/?{month}"),
        ("trend, own station, 12 months", chief, f"/metrics/trend/?to={end}"),
        ("wall screen, own station, this month", chief, "/metrics/wall/"),
        ("API, own station, a month", chief, f"/api/v1/indicators/?unit={station.pk}&{month}"),
    ]
    slow = [c for c in out if "bureau" in c[0]]
    out = [c for c in out if "bureau" not in c[0]]
    for ind in registry.indicators():
        out.append(
            (
                f"drill-down, {ind.key}, bureau, a month",
                leader,
                f"/metrics/figure/{ind.key}/?unit={bureau.pk}&{month}",
            )
        )
        out.append(
            (f"drill-down, {ind.key}, own station, a month", chief, f"/metrics/figure/{ind.key}/?{month}")
        )
    # A later page of the longest list, and the whole of it exported (streamed, every record).
    out.append(
        (
            "drill-down, satisfaction, bureau, a month, page 20 of the follow-ups",
            leader,
            f"/metrics/figure/satisfaction/?unit={bureau.pk}&{month}&denominator=20",
        )
    )
    out.append(
        (
            "export of a drill-down to Excel, satisfaction, bureau, a month (every follow-up)",
            leader,
            f"/metrics/export/?unit={bureau.pk}&key=satisfaction&{month}",
        )
    )
    # The whole city's pages last: they take the longest.
    return [c for c in out if "bureau" not in c[0]] + [c for c in out if "bureau" in c[0]] + slow


def least(times: list[float]) -> int:
    """How many requests a page needs at least: three, two when one takes over ten seconds, one
    over a minute (a city-year's bureau pages take minutes; their spread is not the point)."""
    if times and times[0] > 60_000:
        return 1
    return 2 if times and times[0] > 10_000 else 3


def timed(client: Any, url: str, runs: int, budget_s: float) -> tuple[list[float], int]:
    """Times of up to `runs` requests (as many as `budget_s` allows, but at least `least`), and
    the SQL queries the first of them made."""
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    out: list[float] = []
    spent = 0.0
    while len(out) < runs and (len(out) < least(out) or spent < budget_s):
        started = time.perf_counter()
        if out:
            response = client.get(url)
        else:
            with connection.execute_wrapper(count):
                response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        out.append(elapsed * 1000)
        spent += elapsed
    return out, queries


def figures(scale: str) -> Iterator[dict[str, Any]]:
    yield from measure(scale, runs=RUNS[scale], budget_s=BUDGET_S[scale])


def measure(
    scale: str, *, runs: int, budget_s: float, only: str = "", skip: str = ""
) -> Iterator[dict[str, Any]]:
    import city as city_data

    city = city_data.ensure(scale)
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    size = city.size_note()
    clients: dict[int, Any] = {}
    for label, who, url in cases(city):
        if (only and only not in label) or (skip and skip in label):
            continue
        client = clients.get(who.pk)
        if client is None:
            client = clients[who.pk] = Client()
            client.force_login(who)
            # The first request of a process builds URL tables and compiles templates: not timed.
            client.get("/")
        times, queries = timed(client, url, runs, budget_s)
        yield figure(
            f"metrics: {label} ({who.role})",
            times,
            queries=queries,
            size=size,
            target_p95_ms=TARGET_P95_MS,
            floor_p95_ms=FLOOR_P95_MS,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["small", "city"], default="city")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--budget", type=float, default=90.0, help="seconds of requests a page at most (3 at least)"
    )
    parser.add_argument("--only", default="", help="pages whose label contains this")
    parser.add_argument("--skip", default="", help="leave out the pages whose label contains this")
    args = parser.parse_args()
    print("| page | p50 ms | p95 ms | max ms | runs | SQL queries | load |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for f in measure(args.scale, runs=args.runs, budget_s=args.budget, only=args.only, skip=args.skip):
        print(
            f"| {f['name']} | {f['p50_ms']:.0f} | {f['p95_ms']:.0f} | {f['max_ms']:.0f} | {f['runs']} "
            f"| {f['queries']} | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
