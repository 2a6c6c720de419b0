"""Where the web worker's CPU goes in a registration: the same requests as `intake_bench.py`, served
in this process by the WSGI application (every middleware, DRF, the services) against PostgreSQL,
under cProfile, with the SQL statements of each request counted.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jingmin_intake_profile_bench \\
        .venv/bin/python bench/intake_profile.py [--single 500] [--batches 10] [--top 30]

It recreates the database (only one whose name ends in `_bench`), as `intake_bench.py` does, warms
the process with a few requests, then prints for single registrations (with an Idempotency-Key)
and for batches of 100: the process CPU per appeal without the profiler, the statements per
request, and the profile's top functions by own time and by cumulative time, per appeal.
Without network or load generator in the way, the CPU figure is the application's alone.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import json
import os
import pstats
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake_bench import BATCH, _appeal, _prepare

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jingmin_intake_profile_bench"


def _caller(token: str) -> Callable[[str, dict[str, Any], dict[str, str]], int]:
    """POSTs a JSON body through the WSGI application, as gunicorn would hand it over."""
    from config.wsgi import application

    def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> int:
        data = json.dumps(body).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Token {token}",
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        for name, value in headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []

        def start_response(line: str, headers: Any, *exc_info: Any) -> Callable[[bytes], object]:
            status.append(line)
            return lambda _chunk: None

        body_out = b"".join(application(environ, start_response))
        code = int(status[0].split()[0])
        if code not in (200, 201) or b'"refused"' in body_out:
            raise SystemExit(f"{path} answered {status[0]}: {body_out[:300]!r}")
        return code

    return post


def _single(post: Callable[..., int], i: int) -> None:
    post("/api/v1/appeals/", _appeal(i), {"Idempotency-Key": uuid.uuid4().hex})


def _batch(post: Callable[..., int], i: int) -> None:
    items = [{"key": uuid.uuid4().hex, **_appeal(i * BATCH + j)} for j in range(BATCH)]
    post("/api/v1/appeals/batch/", {"appeals": items}, {})


def _measure(
    label: str, run: Callable[[int], None], requests: int, appeals_each: int, args: argparse.Namespace
) -> dict[str, Any]:
    from django.db import connection

    # CPU without the profiler, then statements, then the profile: three passes of the same work.
    began = time.process_time()
    for i in range(requests):
        run(i)
    cpu_ms = 1000 * (time.process_time() - began) / (requests * appeals_each)

    statements: list[int] = []
    connection.force_debug_cursor = True
    for i in range(min(requests, 20)):
        connection.queries_log.clear()
        run(i)
        statements.append(len(connection.queries_log))
    connection.force_debug_cursor = False
    connection.queries_log.clear()

    appeals = requests * appeals_each
    print(f"\n=== {label}: {requests} requests, {appeals} appeals", file=sys.stderr)
    print(f"CPU per appeal without the profiler: {cpu_ms:.2f} ms", file=sys.stderr)
    print(f"SQL statements per request: {sorted(set(statements))}", file=sys.stderr)
    if args.cpu_only:
        return {
            "name": label,
            "requests": requests,
            "appeals": appeals,
            "cpu_ms_per_appeal": round(cpu_ms, 2),
            "statements_per_request": max(statements),
        }
    if args.sampler:
        # pyinstrument (when installed) samples the stack: little overhead, a tree by call path.
        # Not among the project's dependencies: installed by whoever profiles.
        sampled = importlib.import_module("pyinstrument").Profiler(interval=0.0005)
        sampled.start()
        for i in range(requests):
            run(i)
        sampled.stop()
        print(sampled.output_text(unicode=False, color=False, show_all=False), file=sys.stderr)
        return {
            "name": label,
            "requests": requests,
            "appeals": appeals,
            "cpu_ms_per_appeal": round(cpu_ms, 2),
            "statements_per_request": max(statements),
        }
    # CPU time, not wall time: waiting on PostgreSQL is not the web worker's cost.
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for i in range(requests):
        run(i)
    profile.disable()
    stats = pstats.Stats(profile)
    if args.dump:
        profile.dump_stats(f"{args.dump}.{label}.pstats")
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(f"--- by {order} (times for all {appeals} appeals)\n{out.getvalue()}", file=sys.stderr)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    return {
        "name": label,
        "requests": requests,
        "appeals": appeals,
        "cpu_ms_per_appeal": round(cpu_ms, 2),
        "profiled_ms_per_appeal": round(1000 * total / appeals, 2),
        "statements_per_request": max(statements),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--single", type=int, default=500)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--only", choices=("single", "batch"))
    parser.add_argument("--dump", default="", help="write each cProfile's stats to DUMP.<label>.pstats")
    parser.add_argument("--cpu-only", action="store_true", help="CPU and statements, no profile")
    parser.add_argument("--sampler", action="store_true", help="profile with pyinstrument, not cProfile")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        url = DEFAULT_URL
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Persistent connections, as the bench's gunicorn (and a deployment) has them.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    token = _prepare(url)
    post = _caller(token)
    for i in range(20):  # imports, connection, per-process copies
        _single(post, i)
    _batch(post, 0)
    if args.only != "batch":
        print(json.dumps(_measure("single", lambda i: _single(post, i), args.single, 1, args)))
    if args.only != "single":
        print(json.dumps(_measure("batch", lambda i: _batch(post, i), args.batches, BATCH, args)))


if __name__ == "__main__":
    main()
