"""A city-year in PostgreSQL, for the benchmarks that read a whole city (indicators, early warning).

`ensure(scale)` points Django at the scale's own database and makes sure it holds the data, loading
it if not:

- `city`: a million appeals with five events each, a follow-up for three in five, a ledger of
  300,000 households (two residents each), a million visits with family news on one in twenty,
  24,000 disputes with their parties and events; database `jm_city_bench`.
- `small`: the same shapes at 2 % (20,000 appeals), for a run of a few minutes; `jm_city_small_bench`.

The organisation is the demo's city (`org.demo.seed_org(size="city")`: a bureau, 8 branches, 48
stations, 480 police districts). Every row is written by `INSERT … SELECT` over `generate_series`
inside PostgreSQL (no row passes through Python), as for any bulk load with the tables' secondary
indexes dropped first and rebuilt after, and foreign-key triggers off in the loading session (the
rows are consistent by construction). Columns the bench does not choose take their model default.

Spread: the year ends at the load's midnight (Asia/Shanghai); appeals arrive between 08:00 and
21:00, police districts and categories are drawn unevenly (a power law over a hash of the row
number, so a few districts and categories carry much of the load, as in a real city), appeals of
the last five days are still open, one caller in a hundred calls again within days, one appeal in
fifty carries a risk word (a quarter of those negated). The database is reused while its marker
table (`bench_city`) says it holds the scale's size; `reload=True` drops and loads it again.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from benchenv import configure, database_name, postgres_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "postgres://postgres@127.0.0.1:5432"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Size:
    database: str
    appeals: int
    households: int
    visits: int
    disputes: int


SIZES = {
    "small": Size("jm_city_small_bench", appeals=20_000, households=6_000, visits=20_000, disputes=500),
    "city": Size("jm_city_bench", appeals=1_000_000, households=300_000, visits=1_000_000, disputes=24_000),
}

# The tables the load fills; their secondary indexes are dropped for the load and rebuilt after.
TABLES = (
    "appeals_appeal",
    "appeals_appealevent",
    "appeals_followup",
    "ledger_address",
    "ledger_house",
    "ledger_household",
    "ledger_person",
    "visits_visit",
    "visits_visititem",
    "visits_householdcover",
    "disputes_dispute",
    "disputes_party",
    "disputes_disputeevent",
)

TITLES = (
    "楼上装修噪音扰民",
    "小区门口车辆乱停",
    "路灯损坏无人维修",
    "邻居养狗不拴绳",
    "夜市烧烤油烟扰民",
    "电动车楼道充电",
    "出租屋人员复杂",
    "学校门口交通拥堵",
    "物业拖欠维修",
    "广场舞音响太大",
    "户口迁移咨询",
    "接到疑似诈骗电话",
)
PHRASES = (
    "已经反映过多次",
    "希望民警帮忙处理",
    "影响老人孩子休息",
    "晚上十点以后还在继续",
    "请尽快解决",
    "东门小区三栋",
    "我是附近的居民",
    "物业说管不了",
    "白天上班晚上休息不好",
    "谢谢",
)
RISK = ("打架", "报复", "轻生", "煤气罐", "讨薪", "家暴", "聚集", "砍人", "跳楼", "炸药")
NEWS = ("hardship", "birth", "illness", "move_in", "death", "employment", "marriage", "schooling")


@dataclass(frozen=True)
class City:
    scale: str
    database: str
    appeals: int
    events: int
    follow_ups: int
    households: int
    visits: int
    disputes: int
    ends: datetime  # the end of the generated year: "now" for what reads the present

    def size_note(self) -> str:
        return (
            f"{self.appeals:,} appeals, {self.events:,} events, {self.follow_ups:,} follow-ups, "
            f"{self.households:,} households, {self.visits:,} visits, {self.disputes:,} disputes"
        )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def literal(field: Any) -> str:
    """The SQL of a column's model default (or NULL), for the columns the bench leaves alone."""
    from django.db import models

    if field.null:
        return "NULL"
    default = field.get_default()
    if isinstance(field, models.JSONField):
        return f"'{json.dumps(default or {})}'::jsonb"
    if isinstance(field, models.BooleanField):
        return "true" if default else "false"
    if isinstance(field, models.DateTimeField):
        return "now()"
    if isinstance(field, models.DateField):
        return "current_date"
    if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
        return str(default or 0)
    return "''" if default in (None, "") else f"'{default}'"


def insert(model: Any, source_sql: str, chosen: dict[str, str]) -> str:
    """INSERT INTO the model's table SELECT … FROM `source_sql`, every column filled."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        values.append(chosen.get(field.column, literal(field)))
    # The bench's own SQL, built from the models' column names and its own expressions: no input.
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source_sql}"  # noqa: S608


def _skewed(seed_sql: str, n: int, power: float) -> str:
    """A whole number in [0, n) drawn unevenly from a hash of `seed_sql`: low numbers often."""
    return f"least({n - 1}, floor({n} * power((({seed_sql}) % 1000003)::float / 1000003, {power}))::int)"


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
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


def _step(cursor: Any, what: str, sql: str, started: float) -> None:
    t = time.perf_counter()
    cursor.execute(sql)
    log(
        f"  {what}: {cursor.rowcount:,} rows in {time.perf_counter() - t:.0f} s ({time.perf_counter() - started:.0f} s)"
    )


def load(size: Size, ends: datetime) -> None:
    from django.db import connection

    from jingmin.appeals.models import Appeal, AppealEvent, Category, FollowUp
    from jingmin.core.writes import composing
    from jingmin.disputes.models import Dispute, DisputeEvent, Party
    from jingmin.ledger.models import Address, House, Household, Person
    from jingmin.org.demo import seed_org
    from jingmin.org.models import UnitKind, User
    from jingmin.org.roles import Role
    from jingmin.visits.models import Visit, VisitItem

    started = time.perf_counter()
    with composing():
        seed_org(seed=1, size="city")
    log(f"organisation: {time.perf_counter() - started:.0f} s")
    leaves = list(Category.objects.filter(parent__isnull=False).order_by("pk").values_list("pk", flat=True))
    clerk = User.objects.filter(role=Role.CLERK).order_by("pk").first()
    creator = str(clerk.pk) if clerk else "NULL"
    n = size.appeals
    start = ends - timedelta(days=365)
    start_sql = f"timestamptz '{start.isoformat()}'"
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '1GB'")
        indexes = _secondary_indexes(cur)
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        log(f"dropped {len(indexes)} secondary indexes for the load")
        # The districts numbered 0..n-1 with one officer each, for the generators to pick from.
        cur.execute("DROP TABLE IF EXISTS bench_district")
        cur.execute(
            "CREATE UNLOGGED TABLE bench_district AS SELECT row_number() OVER (ORDER BY u.id) - 1 AS n, "
            "u.id, u.path, u.parent_id, p.path AS parent_path, (SELECT min(x.id) FROM org_user x "
            "WHERE x.unit_id = u.id AND x.role = %s) AS officer FROM org_unit u JOIN org_unit p "
            "ON p.id = u.parent_id WHERE u.kind = %s",
            [Role.OFFICER, UnitKind.DISTRICT],
        )
        cur.execute("CREATE UNIQUE INDEX ON bench_district (n)")
        cur.execute("SELECT count(*) FROM bench_district")
        districts = cur.fetchone()[0]
        day = f"floor((g - 1)::float * 365 / {n})"
        minute = "((g * 7793) % 780)"
        received = (
            f"({start_sql} + {day} * interval '1 day' + interval '8 hours' + {minute} * interval '1 minute')"
        )
        is_open = f"(g > {n} - {max(1, n * 5 // 365)})"
        cats = "ARRAY[" + ",".join(map(str, leaves)) + "]"
        risk = (
            f"CASE WHEN g % 50 = 0 THEN '，' || CASE WHEN g % 200 = 0 THEN '他说没有' ELSE '对方扬言' END "
            f"|| ({array(RISK)})[1 + (g / 50) % {len(RISK)}] ELSE '' END"
        )
        content = (
            f"({array(TITLES)})[1 + (g * 7) % {len(TITLES)}] || '，' || ({array(PHRASES)})[1 + (g * 3) % "
            f"{len(PHRASES)}] || {risk} || '，' || ({array(PHRASES)})[1 + (g * 11) % {len(PHRASES)}] || '。'"
        )
        _step(
            cur,
            "appeals",
            insert(
                Appeal,
                f"generate_series(1::bigint, {n}) AS g JOIN bench_district b ON b.n = "
                + _skewed("g * 7919", districts, 1.4),
                {
                    "tracking_code": "'B' || lpad(g::text, 11, '0')",
                    "channel": "(ARRAY['phone','phone','phone','web','wechat','walk_in'])[1 + g % 6]",
                    "type": "(ARRAY['help','complaint','report','enquiry'])[1 + g % 4]",
                    "category_id": f"({cats})[1 + {_skewed('g * 104729', len(leaves), 2.0)}]",
                    "urgency": "'general'",
                    "title": f"({array(TITLES)})[1 + (g * 7) % {len(TITLES)}]",
                    "content": content,
                    # Most addresses come up once or twice a year; one appeal in a hundred is a
                    # neighbour of a few others the same week.
                    "address": "CASE WHEN g % 100 = 1 THEN '基准路集中' || (g / 700)::text || '号' "
                    "ELSE '基准路' || ((g * 13) % 600000)::text || '号' END",
                    "citizen_phone_hash": "CASE WHEN g % 100 = 0 THEN md5('r' || (g / 500)::text) "
                    "ELSE md5(((g * 17) % 500000)::text) END",
                    "received_at": received,
                    "created_at": received,
                    "created_by_id": creator,
                    "district_id": "b.id",
                    "intake_unit_id": "b.parent_id",
                    "intake_unit_path": "b.parent_path",
                    "accountable_unit_id": "b.parent_id",
                    "unit_id": "b.id",
                    "unit_path": "b.path",
                    "dispatcher_unit_id": "b.parent_id",
                    "handler_id": "b.officer",
                    "state": f"CASE WHEN {is_open} THEN 'handling' WHEN g % 50 = 0 THEN 'merged' "
                    "WHEN g % 40 = 0 THEN 'rejected' ELSE 'archived' END",
                    "is_open": is_open,
                    "sign_by": f"{received} + interval '2 hours'",
                    "signed_at": f"{received} + (CASE WHEN g % 10 = 0 THEN 3 ELSE 1 END) * interval '1 hour'",
                    "contact_by": f"{received} + interval '24 hours'",
                    "contacted_at": f"{received} + (CASE WHEN g % 12 = 0 THEN 30 ELSE 5 END) * interval '1 hour'",
                    "conclude_by": f"{received} + interval '7 days'",
                    "due_at": f"CASE WHEN {is_open} THEN {received} + interval '7 days' END",
                    "concluded_at": f"CASE WHEN NOT {is_open} THEN {received} + "
                    "(CASE WHEN g % 9 = 0 THEN 9 ELSE 3 END) * interval '1 day' END",
                    "result": f"CASE WHEN {is_open} THEN '' ELSE 'solved' END",
                    "handoffs": "(g % 7 = 0)::int + (g % 23 = 0)::int",
                    "search_tokens": "''",
                },
            ),
            started,
        )
        _step(
            cur,
            "events",
            insert(
                AppealEvent,
                "appeals_appeal a CROSS JOIN generate_series(1, 5) AS s",
                {
                    "appeal_id": "a.id",
                    "seq": "s",
                    "action": "(ARRAY['register','dispatch','sign','contact','conclude'])[s]",
                    "from_state": "(ARRAY['','submitted','dispatched','signed','handling'])[s]",
                    "to_state": "(ARRAY['submitted','dispatched','signed','handling','concluded'])[s]",
                    "at": "a.received_at + s * interval '1 hour'",
                    "actor_id": "a.handler_id",
                    "unit_id": "a.unit_id",
                },
            ),
            started,
        )
        _step(
            cur,
            "follow-ups",
            insert(
                FollowUp,
                "appeals_appeal a WHERE NOT a.is_open AND a.id % 5 < 3",
                {
                    "appeal_id": "a.id",
                    "round": "1",
                    "due_at": "a.concluded_at + interval '1 day'",
                    "token_hash": "md5('f' || a.id::text)",
                    "token_expires_at": "a.concluded_at + interval '30 days'",
                    "answered_at": "a.concluded_at + interval '1 day'",
                    "channel": "'phone'",
                    "resolved": "a.id % 11 <> 0",
                    "satisfaction": "(ARRAY[5,5,4,4,4,3,3,2,1,5])[1 + a.id % 10]",
                    "review": "CASE WHEN a.id % 10 = 8 THEN 'unreasonable' ELSE '' END",
                },
            ),
            started,
        )
        h = size.households
        _step(
            cur,
            "addresses",
            insert(
                Address,
                f"generate_series(1::bigint, {h}) AS g JOIN bench_district b ON b.n = "
                + _skewed("g * 6007", districts, 1.2),
                {
                    "kind": "'number'",
                    "name": "g::text || '号'",
                    "full_name": "'基准路' || g::text || '号'",
                    "path": "lpad(g::text, 10, '0') || '/'",
                    "district_id": "b.id",
                    "district_path": "b.path",
                    "search_tokens": "''",
                },
            ),
            started,
        )
        _step(
            cur,
            "houses",
            insert(
                House,
                "ledger_address a",
                {"address_id": "a.id", "district_id": "a.district_id", "district_path": "a.district_path"},
            ),
            started,
        )
        _step(
            cur,
            "households",
            insert(
                Household,
                "ledger_house h",
                {
                    "house_id": "h.id",
                    "number": "'1'",
                    "district_id": "h.district_id",
                    "district_path": "h.district_path",
                },
            ),
            started,
        )
        _step(
            cur,
            "persons",
            insert(
                Person,
                "ledger_household h CROSS JOIN generate_series(1, 2) AS s",
                {
                    "name": "'居民' || s::text",
                    "household_id": "h.id",
                    "house_id": "h.house_id",
                    "relation": "CASE WHEN s = 1 THEN 'head' ELSE 'spouse' END",
                    "district_id": "h.district_id",
                    "district_path": "h.district_path",
                },
            ),
            started,
        )
        cur.execute("SELECT min(id), count(*) FROM ledger_household")
        first, n_households = cur.fetchone()
        v = size.visits
        visited = (
            f"({start_sql} + floor((g - 1)::float * 365 / {v}) * interval '1 day' + interval '9 hours' "
            "+ ((g * 4241) % 600) * interval '1 minute')"
        )
        _step(
            cur,
            "visits",
            insert(
                Visit,
                f"generate_series(1::bigint, {v}) AS g JOIN ledger_household x ON x.id = {first} + "
                + _skewed("g * 7907", n_households, 1.3)
                + " JOIN bench_district b ON b.id = x.district_id",
                {
                    "kind": "'household'",
                    "household_id": "x.id",
                    "officer_id": "b.officer",
                    "unit_id": "x.district_id",
                    "district_id": "x.district_id",
                    "district_path": "x.district_path",
                    "visited_at": visited,
                    "summary": "CASE WHEN g % 97 = 0 THEN '入户走访，邻居说要报复' ELSE '入户走访，家中情况正常' END",
                    "created_at": visited,
                },
            ),
            started,
        )
        _step(
            cur,
            "family news",
            insert(
                VisitItem,
                "visits_visit v WHERE v.id % 20 = 0",
                {
                    "visit_id": "v.id",
                    "kind": f"({array(NEWS)})[1 + (v.id / 20) % {len(NEWS)}]",
                    "text": "'家中近况'",
                    "created_at": "v.visited_at",
                },
            ),
            started,
        )
        _step(
            cur,
            "coverage",
            "INSERT INTO visits_householdcover (household_id, visited_at) "
            "SELECT household_id, max(visited_at) FROM visits_visit WHERE household_id IS NOT NULL "
            "AND NOT withdrawn GROUP BY household_id",
            started,
        )
        d = size.disputes
        occurred = (
            f"({start_sql} + floor((g - 1)::float * 365 / {d}) * interval '1 day' + interval '10 hours')"
        )
        dispute_open = f"(g > {d} - {max(1, d // 10)})"
        _step(
            cur,
            "disputes",
            insert(
                Dispute,
                f"generate_series(1::bigint, {d}) AS g JOIN bench_district b ON b.n = "
                + _skewed("g * 3571", districts, 1.4),
                {
                    "number": "'JF' || lpad(g::text, 10, '0')",
                    "title": "(ARRAY['邻里噪音纠纷','拖欠工资纠纷','婚姻家庭纠纷','物业费纠纷','土地边界纠纷'])[1 + g % 5]",
                    "description": "CASE WHEN g % 40 = 0 THEN '双方争执，一方扬言报复' ELSE '双方各执一词，需调解' END",
                    "occurred_at": occurred,
                    "place": "'基准路' || g::text || '号'",
                    "district_id": "b.id",
                    "district_path": "b.path",
                    "type": "(ARRAY['neighbours','wages','marriage','property','land'])[1 + g % 5]",
                    "people_involved": "2 + g % 5",
                    "grade": "(ARRAY['blue','blue','blue','yellow','yellow','orange','red'])[1 + g % 7]",
                    # Most open disputes within their deadline, one in three past it.
                    "deadline": f"CASE WHEN {dispute_open} AND g % 3 <> 0 THEN timestamptz '{ends.isoformat()}' "
                    f"+ interval '10 days' ELSE {occurred} + interval '15 days' END",
                    "state": f"CASE WHEN {dispute_open} THEN (ARRAY['found','mediating'])[1 + g % 2] "
                    "ELSE (ARRAY['resolved','resolved','resolved','contained'])[1 + g % 4] END",
                    "is_open": dispute_open,
                    "officer_id": "b.officer",
                    "closed_at": f"CASE WHEN NOT {dispute_open} THEN {occurred} + interval '12 days' END",
                    "source": "'screening'",
                    "created_by_id": "b.officer",
                    "created_at": occurred,
                },
            ),
            started,
        )
        _step(
            cur,
            "parties",
            insert(
                Party,
                "disputes_dispute x CROSS JOIN generate_series(1, 2) AS s",
                {
                    "dispute_id": "x.id",
                    "role": "'party'",
                    "name": "'当事人' || s::text",
                    # One dispute in fifty shares a party with the one before it.
                    "phone_hash": "md5('p' || CASE WHEN s = 2 AND x.id % 50 = 0 THEN (x.id - 1)::text || '-1' "
                    "ELSE x.id::text || '-' || s::text END)",
                },
            ),
            started,
        )
        _step(
            cur,
            "dispute events",
            insert(
                DisputeEvent,
                "disputes_dispute x CROSS JOIN generate_series(1, 2) AS s WHERE s = 1 OR x.id % 20 = 0",
                {
                    "dispute_id": "x.id",
                    "seq": "s",
                    "action": "CASE WHEN s = 1 THEN 'register' ELSE 'regrade' END",
                    "to_state": "'found'",
                    "from_grade": "CASE WHEN s = 1 THEN '' ELSE 'blue' END",
                    "to_grade": "CASE WHEN s = 1 THEN 'blue' ELSE x.grade END",
                    "at": "x.occurred_at + s * interval '1 hour'",
                    "actor_id": "x.officer_id",
                },
            ),
            started,
        )
        cur.execute("DROP TABLE bench_district")
        t = time.perf_counter()
        for _name, definition in indexes:
            cur.execute(definition)
        log(f"rebuilt {len(indexes)} indexes in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        for table in (*TABLES, "org_unit", "org_user"):
            cur.execute(f'VACUUM (ANALYZE) "{table}"')
        log(f"VACUUM ANALYZE in {time.perf_counter() - t:.0f} s")
        cur.execute("SET session_replication_role = origin")
    log(f"loaded in {time.perf_counter() - started:.0f} s")


def _marker(cursor: Any) -> dict[str, Any] | None:
    cursor.execute("SELECT to_regclass('bench_city')")
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute("SELECT facts FROM bench_city")
    row = cursor.fetchone()
    if not row:
        return None
    # Django's connection reads jsonb as text (its JSONField decodes it).
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]


def ensure(scale: str, *, reload: bool = False) -> City:
    """Point Django at the scale's database, load it unless it holds the scale's city, and
    describe what it holds. Call before anything imports Django's models."""
    size = SIZES[scale]
    url = os.environ.get("JINGMIN_BENCH_CITY_URL") or f"{SERVER}/{size.database}"
    if not database_name(url).endswith("_bench"):
        raise SystemExit(f"refusing to use {database_name(url)!r}: only a database whose name ends in _bench")
    postgres_database(url, fresh=reload)
    configure(url)
    os.environ.setdefault("JINGMIN_STATIC_MANIFEST", "0")  # pages rendered without collectstatic
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    wanted = {"appeals": size.appeals, "visits": size.visits, "disputes": size.disputes}
    with connection.cursor() as cur:
        facts = _marker(cur)
    if facts is None or any(facts.get(k) != v for k, v in wanted.items()):
        connections.close_all()
        postgres_database(url, fresh=True)
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        log(f"migrated in {time.perf_counter() - t:.0f} s")
        ends = datetime.now(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
        load(size, ends)
        # Written in bulk, past the services that keep the indicators' roll-ups: counted once, as
        # after a bulk load in production, so the dashboards are measured as they run there.
        from jingmin.metrics import rollup

        log(f"indicator roll-ups counted in {rollup.rebuild():.0f} s")
        with connection.cursor() as cur:
            cur.execute(
                "SELECT (SELECT count(*) FROM appeals_appealevent), (SELECT count(*) FROM appeals_followup), "
                "(SELECT count(*) FROM ledger_household)"
            )
            events, follow_ups, households = cur.fetchone()
            facts = {**wanted, "events": events, "follow_ups": follow_ups, "households": households}
            facts["ends"] = ends.isoformat()
            cur.execute("CREATE TABLE bench_city (facts jsonb NOT NULL)")
            cur.execute("INSERT INTO bench_city VALUES (%s::jsonb)", [json.dumps(facts)])
    else:
        call_command("migrate", verbosity=0)
    return City(
        scale=scale,
        database=database_name(url),
        appeals=facts["appeals"],
        events=facts["events"],
        follow_ups=facts["follow_ups"],
        households=facts["households"],
        visits=facts["visits"],
        disputes=facts["disputes"],
        ends=datetime.fromisoformat(facts["ends"]),
    )


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SIZES), default="small")
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    city = ensure(args.scale, reload=args.reload)
    log(f"{city.database}: {city.size_note()}; the year ends {city.ends:%Y-%m-%d %H:%M %Z}")
