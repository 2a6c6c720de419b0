"""Word search within one station at a million appeals: the scope as tokens of the search vector,
beside the scope by unit paths it replaced.

Run from the repository root:

    .venv/bin/python bench/appeal_search_bench.py --scale city     # 1,000,000 appeals
    .venv/bin/python bench/appeal_search_bench.py --scale small    # 100,000 appeals

What it does:

1. Creates `jm_search_bench` (dropped first; only a database whose name ends in `_bench`),
   migrates it and loads the city-sized demo organisation (48 stations, 480 police districts).
2. Writes the appeals with SQL `generate_series` inside PostgreSQL, the appeal table's secondary
   indexes dropped and rebuilt after: each appeal in a police district, taken in by its station,
   one in 33 assisted by another district; its text one of a pool of 5,000 made here, in which
   the benchmark's words hold their share of a city's appeals (噪音 in 13%, 户口 6%, 工资 3%,
   井盖 1% ...). The pool's bigram tokens and each district's scope tokens are computed in Python
   by the code the services use (`core.search.index_text`, `org.scope.scope_tokens`).
3. Times the search as a station chief's list runs it (`selectors.appeal_list`, newest 20, model
   instances built), for a word and for a phrase: once as it is, the scope looked up as tokens
   in the GIN index, and once with the scope applied by unit paths as before (the same search
   without tokens, `search_filter` over the scoped queryset), the two taking turns on the same
   requests. Beside each, the database's own execution time of the list's query (EXPLAIN
   ANALYZE), which the waiting for a core on a busy machine inflates less.
4. Drops the database (kept, and reused by the next run, with `JINGMIN_BENCH_KEEP=1`).

`figures(scale)` yields one dict per figure for `bench/run.py`; run as a script it prints them
as JSON lines. The run is niced (`nice -n 10`) when started as a script.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchenv import figure, print_figures, scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jm_search_bench"
SIZES = {"small": 100_000, "city": 1_000_000}
RUNS = {"small": 50, "city": 200}
POOL = 5_000
# The words searched and their share of the appeals (docs/benchmarks.md, "Appeals at a million
# rows"); phrases carry their first word.
WORDS = {"噪音": 0.13, "户口": 0.06, "工资": 0.03, "井盖": 0.01, "漏水": 0.04, "诈骗": 0.03, "停车": 0.05}
PHRASES = {"噪音扰民": "噪音", "拖欠工资": "工资", "户口迁移": "户口"}
FILLER = (
    "楼下商户经营到深夜",
    "小区门口道路破损",
    "希望有关部门尽快处理",
    "多次反映没有结果",
    "影响居民正常生活",
    "请派人到现场查看",
    "附近老人孩子较多",
    "物业表示无权处理",
    "存在安全隐患",
    "已经持续一个多月",
)


def _text_pool(rng: random.Random) -> list[tuple[str, str, str]]:
    """(title, content, address) of POOL appeals, each word in its share of them."""
    pool = []
    for n in range(POOL):
        words = [w for w, share in WORDS.items() if rng.random() < share]
        for phrase, word in PHRASES.items():
            if word in words and rng.random() < 0.3:
                words[words.index(word)] = phrase
        title = ("，".join(words) or rng.choice(FILLER)) + "问题"
        content = "，".join(rng.sample(FILLER, 3) + words) + "。"
        pool.append((title, content, f"幸福路{n % 700}号{n % 13}栋"))
    return pool


def load(rows: int, seed: int) -> None:
    from city import insert
    from django.db import connection

    from jingmin.appeals.models import Appeal, AppealAssist, Category
    from jingmin.core.search import index_text
    from jingmin.org.demo import seed_org
    from jingmin.org.models import Unit, UnitKind, User
    from jingmin.org.roles import Role
    from jingmin.org.scope import scope_tokens

    started = time.perf_counter()
    seed_org(seed=seed, size="city")
    clerk = User.objects.filter(role=Role.CLERK).first()
    leaves = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT).select_related("parent").order_by("id"))
    pool = _text_pool(random.Random(seed))  # noqa: S311 - benchmark data, not secrets
    with connection.cursor() as cur:
        cur.execute(
            "CREATE UNLOGGED TABLE bench_district (n int PRIMARY KEY, id int, path text, parent_id int, "
            "parent_path text, tokens text)"
        )
        with cur.copy("COPY bench_district FROM STDIN") as copy:
            for n, d in enumerate(districts):
                station = d.parent.path if d.parent else ""  # every police district has its station
                copy.write_row(
                    (n, d.id, d.path, d.parent_id, station, " ".join(scope_tokens(d.path, station)))
                )
        cur.execute(
            "CREATE UNLOGGED TABLE bench_text (n int PRIMARY KEY, title text, content text, address text, tokens text)"
        )
        with cur.copy("COPY bench_text FROM STDIN") as copy:
            for n, (title, content, address) in enumerate(pool):
                copy.write_row((n, title, content, address, index_text(title, content, address)))
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'appeals_appeal' "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        count = len(districts)
        received = f"timestamptz '2026-01-01 00:00+08' + (g::float / {rows} * 365) * interval '1 day'"
        assisted = "g % 33 = 0"
        cur.execute(
            insert(
                Appeal,
                f"generate_series(1::bigint, {rows}) AS g JOIN bench_district b ON b.n = (g * 7919) % {count} "
                f"JOIN bench_district x ON x.n = (g * 31 + 1) % {count} JOIN bench_text t ON t.n = (g * 104729) % {POOL}",
                {
                    "tracking_code": "'S' || lpad(g::text, 11, '0')",
                    "channel": "'phone'",
                    "type": "'complaint'",
                    "category_id": f"(ARRAY[{','.join(map(str, leaves))}])[1 + (g * 31) % {len(leaves)}]",
                    "urgency": "'general'",
                    "title": "t.title",
                    "content": "t.content",
                    "address": "t.address",
                    "citizen_phone_hash": "md5(g::text)",
                    "received_at": received,
                    "created_at": received,
                    "created_by_id": str(clerk.pk) if clerk else "NULL",
                    "intake_unit_id": "b.parent_id",
                    "intake_unit_path": "b.parent_path",
                    "accountable_unit_id": "b.id",
                    "unit_id": "b.id",
                    "unit_path": "b.path",
                    "dispatcher_unit_id": "b.parent_id",
                    "state": "'archived'",
                    "is_open": "false",
                    "result": "'solved'",
                    "search_tokens": "t.tokens",
                    "scope_tokens": f"b.tokens || CASE WHEN {assisted} THEN ' ' || x.tokens ELSE '' END",
                },
            )
        )
        cur.execute(
            insert(
                AppealAssist,
                f"appeals_appeal a CROSS JOIN LATERAL (SELECT substr(a.tracking_code, 2)::bigint AS g) s "
                f"JOIN bench_district x ON x.n = (s.g * 31 + 1) % {count} WHERE s.g % 33 = 0",
                {"appeal_id": "a.id", "unit_id": "x.id", "unit_path": "x.path", "added_at": "a.received_at"},
            )
        )
        print(
            f"# {rows:,} appeals written: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True
        )
        cur.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cur.execute(definition)
        cur.execute("VACUUM (ANALYZE) appeals_appeal")
        cur.execute("VACUUM (ANALYZE) appeals_appealassist")
    print(f"# indexed and analysed: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


def measure(runs: int, seed: int) -> Iterator[dict[str, Any]]:
    from django.db import connection

    from jingmin.appeals import selectors
    from jingmin.appeals.models import Appeal
    from jingmin.core.search import search_filter
    from jingmin.org.models import User
    from jingmin.org.roles import Role
    from jingmin.org.scope import Scope

    chiefs = list(User.objects.filter(role=Role.CHIEF, unit__kind="station").select_related("unit"))

    def tokens(chief: User, q: str) -> Any:
        filters = selectors.AppealFilters(q=q)
        return selectors.appeal_list(actor=chief, filters=filters).order_by("-received_at", "-id")[:20]

    def paths(chief: User, q: str) -> Any:
        # The search as it ran before the tokens: the scope's three arms by unit path, then the words.
        scoped = selectors._in_scope(Appeal.objects.select_related("category", "unit"), Scope.of(chief))
        return search_filter(scoped, q, fields=selectors.SEARCH_FIELDS).order_by("-received_at", "-id")[:20]

    ways = {"scope as tokens": tokens, "scope by unit paths, before": paths}

    def executed(qs: Any) -> float:
        """The database's own time for the list's query (EXPLAIN ANALYZE, timing off)."""
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql, params)
            return float(cursor.fetchone()[0][0]["Execution Time"])

    def timed(terms: list[str]) -> dict[str, tuple[list[float], list[float], list[int]]]:
        # The two ways take turns on the same requests, so that the load of the moment falls on both.
        rng = random.Random(seed)  # noqa: S311 - benchmark parameters
        for make in ways.values():
            for _ in range(5):
                list(make(rng.choice(chiefs), rng.choice(terms)))
        out: dict[str, tuple[list[float], list[float], list[int]]] = {w: ([], [], []) for w in ways}
        for _ in range(runs):
            chief, q = rng.choice(chiefs), rng.choice(terms)
            for way, make in ways.items():
                start = time.perf_counter()
                qs = make(chief, q)
                got = list(qs)
                out[way][0].append((time.perf_counter() - start) * 1000)
                out[way][1].append(executed(qs))
                out[way][2].append(len(got))
        return out

    for label, terms in (("2 characters", list(WORDS)), ("4 characters", list(PHRASES))):
        for way, (times, database, rows) in timed(terms).items():
            name = f"appeal search, {label}, one station, newest 20 ({way})"
            yield figure(name, times, rows_mean=round(statistics.fmean(rows), 1))
            yield figure(f"{name}: the list's query in the database", database)


def figures(scale: str) -> Iterator[dict[str, Any]]:
    """Load a fresh database of the scale's size, yield the figures, drop the database."""
    with scratch_database(os.environ.get("JINGMIN_SEARCH_BENCH_URL", DEFAULT_URL)) as kept:
        if not kept:
            load(SIZES[scale], seed=7)
        yield from measure(RUNS[scale], seed=7)


def main() -> None:
    print_figures(figures, __doc__.split("\n")[0])


if __name__ == "__main__":
    main()
