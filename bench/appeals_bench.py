"""Appeals at a million rows on PostgreSQL: worklists, queues, supervision, search, registration.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jingmin_bench \\
        .venv/bin/python bench/appeals_bench.py --rows 1000000

What it does:

1. Creates the database named in DATABASE_URL if it is missing (through the server's `postgres`
   database), then runs Django's `migrate` on it. Settings are read from the environment as
   always; this script only fills in bench-only keys and DEBUG off (no query log) when unset.
2. Unless the database already holds the organisation and at least `--rows` appeals, it drops and
   recreates the database (only a database whose name ends in `_bench`), migrates, loads a
   city-sized organisation (`org.demo.seed_org(size="city")`) and `--rows` appeals made by the
   demo generator (`appeals.demo`, the code behind `seed_demo`), streamed with COPY by two
   worker processes. As for any bulk load, the appeal tables' secondary indexes are dropped
   before and rebuilt after, and foreign-key triggers are off in the loading sessions (the
   generator's rows are consistent by construction; the tests check that).
3. VACUUM ANALYZE, then `--runs` timed runs of each read with random realistic parameters, and of
   `services.appeal_register` (one durable registration with its event and audit rows).
4. Prints a Markdown table (p50, p95, mean, max in ms) and the EXPLAIN ANALYZE of the slowest read.

`--reload` forces a fresh load; `--seed` changes the year.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchenv import configure, database_name, figure, postgres_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jingmin_bench"
TABLES = ("appeals_appeal", "appeals_appealevent", "appeals_followup", "appeals_appealassist")
WORKERS = 2
# Common two-character words of the appeals and four-character phrases (GUIDE, "Measured facts").
WORDS = (
    "噪音",
    "漏水",
    "诈骗",
    "停车",
    "纠纷",
    "路灯",
    "工资",
    "户口",
    "走失",
    "赌博",
    "充电",
    "物业",
    "井盖",
    "拥堵",
)
PHRASES = (
    "噪音扰民",
    "电信诈骗",
    "车辆违停",
    "邻里纠纷",
    "拖欠工资",
    "火灾隐患",
    "非法集资",
    "户口迁移",
    "服务态度",
)


def create_database(url: str, *, fresh: bool) -> None:
    name = database_name(url)
    if fresh and not name.endswith("_bench"):
        raise SystemExit(f"refusing to drop {name!r}: only a database whose name ends in _bench is reloaded")
    postgres_database(url, fresh=fresh)


# ---------------------------------------------------------------------------------------------
# Loading


@dataclass
class _Load:
    """What the worker processes inherit from the parent through fork."""

    world: Any = None
    plan: Any = None
    now: datetime | None = None
    first_id: int = 1
    seed: int = 0
    # Fernet tokens already made in this process, by plain value.
    cache: dict[str, str] = field(default_factory=dict)


_load = _Load()


def _copy_rows(
    cursor: Any, model: Any, rows: Iterable[dict[str, Any]], *, with_id: bool, cache: dict[str, str]
) -> int:
    """COPY rows (keyed by attribute name) into the model's table, preparing values as the ORM would
    for the two field kinds that need it: encrypted text and JSON."""
    from django.db.models import JSONField

    from jingmin.core.crypto import EncryptedTextField

    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    plain = [f.attname for f in fields if not isinstance(f, EncryptedTextField | JSONField)]
    encrypted = [f for f in fields if isinstance(f, EncryptedTextField)]
    as_json = [f.attname for f in fields if isinstance(f, JSONField)]
    order = [f.attname for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    n = 0
    # Columns in the order of `order`, prepared per kind: plain values as they are, encrypted text
    # through the field's own get_prep_value (one Fernet token per distinct value: a caller's
    # phone repeats across appeals), JSON as text.
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            # A column the generator does not set (added after it was written) takes its default.
            row = {**defaults, **row}
            values = {name: row[name] for name in plain}
            for f in encrypted:
                value = row[f.attname]
                if value:
                    token = cache.get(value)
                    if token is None:
                        token = cache[value] = f.get_prep_value(value)
                    value = token
                values[f.attname] = value
            for name in as_json:
                values[name] = json.dumps(row[name], ensure_ascii=False)
            copy.write_row([values[name] for name in order])
            n += 1
    return n


def _load_chunk(chunk: int) -> tuple[int, int, int, int]:
    from django.db import connection

    from jingmin.appeals.demo import generate_chunk
    from jingmin.appeals.models import Appeal, AppealAssist, AppealEvent, FollowUp

    cache = _load.cache
    batch = generate_chunk(
        _load.world,
        _load.plan,
        chunk,
        seed=_load.seed,
        now=_load.now or datetime.now(UTC),
        first_id=_load.first_id,
    )
    with connection.cursor() as cursor:
        # Foreign keys are not checked row by row during the load (the rows are consistent by
        # construction); a commit need not wait for the disk, the load is repeated if it fails.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
        counts = (
            _copy_rows(cursor, Appeal, batch.appeals, with_id=True, cache=cache),
            _copy_rows(cursor, AppealEvent, batch.events, with_id=False, cache=cache),
            _copy_rows(cursor, FollowUp, batch.follow_ups, with_id=False, cache=cache),
            _copy_rows(cursor, AppealAssist, batch.assists, with_id=False, cache=cache),
        )
    return counts


def _secondary_indexes() -> list[tuple[str, str]]:
    """(name, definition) of the indexes of the appeal tables that back no constraint."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.tablename, i.indexname
            """,
            [list(TABLES)],
        )
        return list(cursor.fetchall())


def load(*, rows: int, seed: int) -> None:
    from django.core.management.color import no_style
    from django.db import connection, connections

    from jingmin.appeals.demo import CHUNK, demo_world, schedule
    from jingmin.appeals.models import Appeal
    from jingmin.core.writes import composing
    from jingmin.org.demo import seed_org

    started = time.monotonic()
    with composing():
        org = seed_org(seed=seed, size="city")
    print(
        f"organisation: {len(org.stations)} stations, {len(org.districts)} districts ({time.monotonic() - started:.0f} s)"
    )
    now = datetime.now(UTC).replace(microsecond=0)
    _load.world = demo_world(org, seed=seed, citizens=min(50_000, max(200, rows // 20)))
    _load.plan = schedule(_load.world, seed=seed, count=rows, now=now)
    _load.now, _load.seed, _load.first_id = now, seed, 1
    indexes = _secondary_indexes()
    with connection.cursor() as cursor:
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    print(f"dropped {len(indexes)} secondary indexes for the load")
    connections.close_all()  # each worker opens its own connection after the fork
    chunks = _load.plan.chunks
    totals = [0, 0, 0, 0]
    load_started = time.monotonic()
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        for done, counts in enumerate(pool.imap_unordered(_load_chunk, range(chunks)), start=1):
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
            if done % 20 == 0 or done == chunks:
                rate = totals[0] / (time.monotonic() - load_started)
                print(
                    f"  {totals[0]:>9,} appeals, {totals[1]:>10,} events  ({rate:,.0f} appeals/s)", flush=True
                )
    print(f"loaded {rows:,} appeals in chunks of {CHUNK} ({time.monotonic() - load_started:.0f} s)")
    index_started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in indexes:
            t = time.monotonic()
            cursor.execute(definition)
            print(f"  index {name}: {time.monotonic() - t:.0f} s", flush=True)
        for sql in connection.ops.sequence_reset_sql(no_style(), [Appeal]):
            cursor.execute(sql)
    print(f"rebuilt indexes ({time.monotonic() - index_started:.0f} s)")
    vacuum_started = time.monotonic()
    with connection.cursor() as cursor:
        for table in (*TABLES, "org_unit", "org_user"):
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    print(
        f"VACUUM ANALYZE ({time.monotonic() - vacuum_started:.0f} s); total {time.monotonic() - started:.0f} s"
    )


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Result:
    name: str
    times: list[float]
    rows: list[int]
    sql_times: list[float] | None = None
    slowest: Callable[[], Any] | None = None

    def line(self) -> str:
        ms = sorted(t * 1000 for t in self.times)
        sql = sorted(t * 1000 for t in self.sql_times) if self.sql_times else None
        return (
            f"| {self.name} | {_pct(ms, 50):.1f} | {_pct(ms, 95):.1f} | {statistics.fmean(ms):.1f} | {ms[-1]:.1f} | "
            + (f"{_pct(sql, 50):.1f} | {_pct(sql, 95):.1f} | " if sql else "– | – | ")
            + f"{statistics.fmean(self.rows):.0f} |"
        )

    @property
    def p95(self) -> float:
        return _pct(sorted(self.times), 95)


def _pct(ordered: list[float], pct: int) -> float:
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(name: str, runs: int, make: Callable[[random.Random], Any], seed: int) -> Result:
    """`runs` requests with fresh random parameters, each timed from building the queryset (the
    search decides its plan then) to the last model instance; then the same requests again, timed
    from building to the raw rows of the same SQL (the database's share). A few untimed runs
    first warm the connection. The slowest run's queryset is kept to EXPLAIN it."""
    from django.db import connection

    warm = random.Random(seed + 1)  # noqa: S311 - benchmark parameters, not secrets
    for _ in range(5):
        list(make(warm))
    rng = random.Random(seed)  # noqa: S311
    times: list[float] = []
    rows: list[int] = []
    slowest: tuple[float, Any] = (-1.0, None)
    for _ in range(runs):
        start = time.perf_counter()
        qs = make(rng)
        got = list(qs)
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        rows.append(len(got))
        if elapsed > slowest[0]:
            slowest = (elapsed, qs)
    rng = random.Random(seed)  # noqa: S311 - the same parameters again
    sql_times: list[float] = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            sql, params = make(rng).query.sql_with_params()
            cursor.execute(sql, params)
            cursor.fetchall()
            sql_times.append(time.perf_counter() - start)
    query = slowest[1]
    explain = (lambda: query.explain(analyze=True, buffers=True)) if query is not None else None
    return Result(name, times, rows, sql_times, explain)


def measure(*, runs: int, seed: int) -> list[Result]:
    from django.db.models import Count

    from jingmin.appeals import selectors, services
    from jingmin.appeals.models import Appeal, Category
    from jingmin.org.models import Unit, User
    from jingmin.org.roles import Role

    rng = random.Random(seed)  # noqa: S311 - parameters of a benchmark, not secrets
    district_officers = list(
        User.objects.filter(role=Role.OFFICER, unit__kind="district").select_related("unit")
    )
    # Officers who have work, as the ones opening their list most often do.
    busy_ids = set(
        Appeal.objects.filter(is_open=True, handler__isnull=False)
        .values("handler")
        .annotate(n=Count("id"))
        .filter(n__gt=0)
        .values_list("handler", flat=True)
    )
    busy = [u for u in district_officers if u.pk in busy_ids] or district_officers
    clerks = list(User.objects.filter(role=Role.CLERK, unit__kind="station").select_related("unit"))
    chiefs = list(User.objects.filter(role=Role.CHIEF, unit__kind="station").select_related("unit"))
    leader = User.objects.select_related("unit").get(username="leader")
    print(
        f"parameters: {len(busy)} officers with open work of {len(district_officers)}, {len(clerks)} clerks, "
        f"{len(chiefs)} chiefs, {Unit.objects.filter(kind='station').count()} stations"
    )
    results = [
        timed(
            "my work: an officer's worklist, first 50",
            runs,
            lambda r: selectors.my_work(actor=r.choice(busy))[:50],
            seed,
        ),
        timed(
            "station queue, newest first, first 50",
            runs,
            lambda r: selectors.unit_queue(actor=r.choice(clerks))[:50],
            seed,
        ),
        timed(
            "station queue, open only, first 50",
            runs,
            lambda r: selectors.unit_queue(
                actor=r.choice(clerks), filters=selectors.AppealFilters(open_only=True)
            )[:50],
            seed,
        ),
        timed(
            "supervision: station chief, first 50",
            runs,
            lambda r: selectors.supervision_list(actor=r.choice(chiefs))[:50],
            seed,
        ),
        timed(
            "supervision: bureau leader, first 50",
            runs,
            lambda r: selectors.supervision_list(actor=leader)[:50],
            seed,
        ),
    ]

    def search(
        actor: Callable[[random.Random], User], terms: tuple[str, ...]
    ) -> Callable[[random.Random], Any]:
        def make(r: random.Random) -> Any:
            filters = selectors.AppealFilters(q=r.choice(terms))
            return selectors.appeal_list(actor=actor(r), filters=filters).order_by("-received_at", "-id")[:20]

        return make

    results += [
        timed("search, 2 characters, whole bureau, newest 20", runs, search(lambda r: leader, WORDS), seed),
        timed("search, 4 characters, whole bureau, newest 20", runs, search(lambda r: leader, PHRASES), seed),
        timed(
            "search, 2 characters, one station, newest 20",
            runs,
            search(lambda r: r.choice(chiefs), WORDS),
            seed,
        ),
        timed(
            "search, 4 characters, one station, newest 20",
            runs,
            search(lambda r: r.choice(chiefs), PHRASES),
            seed,
        ),
    ]

    # Registration: realistic texts from the loaded year, entered by a random station clerk.
    samples = list(
        Appeal.objects.order_by("?").values(
            "channel", "type", "category_id", "urgency", "title", "content", "address"
        )[:500]
    )
    categories = {c.pk: c for c in Category.objects.all()}
    phones = [
        f"1{r}{n:08d}"
        for r, n in zip(rng.choices("3456789", k=500), rng.sample(range(10**8), 500), strict=True)
    ]
    times: list[float] = []
    for i in range(runs + 5):
        sample = rng.choice(samples)
        data = services.AppealInput(
            channel=sample["channel"],
            type=sample["type"],
            category=categories[sample["category_id"]],
            urgency=sample["urgency"],
            title=sample["title"],
            content=sample["content"],
            address=sample["address"],
            citizen_name="测试" + str(i),
            citizen_phone=rng.choice(phones),
        )
        clerk = rng.choice(clerks)
        start = time.perf_counter()
        services.appeal_register(actor=clerk, data=data)
        if i >= 5:
            times.append(time.perf_counter() - start)
    results.append(Result("register one appeal (services.appeal_register)", times, [1] * len(times)))
    return results


def describe() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables "
            "WHERE relname = ANY(%s) ORDER BY relname",
            [list(TABLES)],
        )
        sizes = cursor.fetchall()
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    lines = [f"server: {version}", "settings: " + ", ".join(f"{k}={v}" for k, v in settings.items())]
    lines += [f"  {name}: {rows:,} rows, {size}" for name, rows, size in sizes]
    return lines


def prepare(url: str, *, rows: int, seed: int, reload: bool) -> None:
    """Django pointed at `url`, its database migrated and holding at least `rows` appeals."""
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…/jingmin_bench")
    configure(url)
    create_database(url, fresh=False)

    import django

    django.setup()
    from django.core.management import call_command

    from jingmin.appeals.models import Appeal
    from jingmin.org.models import Unit

    call_command("migrate", verbosity=0)
    if reload or not Unit.objects.exists() or Appeal.objects.count() < rows:
        from django.db import connections

        connections.close_all()
        create_database(url, fresh=True)
        call_command("migrate", verbosity=0)
        load(rows=rows, seed=seed)


# small: the quick check's size in a database of its own, so that it never reloads the million.
SCALES = {
    "small": ("postgres://postgres@127.0.0.1:5432/jingmin_small_bench", 20_000, 30),
    "city": (DEFAULT_URL, 1_000_000, 200),
}


def figures(scale: str) -> Iterator[dict[str, Any]]:
    url, rows, runs = SCALES[scale]
    prepare(url, rows=rows, seed=2026, reload=False)
    from jingmin.appeals.models import Appeal

    size = f"{Appeal.objects.count():,} appeals"
    for result in measure(runs=runs, seed=2026):
        sql = [t * 1000 for t in result.sql_times] if result.sql_times else None
        yield figure(
            f"appeals: {result.name}",
            [t * 1000 for t in result.times],
            sql_p50_ms=round(_pct(sorted(sql), 50), 2) if sql else None,
            sql_p95_ms=round(_pct(sorted(sql), 95), 2) if sql else None,
            rows=round(statistics.fmean(result.rows)),
            size=size,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="appeals to load")
    parser.add_argument("--runs", type=int, default=200, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reload", action="store_true", help="drop the database and load it again")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    prepare(url, rows=args.rows, seed=args.seed, reload=args.reload)
    print("\n".join(describe()))
    results = measure(runs=args.runs, seed=args.seed)
    print()
    print(
        f"{args.runs} runs each, times in ms: building the queryset and its model instances; SQL: building it"
        " and fetching the raw rows only"
    )
    print("| what | p50 | p95 | mean | max | SQL p50 | SQL p95 | rows |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.line())
    reads = [r for r in results if r.slowest is not None]
    worst = max(reads, key=lambda r: r.p95)
    print(f"\nEXPLAIN ANALYZE of the slowest run of the read with the highest p95 ({worst.name}):\n")
    assert worst.slowest is not None
    print(worst.slowest())


if __name__ == "__main__":
    main()
