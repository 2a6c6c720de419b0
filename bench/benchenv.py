"""What the benchmarks share: the environment Django reads, and their PostgreSQL database.

Each script guards its own database's name before it creates or drops it (see its docstring):
a benchmark never writes into a database it was not meant for.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
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


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile of `values` (not empty)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def figure(
    name: str, times_ms: list[float] | None = None, *, per_s: float | None = None, **extra: object
) -> dict:
    """One figure as `bench/run.py` prints it: p50 and p95 of `times_ms` (when timed), a rate
    (when one is the point), and whatever else describes it (size, runs, target)."""
    out: dict[str, object] = {"name": name, "p50_ms": None, "p95_ms": None, "per_s": per_s}
    if times_ms:
        out["p50_ms"] = round(percentile(times_ms, 50), 2)
        out["p95_ms"] = round(percentile(times_ms, 95), 2)
        out["max_ms"] = round(max(times_ms), 2)
        out["runs"] = len(times_ms)
    if per_s is not None:
        out["per_s"] = round(per_s, 2)
    return {**out, **extra}


_TIMED_LINE = re.compile(r"^(?P<label>[^:|]+): p50 (?P<p50>[\d.,]+) ms, p95 (?P<p95>[\d.,]+) ms")
_SECONDS_LINE = re.compile(r"^(?P<label>[^:|]+): (?P<s>[\d.,]+) s$")
_F1 = re.compile(r"accuracy (?P<acc>0\.\d+), macro-F1 (?P<f1>0\.\d+)")


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").strip().strip("*"))
    except ValueError:
        return None


def parse_printed(prefix: str, text: str) -> Iterator[dict]:
    """The figures of a benchmark's printed report: its Markdown tables (a column named p50 / p95
    in ms, seconds, rows/s), its `label: p50 X ms, p95 Y ms` and `label: N s` lines and its
    cross-validated macro-F1, each named `prefix: label`."""
    header: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if set(line) <= set("|-: "):
                continue
            if header is None or len(cells) != len(header) or all(_number(c) is None for c in cells[1:]):
                header = [c.lower() for c in cells]
                continue
            row = dict(zip(header, cells, strict=True))
            extra: dict[str, object] = {}
            out = figure(f"{prefix}: {cells[0]}")
            for key, value in row.items():
                n = _number(value)
                if n is None:
                    continue
                if key.startswith("p50"):
                    out["p50_ms"] = n
                elif key.startswith("p95"):
                    out["p95_ms"] = n
                elif key == "rows/s":
                    out["per_s"] = n
                elif key.startswith("second"):
                    extra["seconds"] = n
            yield {**out, **extra}
            continue
        header = None
        if m := _TIMED_LINE.match(line):
            yield {
                **figure(f"{prefix}: {m['label']}"),
                "p50_ms": _number(m["p50"]),
                "p95_ms": _number(m["p95"]),
            }
        elif m := _SECONDS_LINE.match(line):
            yield figure(f"{prefix}: {m['label']}", seconds=_number(m["s"]))
        elif m := _F1.search(line):
            yield figure(
                f"{prefix}: cross-validated macro-F1", macro_f1=float(m["f1"]), accuracy=float(m["acc"])
            )


def printed_figures(
    prefix: str, script: Path, argv: list[str], env: dict[str, str] | None = None
) -> Iterator[dict]:
    """Run a benchmark script as its command line does, its report echoed to standard error, and
    yield the figures it printed (for the scripts whose measuring lives in their `main`)."""
    import subprocess
    import sys

    done = subprocess.run(  # noqa: S603 - the benchmark's own script and arguments
        [sys.executable, str(script), *argv],
        cwd=script.parent.parent,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    sys.stderr.write(done.stdout)
    # What it measured before failing still counts; the failure is reported after.
    yield from parse_printed(prefix, done.stdout)
    if done.returncode:
        raise SystemExit(f"{script.name} exited with status {done.returncode}")


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
