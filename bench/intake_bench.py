"""Intake over HTTP: registrations a second through the staff API, beside PostgreSQL's own rate of
single-row inserts.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jingmin_intake_bench \\
        .venv/bin/python bench/intake_bench.py [--scale small|city]

What it does:

1. Drops and recreates the database named in DATABASE_URL (only a database whose name ends in
   `_bench`), migrates it, and makes a bureau, a station and a clerk with an API token.
2. Starts gunicorn as deployed (`deploy/gunicorn.conf.py`, 4 sync workers) on a free port of
   127.0.0.1 and waits for `/healthz`.
3. Times, with keep-alive HTTP clients in threads of this process:
   - `intake_single`: `POST /api/v1/appeals/` with an Idempotency-Key, by 8 clients at once:
     registrations a second, and the latency of each;
   - `intake_single_4_clients`: the same by 4 clients, whose p95 is the latency target;
   - `intake_batch`: `POST /api/v1/appeals/batch/` of 100 appeals, by 4 clients: appeals a second.
4. Times `pgbench` on the same server: single-row INSERTs into a table of its own (a bigserial key,
   a timestamp and a short text), one transaction each, by 8 clients (`pgbench_insert`) — the
   ceiling any registration path shares. Each HTTP figure carries its ratio to it, and the CPU time
   gunicorn's workers spent per appeal (from /proc), which holds when other work loads the machine.

`figures(scale)` yields one dict per figure (`name`, `p50_ms`, `p95_ms`, `per_s`, and more);
`bench/run.py` collects them. Run alone, the script prints them as JSON lines. The load generator
runs on the same two cores as the server and the database, so the HTTP figures are a floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchenv import configure, database_name, postgres_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jingmin_intake_bench"
WEB_WORKERS = 4
BATCH = 100
# Registrations (or batches) per series: a quick check, and a run long enough to steady.
SCALES = {
    "small": {"single": 400, "batches": 8, "pgbench_s": 10},
    "city": {"single": 3000, "batches": 40, "pgbench_s": 30},
}


def _appeal(i: int) -> dict[str, Any]:
    return {
        "channel": "12345",
        "type": "help",
        "category": "order-noise",
        "title": f"楼上深夜噪音扰民 {i}",
        "content": "东门小区3栋楼上每晚12点后装修噪音，影响休息。",
        "address": "东门小区3栋2单元",
        "citizen_name": "王小明",
        "citizen_phone": "13812345678",
    }


def _prepare(url: str) -> str:
    """A fresh database with one station, one clerk and the clerk's token; returns the token."""
    if not database_name(url).endswith("_bench"):
        raise SystemExit(f"Refusing to recreate {database_name(url)!r}: its name must end in _bench.")
    configure(url)
    postgres_database(url, fresh=True)
    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from jingmin.org.models import UnitKind, User
    from jingmin.org.roles import Role
    from jingmin.org.services import unit_create

    call_command("migrate", verbosity=0)
    bureau = unit_create(actor=None, parent=None, kind=UnitKind.BUREAU, name="测试市公安局", code="B000")
    branch = unit_create(actor=None, parent=bureau, kind=UnitKind.BRANCH, name="城关分局", code="B100")
    station = unit_create(actor=None, parent=branch, kind=UnitKind.STATION, name="城关派出所", code="B110")
    clerk = User(username="bench-clerk", full_name="测试接诉员", unit=station, role=Role.CLERK)
    clerk.set_unusable_password()
    clerk.save()
    return Token.objects.create(user=clerk).key


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "JINGMIN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WEB_WORKERS),
        "JINGMIN_LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Persistent connections, as a deployment would configure them.
        "DATABASE_CONN_MAX_AGE": "60",
    }
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start.")


def _series(
    port: int, token: str, *, clients: int, requests: int, batch: int = 0
) -> tuple[list[float], float]:
    """`requests` POSTs shared by `clients` threads; (latencies in ms, wall seconds)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    failures: list[str] = []
    start_gate = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        start_gate.wait()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            if batch:
                path = "/api/v1/appeals/batch/"
                body = {
                    "appeals": [{"key": uuid.uuid4().hex, **_appeal(i * batch + j)} for j in range(batch)]
                }
                extra: dict[str, str] = {}
            else:
                path, body, extra = "/api/v1/appeals/", _appeal(i), {"Idempotency-Key": uuid.uuid4().hex}
            data = json.dumps(body).encode()
            began = time.perf_counter()
            conn.request("POST", path, body=data, headers={**headers, **extra})
            response = conn.getresponse()
            payload = response.read()
            took = 1000 * (time.perf_counter() - began)
            if response.status not in (200, 201) or (batch and b'"refused"' in payload):
                failures.append(f"{response.status} {payload[:200]!r}")
            with lock:
                latencies.append(took)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, the first: {failures[0]}")
    return latencies, wall


def _server_cpu_ms(master: int) -> float:
    """CPU time (user + system) spent so far by gunicorn's workers, from /proc: what the server
    spent, whatever else the machine was doing."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return 1000 * ticks / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _pgbench(url: str, *, clients: int, seconds: int) -> float:
    """Single-row INSERTs a second, each its own (durable) transaction, by `clients` clients."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_insert")
        conn.execute(
            "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, at timestamptz DEFAULT now(), body text)"
        )
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("INSERT INTO bench_insert (body) VALUES ('楼上深夜噪音扰民');\n")
    try:
        pgbench = shutil.which("pgbench") or "pgbench"
        out = subprocess.run(  # noqa: S603 (pgbench with fixed arguments)
            [pgbench, "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
    if match is None:
        raise SystemExit(f"Could not read pgbench's rate:\n{out}")
    return float(match.group(1))


def figures(scale: str) -> Iterator[dict[str, Any]]:
    sizes = SCALES[scale]
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        url = DEFAULT_URL
    token = _prepare(url)
    port = _free_port()
    machine = {"cores": os.cpu_count(), "scale": scale}
    server = _start_server(url, port)
    try:
        _series(port, token, clients=4, requests=40)  # warm every worker (imports, connections, caches)
        runs: list[tuple[str, int, int, int]] = [
            ("intake_single", 8, sizes["single"], 0),
            ("intake_single_4_clients", 4, sizes["single"], 0),
            ("intake_batch", 4, sizes["batches"], BATCH),
        ]
        measured: list[dict[str, Any]] = []
        for name, clients, requests, batch in runs:
            load = os.getloadavg()[0]
            cpu = _server_cpu_ms(server.pid)
            latencies, wall = _series(port, token, clients=clients, requests=requests, batch=batch)
            appeals = requests * (batch or 1)
            cpu_per_appeal = (_server_cpu_ms(server.pid) - cpu) / appeals
            measured.append(
                {
                    "name": name,
                    "p50_ms": round(statistics.median(latencies), 1),
                    "p95_ms": round(_pct(latencies, 0.95), 1),
                    "per_s": round(appeals / wall, 1),
                    "clients": clients,
                    "requests": requests,
                    "appeals_per_request": batch or 1,
                    "web_workers": WEB_WORKERS,
                    # The server's CPU per appeal, and the rate its cores would give at that cost:
                    # figures that hold when other work loads the machine.
                    "server_cpu_ms_per_appeal": round(cpu_per_appeal, 1),
                    "per_s_at_server_cpu": round(1000 * (os.cpu_count() or 1) / cpu_per_appeal, 1),
                    "load_before": round(load, 1),
                    **machine,
                }
            )
    finally:
        server.terminate()
        server.wait()
    insert_rate = _pgbench(url, clients=8, seconds=sizes["pgbench_s"])
    for figure in measured:
        figure["ratio_to_insert"] = round(float(figure["per_s"]) / insert_rate, 3)
        yield figure
    yield {
        "name": "pgbench_insert",
        "p50_ms": None,
        "p95_ms": None,
        "per_s": round(insert_rate, 1),
        "clients": 8,
        "what": "single-row INSERT, one transaction each",
        **machine,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    args = parser.parse_args()
    for figure in figures(args.scale):
        print(json.dumps(figure, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
