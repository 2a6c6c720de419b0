"""Import of a legacy ledger of 100,000 persons: how long the check and the writing take.

Run from the repository root:

    .venv/bin/python bench/ledger_import_bench.py --database postgres     # DB jingmin_bench_ledger
    .venv/bin/python bench/ledger_import_bench.py --database sqlite       # var/bench/ledger.sqlite3

What it does:

1. Creates a fresh database (PostgreSQL: drops and creates the one named in `--url`, only if its
   name ends in `_bench_ledger`; SQLite: deletes and recreates the file), migrates it and loads
   the small demo organisation (16 police districts) with `org.demo.seed_org`.
2. Writes a workbook in the import template's format: `--rows` rows on the 人口 sheet, about 2.5
   persons per household, each with a valid ID number (GB 11643), a phone, a full standard
   address (county / street / community, road, number, building, unit, room) in one of the
   districts, the household number and relation, and now and then a care tag.
3. Times `manage.py ledger_import`'s work through the same function (`imports.import_file`,
   all-or-nothing: one transaction), end to end and by phase (reading and checking, which on
   PostgreSQL runs in forked processes; writing), with the CPU seconds of this process, of the
   processes it forked and of the database server's process; then the same file imported again
   (every row found, nothing written).
4. Prints the figures, the load average and the counts as Markdown, for docs/benchmarks.md. The
   CPU seconds hold when the machine is shared; the seconds and rows a minute do not.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchenv import configure, database_name, postgres_database, printed_figures

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jingmin_bench_ledger"
SQLITE_PATH = ROOT / "var" / "bench" / "ledger.sqlite3"


def fresh_database(database: str, url: str) -> str:
    if database == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    name = database_name(url)
    if not name.endswith("_bench_ledger"):
        raise SystemExit(
            f"refusing to drop {name!r}: only a database whose name ends in _bench_ledger is used"
        )
    postgres_database(url, fresh=True)
    return url


def write_workbook(path: Path, rows: int, districts: list[tuple[str, str, str]], seed: int) -> int:
    """The 人口 sheet of the template with `rows` persons; returns the households written."""
    from faker import Faker
    from openpyxl import Workbook

    from jingmin.ledger.excel import PERSON_COLUMNS, PERSON_SHEET
    from jingmin.ledger.identifiers import id_check_character

    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    surnames = [fake.last_name() for _ in range(300)]
    givens = [fake.first_name() for _ in range(2000)]
    roads = [fake.street_name() for _ in range(200)]
    used: set[str] = set()
    today = date(2026, 11, 1)

    def id_number(born: date, male: bool) -> str:
        while True:
            seq = rng.randint(0, 499) * 2 + (1 if male else 0)
            first17 = f"330102{born:%Y%m%d}{seq:03d}"
            number = first17 + id_check_character(first17)
            if number not in used:
                used.add(number)
                return number

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(PERSON_SHEET)
    keys = [c.key for c in PERSON_COLUMNS]
    sheet.append([c.header for c in PERSON_COLUMNS])
    written = households = 0
    while written < rows:
        code, street, community = rng.choice(districts)
        households += 1
        address = {
            "district": code,
            "division": f"{street}/{community}",
            "road": rng.choice(roads),
            "number": f"{rng.randint(1, 300)}号",
            "building": f"{rng.randint(1, 12)}栋",
            "unit": f"{rng.randint(1, 4)}单元",
            "room": f"{rng.randint(1, 18)}0{rng.randint(1, 4)}室",
        }
        surname = rng.choice(surnames)
        size = min(rows - written, rng.choice([1, 1, 2, 2, 3, 3, 3, 4, 4, 5]))
        for member in range(size):
            age = rng.randint(30, 85) if member == 0 else rng.randint(1, 80)
            born = today - timedelta(days=age * 365 + rng.randint(0, 364))
            male = rng.random() < 0.5
            relation = "户主" if member == 0 else rng.choice(["配偶", "子女", "子女", "父母", "其他"])
            row = {
                **address,
                "name": surname + rng.choice(givens),
                "sex": "男" if male else "女",
                "id_number": id_number(born, male),
                "phone": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
                "residence": "流动" if rng.random() < 0.15 else "户籍",
                "household": "1",
                "relation": relation,
                "tags": "独居老人"
                if size == 1 and age >= 70
                else ("困难家庭" if rng.random() < 0.03 else ""),
            }
            sheet.append([row.get(k, "") for k in keys])
            written += 1
    workbook.save(path)
    return households


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--url", default=DEFAULT_URL, help="PostgreSQL URL (its name must end in _bench_ledger)"
    )
    parser.add_argument("--rows", type=int, default=100_000, help="person rows in the workbook")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--search-only", action="store_true", help="time the searches over the ledger a previous run left"
    )
    args = parser.parse_args()

    if args.search_only:
        configure(f"sqlite:///{SQLITE_PATH}" if args.database == "sqlite" else args.url)
        import django

        django.setup()
        searches()
        return
    url = fresh_database(args.database, args.url)
    configure(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from jingmin.core.writes import composing
    from jingmin.ledger.models import Address, House, Household, LedgerChange, Person
    from jingmin.org.demo import seed_org
    from jingmin.org.models import Unit, UnitKind

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    with composing():
        org = seed_org(seed=args.seed, size="small")
    bureau = Unit.objects.get(pk=org.bureau.pk)
    districts = []
    for district in Unit.objects.filter(kind=UnitKind.DISTRICT).select_related("parent"):
        station = district.parent.name.removesuffix("派出所") if district.parent else "城关"
        districts.append((district.code, f"{station}街道", f"{district.name[:2]}社区"))
    print(f"database ready ({connection.vendor}) in {time.monotonic() - started:.1f} s")

    path = ROOT / "var" / "bench" / f"ledger-{args.rows}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    households = write_workbook(path, args.rows, districts, args.seed)
    print(
        f"workbook: {args.rows} persons in {households} households, {path.stat().st_size / 1e6:.1f} MB, "
        f"written in {time.monotonic() - started:.1f} s"
    )

    meter = Meter()
    first, first_phases = meter.timed_import(path, bureau)
    assert first.run.state == "done", first.run.error or first.parsed.rejected[:5]
    counts = {
        "addresses": Address.objects.count(),
        "houses": House.objects.count(),
        "households": Household.objects.count(),
        "persons": Person.objects.count(),
        "history rows": LedgerChange.objects.count(),
    }

    second, second_phases = meter.timed_import(path, bureau)
    assert second.run.state == "done"
    assert second.result is not None and second.result.counts["person"]["unchanged"] == args.rows
    assert (
        Person.objects.count() == counts["persons"] and LedgerChange.objects.count() == counts["history rows"]
    )

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print()
    print(
        f"| {vendor}, {args.rows:,} person rows | seconds | rows/s | rows/min | "
        "CPU s: import process | CPU s: its workers | CPU s: database | CPU s per 100k rows |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, phases in (
        ("first import", first_phases),
        ("the same file again (every row found, nothing written)", second_phases),
    ):
        for phase, figures in phases.items():
            total = figures["cpu"] + figures["workers"] + figures["database"]
            print(
                f"| {label}: {phase} | {figures['seconds']:.1f} | {args.rows / figures['seconds']:,.0f} | "
                f"{60 * args.rows / figures['seconds']:,.0f} | {figures['cpu']:.1f} | {figures['workers']:.1f} | "
                f"{figures['database']:.1f} | {total * 100_000 / args.rows:.1f} |"
            )
    print()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
    print()
    print("written: " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))
    searches()


class Meter:
    """Times `imports.import_file` end to end and by phase (reading and checking, writing), with
    the CPU time of this process, of the processes it forks to check rows, and of the database
    server's process serving it (PostgreSQL on this machine: read from /proc)."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection

    def _database_cpu(self) -> float:
        if self.connection.vendor != "postgresql":
            return 0.0
        self.connection.ensure_connection()
        pid = self.connection.connection.info.backend_pid
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _sample(self) -> dict[str, float]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "seconds": time.monotonic(),
            "cpu": time.process_time(),
            "workers": children.ru_utime + children.ru_stime,
            "database": self._database_cpu(),
        }

    def timed_import(self, path: Path, unit: Any) -> tuple[Any, dict[str, dict[str, float]]]:
        from jingmin.ledger import imports

        marks: list[dict[str, float]] = []
        read = imports.read_workbook

        def timed_read(*args: Any, **kwargs: Any) -> Any:
            try:
                return read(*args, **kwargs)
            finally:
                marks.append(self._sample())

        imports.read_workbook = timed_read
        try:
            start = self._sample()
            outcome = imports.import_file(path=path, unit=unit, mode="all-or-nothing")
            end = self._sample()
        finally:
            imports.read_workbook = read
        middle = marks[0]

        def span(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
            return {key: b[key] - a[key] for key in a}

        return outcome, {
            "read and check": span(start, middle),
            "write": span(middle, end),
            "end to end": span(start, end),
        }


def searches(runs: int = 50) -> None:
    """The ledger's searches over what was imported, as a page runs them (first page of 30)."""
    import statistics

    from django.db import connection

    from jingmin.core.paging import BY_ID, keyset_page
    from jingmin.ledger import selectors
    from jingmin.ledger.models import Person
    from jingmin.org.models import User
    from jingmin.org.roles import Role

    def first_page(qs: Any) -> Any:
        return keyset_page(qs, BY_ID, size=selectors.PAGE_SIZE)

    # What autovacuum would do after a load this size: the planner needs the new row counts.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    officer = User.objects.filter(role=Role.OFFICER, unit__kind="district").order_by("pk").first()
    leader = User.objects.filter(role=Role.LEADER).first()
    assert officer is not None and leader is not None
    sample = list(Person.objects.order_by("?")[:runs])

    def timed(make_query: Any) -> tuple[float, float]:
        times = []
        for person in sample:
            started = time.perf_counter()
            make_query(person)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), statistics.quantiles(times, n=20)[18]

    cases = []
    for who, actor in (("officer (one district)", officer), ("leader (bureau)", leader)):
        cases += [
            (
                f"name prefix (surname), {who}",
                lambda p, a=actor: first_page(selectors.person_list(a, selectors.PersonFilters(q=p.name[0]))),
            ),
            (
                f"exact ID number, {who}",
                lambda p, a=actor: first_page(
                    selectors.person_list(a, selectors.PersonFilters(q=p.id_number))
                ),
            ),
            (
                f"exact phone, {who}",
                lambda p, a=actor: first_page(selectors.person_list(a, selectors.PersonFilters(q=p.phone))),
            ),
            (
                f"address text (road name), {who}",
                lambda p, a=actor: first_page(selectors.address_search(a, p.house.address.full_name[-9:-5])),
            ),
            (
                f"person list, no search, {who}",
                lambda p, a=actor: first_page(selectors.person_list(a)),
            ),
        ]
    print()
    print(f"| search over the imported ledger ({runs} runs) | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    for label, make_query in cases:
        p50, p95 = timed(make_query)
        print(f"| {label} | {p50:.1f} | {p95:.1f} |")


def figures(scale: str) -> Iterator[dict[str, Any]]:
    """For `bench/run.py`: this script's report at 3,000 rows (small) or 100,000 (city)."""
    rows = {"small": 3000, "city": 100_000}[scale]
    yield from printed_figures(
        "ledger import", Path(__file__), ["--database", "postgres", "--rows", str(rows)]
    )


if __name__ == "__main__":
    main()
