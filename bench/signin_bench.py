"""The first page after sign-in, as a person meets it on the demo: the sign-in POST, its redirect
and the home page, timed against the development server the demo runs.

Run from the repository root, after `manage.py migrate` and `manage.py seed_demo`:

    JINGMIN_DEBUG=1 JINGMIN_HTTPS=0 .venv/bin/python bench/signin_bench.py --rounds 10

What it does:

1. Starts `manage.py runserver 127.0.0.1:PORT --noreload` on this checkout's database (the
   demo's `var/jingmin.sqlite3`, or DATABASE_URL), as `make demo` does, and waits for /healthz.
2. Signs in each demo account without a second factor (clerk, officer, chief, leader, inspector)
   `--rounds` times: GET the sign-in page (not timed), POST the password (timed until the
   redirect arrives), GET the page it redirects to (timed). The first round is the first
   request of a fresh server process for the first account.
3. Reads the server's own CPU time (utime + stime from /proc) before and after each step, so
   that the figures also say what the server spent, whatever else runs on the machine.
4. Times the configured password hasher's check alone, in this process, against PBKDF2 at
   Django's iterations (what the demo's accounts were hashed with before).

It writes what any sign-in writes (an audit row per sign-in, the session) into the demo database.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchenv import figure

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS = ("clerk", "officer", "chief", "leader", "inspector")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def server_cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return 1000 * ticks / os.sysconf("SC_CLK_TCK")


Timing = tuple[float, float, float, float]


def sign_in(base: str, username: str, password: str, pid: int) -> Timing:
    """(POST wall ms, home wall ms, POST server CPU ms, home server CPU ms)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    page = opener.open(f"{base}/signin/").read().decode()
    match = TOKEN.search(page)
    if match is None:
        raise SystemExit("No CSRF token on the sign-in page.")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(f"{base}/signin/", data=body, headers={"Referer": f"{base}/signin/"})  # noqa: S310 (http to loopback)
    cpu0 = server_cpu_ms(pid)
    start = time.perf_counter()
    try:
        opener.open(request)
        raise SystemExit(f"{username}: the sign-in did not redirect (wrong password or a second factor).")
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise
        location = redirect.headers["Location"]
    posted = time.perf_counter()
    cpu1 = server_cpu_ms(pid)
    with opener.open(urllib.parse.urljoin(base, location)) as home:
        home.read()
        if home.status != 200:
            raise SystemExit(f"{username}: {location} answered {home.status}")
    done = time.perf_counter()
    cpu2 = server_cpu_ms(pid)
    return 1000 * (posted - start), 1000 * (done - posted), cpu1 - cpu0, cpu2 - cpu1


def wait_for(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310 (http to loopback)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("The server did not start.")


def hasher_figures(password: str) -> list[tuple[str, float, float]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher

    rows = []
    for hasher in (PBKDF2PasswordHasher(), get_hasher("default")):
        encoded = hasher.encode(password, hasher.salt())
        walls, cpus = [], []
        for _ in range(5):
            wall, cpu = time.perf_counter(), time.process_time()
            hasher.verify(password, encoded)
            walls.append(1000 * (time.perf_counter() - wall))
            cpus.append(1000 * (time.process_time() - cpu))
        rows.append((encoded.rsplit("$", 2)[0], statistics.median(walls), statistics.median(cpus)))
    return rows


def measure(port: int, rounds: int, password: str) -> tuple[Timing, list[Timing]]:
    """The first sign-in of a fresh server and `rounds` sign-ins of each account after it."""
    env = {"JINGMIN_DEBUG": "1", "JINGMIN_HTTPS": "0", "JINGMIN_LOG_LEVEL": "WARNING", **os.environ}
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(base)
        first = sign_in(base, ACCOUNTS[0], password, server.pid)
        later = [sign_in(base, account, password, server.pid) for _ in range(rounds) for account in ACCOUNTS]
    finally:
        server.terminate()
        server.wait()
    return first, later


ROUNDS = {"small": 2, "city": 10}
DEMO_DATABASE = ROOT / "var" / "jingmin.sqlite3"


def demo_ready() -> bool:
    """Whether the demo's accounts are there to sign in (an empty file is made by any command
    run before `migrate`)."""
    if os.environ.get("DATABASE_URL"):
        return True
    if not DEMO_DATABASE.exists():
        return False
    import sqlite3

    with sqlite3.connect(f"file:{DEMO_DATABASE}?mode=ro", uri=True) as db:
        found = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'org_user'"
        ).fetchone()
        return bool(found and db.execute("SELECT count(*) FROM org_user").fetchone()[0])


def figures(scale: str) -> Iterator[dict[str, Any]]:
    # The demo's settings, as the command line in bench/README.md sets them.
    os.environ.setdefault("JINGMIN_DEBUG", "1")
    os.environ.setdefault("JINGMIN_HTTPS", "0")
    if not demo_ready():
        yield figure("signin: skipped", skipped="no demo database: run manage.py migrate and seed_demo first")
        return
    password = os.environ.get("JINGMIN_DEMO_PASSWORD", "Jingmin@2026")
    first, later = measure(8199, ROUNDS[scale], password)
    yield figure(
        "signin: first sign-in of a fresh server, POST + home",
        [first[0] + first[1]],
        server_cpu_ms=round(first[2] + first[3]),
    )
    yield figure(
        "signin: later sign-ins, POST + home",
        [post + home for post, home, *_ in later],
        server_cpu_p50_ms=round(statistics.median(a + b for *_, a, b in later)),
        accounts=len(ACCOUNTS),
    )
    for name, wall, cpu_ms in hasher_figures(password):
        yield figure(f"signin: password check alone, {name}", [wall], cpu_ms=round(cpu_ms))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--password", default=os.environ.get("JINGMIN_DEMO_PASSWORD", "Jingmin@2026"))
    args = parser.parse_args()
    first, later = measure(args.port, args.rounds, args.password)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| what | POST ms | home ms | total ms | server CPU ms (POST + home) |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| first sign-in of a fresh server ({ACCOUNTS[0]}) | {first[0]:.0f} | {first[1]:.0f} "
        f"| {first[0] + first[1]:.0f} | {first[2]:.0f} + {first[3]:.0f} |"
    )
    totals = sorted(post + home for post, home, *_ in later)
    cpu = [a + b for *_, a, b in later]
    print(
        f"| later sign-ins, p50 ({len(later)} runs, {len(ACCOUNTS)} accounts) "
        f"| {statistics.median(p for p, *_ in later):.0f} | {statistics.median(h for _, h, *_ in later):.0f} "
        f"| {statistics.median(totals):.0f} | {statistics.median(a for *_, a, _ in later):.0f} + "
        f"{statistics.median(b for *_, b in later):.0f} |"
    )
    p95 = totals[min(len(totals) - 1, round(0.95 * (len(totals) - 1)))]
    print(f"| later sign-ins, p95 | | | {p95:.0f} | {sorted(cpu)[round(0.95 * (len(cpu) - 1))]:.0f} |")
    print("\n| password check alone | wall ms (median of 5) | CPU ms |")
    print("|---|---:|---:|")
    for name, wall, cpu_ms in hasher_figures(args.password):
        print(f"| `{name}` | {wall:.0f} | {cpu_ms:.0f} |")


if __name__ == "__main__":
    main()
