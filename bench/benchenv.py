"""What the benchmarks share: the environment Django reads, and their PostgreSQL database.

Each script guards its own database's name before it creates or drops it (see its docstring):
a benchmark never writes into a database it was not meant for.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


def configure(url: str) -> None:
    """The environment Django reads, before it reads it."""
    os.environ["DATABASE_URL"] = url
    # DEBUG off: with DEBUG on, Django keeps every query in memory and times it twice.
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-0123456789abcdef")
    os.environ.setdefault("JINGMIN_FIELD_KEYS", "YmVuY2gtb25seS1maWVsZC1rZXktamluZ21pbi0wMDA=")
    os.environ.setdefault("JINGMIN_LOOKUP_KEY", "bench-only-lookup-key")
    os.environ.setdefault("JINGMIN_HTTPS", "0")
    os.environ.setdefault("JINGMIN_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def server_url(url: str) -> str:
    """The same server's maintenance database, from which another is created or dropped."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def postgres_database(url: str, *, fresh: bool) -> None:
    """Create the URL's database if it is missing; with `fresh`, drop it first."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with psycopg.connect(server_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def figure(name: str, ms: list[float], **extra: object) -> dict[str, object]:
    """One figure as `bench/run.py` prints it, from the times of its runs (ms); `per_s` is None
    unless `extra` gives a rate."""
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "name": name,
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
        "per_s": None,
        "runs": len(ordered),
        **extra,
    }


@contextmanager
def scratch_database(url: str) -> Iterator[bool]:
    """A database of the benchmark's own, migrated, with Django set up on it: created afresh and
    dropped after, unless `JINGMIN_BENCH_KEEP=1` keeps it (and the next run reuses it). Yields
    whether it was kept from an earlier run. Only a database whose name ends in `_bench`."""
    if not database_name(url).endswith("_bench"):
        raise SystemExit("A benchmark drops its database: its name must end in _bench.")
    keep = os.environ.get("JINGMIN_BENCH_KEEP") == "1"
    import psycopg

    with psycopg.connect(server_url(url), autocommit=True) as conn:
        existed = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database_name(url),)
        ).fetchone()
    configure(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    postgres_database(url, fresh=not keep)
    try:
        call_command("migrate", verbosity=0)
        yield bool(keep and existed)
    finally:
        connections.close_all()
        if not keep:
            drop_database(url)


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url)))
        )


def print_figures(figures: Callable[[str], Iterable[dict[str, object]]], description: str) -> None:
    """A benchmark's `__main__`: `--scale`, niced, one JSON line per figure."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", choices=["small", "city"], default="small")
    args = parser.parse_args()
    os.nice(10)
    for found in figures(args.scale):
        print(json.dumps(found, ensure_ascii=False), flush=True)
