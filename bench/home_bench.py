"""The first page after sign-in: the home page of each demo role, timed in the server's process.

Run from the repository root:

    JINGMIN_DEBUG=1 .venv/bin/python bench/home_bench.py --scale small --runs 20

What it does:

1. Uses the database of HOME_BENCH_DATABASE_URL, or `var/home_bench_<scale>.sqlite3`; when that
   holds no appeals it migrates it and loads the demo (`manage.py seed_demo --size <scale>`, a
   minute for `small`, much longer for `city`).
2. In a child process (so that its settings never mix with another bench's), signs each demo role
   in (clerk, command-centre clerk, officer, chief, leader, inspector) with Django's test client
   and requests `/` `--runs` times: every fifth after a fresh sign-in with the cache emptied
   (what the first person of a unit meets), the others later (what everyone after meets). Where
   the page fetches the month's indicators once shown (those who lead), that request is timed
   too, as "indicators".
3. Prints a table, or with `--json` one JSON object per line: name, p50_ms, p95_ms, per_s,
   cpu_p50_ms (the process's CPU time, which the machine's other work does not stretch) and
   queries.

`figures(scale)` yields the same rows for a runner that collects every bench's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("clerk", "centre", "officer", "chief", "leader", "inspector")
SCALES = ("small", "city")
# Requests per role: every fifth after a fresh sign-in.
RUNS = 20


def _database_url(scale: str) -> str:
    return (
        os.environ.get("HOME_BENCH_DATABASE_URL")
        or f"sqlite:///{ROOT / 'var' / f'home_bench_{scale}.sqlite3'}"
    )


def _environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "JINGMIN_DEBUG": env.get("JINGMIN_DEBUG", "1"),
            "JINGMIN_HTTPS": "0",
            "JINGMIN_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _measure(runs: int) -> Iterator[dict[str, object]]:
    """In the child process: Django set up on the bench's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jingmin.org.models import User

    settings.ALLOWED_HOSTS = ["*"]
    # The first request of the process builds URL tables and templates (the web process does it
    # at start, jingmin/core/warmup.py): not part of anyone's sign-in.
    from jingmin.core.warmup import warm_up

    warm_up()
    panel_url = "/metrics/home/"

    def timed(client: Client, url: str) -> tuple[float, float, int, str]:
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall = (time.perf_counter() - start) * 1000
            spent = (time.process_time() - start_cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return wall, spent, len(captured.captured_queries), response.content.decode()

    # (page, first after sign-in?) -> wall times, CPU times, over every role
    every: dict[tuple[str, bool], tuple[list[float], list[float]]] = {}
    for username in ROLES:
        user = User.objects.get(username=username)
        mine: dict[tuple[str, bool], tuple[list[float], list[float]]] = {}
        queries: dict[tuple[str, bool], int] = {}
        for run in range(runs):
            fresh = run % 5 == 0
            if fresh:
                cache.clear()
                client = Client()
                client.force_login(user)
            wall, spent, queries["home", fresh], html = timed(client, "/")
            pages = [("home", wall, spent)]
            # The month's indicators, which the page fetches once shown (those who lead).
            if f'hx-get="{panel_url}"' in html:
                wall, spent, queries["indicators", fresh], _html = timed(client, panel_url)
                pages.append(("indicators", wall, spent))
            for page, w, c in pages:
                for kept in (mine, every):
                    walls, cpus = kept.setdefault((page, fresh), ([], []))
                    walls.append(w)
                    cpus.append(c)
        for (page, fresh), (walls, cpus) in mine.items():
            label = "first after sign-in" if fresh else "later"
            yield _row(f"{page} {username}, {label}", walls, cpus, queries[page, fresh])
    for (page, fresh), (walls, cpus) in sorted(every.items()):
        label = "first after sign-in" if fresh else "later"
        yield _row(f"{page}, every role, {label}", walls, cpus, None)


def _row(name: str, values: list[float], cpu: list[float], queries: int | None) -> dict[str, object]:
    """Wall-clock figures, and the CPU time this process spent (which other work on the machine
    does not stretch the way it stretches waiting)."""
    p50 = statistics.median(values)
    row: dict[str, object] = {
        "name": name,
        "p50_ms": round(p50, 1),
        "p95_ms": round(_percentile(values, 0.95), 1),
        "per_s": round(1000 / p50, 1) if p50 else None,
        "cpu_p50_ms": round(statistics.median(cpu), 1),
    }
    if queries is not None:
        row["queries"] = queries
    return row


def _prepare(scale: str, env: dict[str, str]) -> None:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    subprocess.run([*manage, "seed_demo", "--if-empty", "--size", scale], env=env, check=True, cwd=ROOT)  # noqa: S603


def figures(scale: str) -> Iterator[dict[str, object]]:
    """One row per role and kind of request (name, p50_ms, p95_ms, per_s, cpu_p50_ms, queries)."""
    return measured(scale, runs=RUNS)


def measured(scale: str, runs: int) -> Iterator[dict[str, object]]:
    if scale not in SCALES:
        raise ValueError(f"scale is one of {', '.join(SCALES)}")
    env = _environment(_database_url(scale))
    (ROOT / "var").mkdir(exist_ok=True)
    _prepare(scale, env)
    child = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", "--runs", str(runs)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    for line in child.stdout.splitlines():
        if line.startswith("{"):
            yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        for row in _measure(args.runs):
            print(json.dumps(row, ensure_ascii=False), flush=True)
        return
    rows = list(measured(args.scale, runs=args.runs))
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    print("| request | p50 ms | p95 ms | per s | CPU p50 ms | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['name']} | {row['p50_ms']} | {row['p95_ms']} | {row['per_s']} | {row['cpu_p50_ms']} | {row.get('queries', '')} |"
        )


if __name__ == "__main__":
    main()
