"""The indicators at city-year size on PostgreSQL: every dashboard view and drill-down.

Run from the repository root:

    .venv/bin/python bench/metrics_bench.py --url postgres://postgres@127.0.0.1:5432/jm_metrics_bench

What it does:

1. Unless the database already holds them (or with `--reload`), drops and creates the database
   (only one whose name ends in `_bench`), migrates it, loads the city-sized demo organisation
   (8 branches, 48 stations, 480 police districts, 1,440 officers) and writes, with SQL
   `generate_series` in the database itself (no rows pass through Python): `--appeals` appeals
   over one calendar year (2026) spread over the districts, five events each, a follow-up for
   three in five (a tenth dissatisfied, some reviewed unreasonable), a ledger of one household
   per door with two residents each, and `--visits` visits. Columns the bench does not choose get
   their model default, so the rows satisfy every constraint.
2. ANALYZE, then `--runs` timed requests of each page through Django's test client as the bureau
   leader (the full view: selectors, figures, template), for a month and, for the bureau, a year.
3. Prints a Markdown table (p50, p95, max in ms) for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchenv import configure, database_name, postgres_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jm_metrics_bench"


def literal(field: Any) -> str:
    """The SQL of a column's model default (or NULL), for the columns the bench leaves alone."""
    from django.db import models

    if field.null:
        return "NULL"
    default = field.get_default()
    if isinstance(field, models.JSONField):
        return "'{}'::jsonb" if not default else f"'{default!r}'::jsonb".replace("'{", "'{").replace('"', '"')
    if isinstance(field, models.BooleanField):
        return "true" if default else "false"
    if isinstance(field, (models.DateTimeField,)):
        return "now()"
    if isinstance(field, models.DateField):
        return "current_date"
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return str(default or 0)
    return "''" if default in (None, "") else f"'{default}'"


def insert(model: Any, count_sql: str, chosen: dict[str, str]) -> str:
    """INSERT INTO the model's table SELECT … FROM `count_sql`, every column filled."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        values.append(chosen.get(field.column, literal(field)))
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {count_sql}"


def load(appeals: int, visits: int) -> None:
    from django.db import connection

    from jingmin.appeals.models import Appeal, AppealEvent, Category, FollowUp
    from jingmin.ledger.models import Address, House, Household, Person
    from jingmin.org.demo import seed_org
    from jingmin.org.models import Unit, UnitKind, User
    from jingmin.org.roles import Role
    from jingmin.visits.models import Visit

    started = time.perf_counter()
    seed_org(seed=1, size="city")
    leaves = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    clerk = User.objects.filter(role=Role.CLERK).first() or User.objects.filter(role=Role.CHIEF).first()
    with connection.cursor() as cur:
        # The districts and one officer of each, numbered 0..n-1, for the generators to pick from.
        cur.execute("DROP TABLE IF EXISTS bench_district")
        cur.execute(
            "CREATE UNLOGGED TABLE bench_district AS SELECT row_number() OVER (ORDER BY u.id) - 1 AS n, "
            "u.id, u.path, u.parent_id, (SELECT min(x.id) FROM org_user x WHERE x.unit_id = u.id "
            f"AND x.role = '{Role.OFFICER}') AS officer FROM org_unit u WHERE u.kind = '{UnitKind.DISTRICT}'"
        )
        cur.execute("CREATE INDEX ON bench_district (n)")
        districts = Unit.objects.filter(kind=UnitKind.DISTRICT).count()
        cats = "ARRAY[" + ",".join(map(str, leaves)) + "]"
        d = f"(SELECT b FROM bench_district b WHERE b.n = (g * 7919) % {districts})"
        received = "timestamptz '2026-01-01 00:00+08' + (g::float / {n} * 365) * interval '1 day'".format(
            n=appeals
        )
        sql = insert(
            Appeal,
            f"generate_series(1, {appeals}) AS g",
            {
                "tracking_code": "'B' || lpad(g::text, 11, '0')",
                "channel": "'phone'",
                "type": "(ARRAY['help','complaint','report','enquiry'])[1 + g % 4]",
                "category_id": f"({cats})[1 + (g * 31) % {len(leaves)}]",
                "urgency": "'general'",
                "title": "'基准诉求'",
                "content": "'基准诉求内容'",
                "address": "'基准路' || ((g * 13) % 20000)::text || '号'",
                "citizen_phone_hash": "md5(((g * 17) % 400000)::text)",
                "received_at": received,
                "created_at": received,
                "created_by_id": str(clerk.pk) if clerk else "NULL",
                "intake_unit_id": f"({d}).parent_id",
                "intake_unit_path": f"substr(({d}).path, 1, length(({d}).path) - 7)",
                "accountable_unit_id": f"({d}).parent_id",
                "unit_id": f"({d}).id",
                "unit_path": f"({d}).path",
                "dispatcher_unit_id": f"({d}).parent_id",
                "handler_id": f"({d}).officer",
                "state": "CASE WHEN g % 50 = 0 THEN 'merged' WHEN g % 40 = 0 THEN 'rejected' ELSE 'archived' END",
                "is_open": "false",
                "sign_by": f"{received} + interval '2 hours'",
                "signed_at": f"{received} + (CASE WHEN g % 10 = 0 THEN 3 ELSE 1 END) * interval '1 hour'",
                "contact_by": f"{received} + interval '24 hours'",
                "contacted_at": f"{received} + (CASE WHEN g % 12 = 0 THEN 30 ELSE 5 END) * interval '1 hour'",
                "conclude_by": f"{received} + interval '7 days'",
                "concluded_at": f"{received} + (CASE WHEN g % 9 = 0 THEN 9 ELSE 3 END) * interval '1 day'",
                "result": "'solved'",
                "handoffs": "(g % 7 = 0)::int + (g % 23 = 0)::int",
                "search_tokens": "''",
            },
        )
        cur.execute(sql)
        print(f"appeals: {time.perf_counter() - started:.0f} s", flush=True)
        cur.execute(
            insert(
                AppealEvent,
                "appeals_appeal a CROSS JOIN generate_series(1, 5) AS s",
                {
                    "appeal_id": "a.id",
                    "seq": "s",
                    "action": "(ARRAY['register','dispatch','sign','contact','conclude'])[s]",
                    "to_state": "(ARRAY['submitted','dispatched','signed','handling','concluded'])[s]",
                    "at": "a.received_at + s * interval '1 hour'",
                },
            )
        )
        print(f"events: {time.perf_counter() - started:.0f} s", flush=True)
        cur.execute(
            insert(
                FollowUp,
                "appeals_appeal a WHERE a.id % 5 < 3",
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
            )
        )
        print(f"follow-ups: {time.perf_counter() - started:.0f} s", flush=True)
        households = max(visits // 3, districts)
        cur.execute(
            insert(
                Address,
                f"generate_series(1, {households}) AS g",
                {
                    "kind": "'number'",
                    "name": "g::text || '号'",
                    "full_name": "'基准路' || g::text || '号'",
                    "path": "lpad(g::text, 10, '0') || '/'",
                    "district_id": f"({d}).id",
                    "district_path": f"({d}).path",
                    "search_tokens": "''",
                },
            )
        )
        cur.execute(
            insert(
                House,
                "ledger_address a",
                {"address_id": "a.id", "district_id": "a.district_id", "district_path": "a.district_path"},
            )
        )
        cur.execute(
            insert(
                Household,
                "ledger_house h",
                {
                    "house_id": "h.id",
                    "number": "'1'",
                    "district_id": "h.district_id",
                    "district_path": "h.district_path",
                },
            )
        )
        cur.execute(
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
            )
        )
        print(f"ledger: {time.perf_counter() - started:.0f} s", flush=True)
        cur.execute("SELECT min(id), count(*) FROM ledger_household")
        first, n_households = cur.fetchone()
        visited = "timestamptz '2026-01-01 00:00+08' + (g::float / {n} * 365) * interval '1 day'".format(
            n=visits
        )
        hh = f"(SELECT x FROM ledger_household x WHERE x.id = {first} + (g * 7907) % {n_households})"
        cur.execute(
            insert(
                Visit,
                f"generate_series(1, {visits}) AS g",
                {
                    "kind": "'household'",
                    "household_id": f"({hh}).id",
                    "officer_id": f"(SELECT b.officer FROM bench_district b WHERE b.id = ({hh}).district_id)",
                    "unit_id": f"({hh}).district_id",
                    "district_id": f"({hh}).district_id",
                    "district_path": f"({hh}).district_path",
                    "visited_at": visited,
                    "summary": "'入户走访'",
                    "created_at": visited,
                },
            )
        )
        print(f"visits: {time.perf_counter() - started:.0f} s", flush=True)
        cur.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)


def timed(client: Any, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    name = database_name(args.url)
    if not name.endswith("_bench"):
        raise SystemExit(f"refusing to drop {name!r}: only a database whose name ends in _bench is used")
    postgres_database(args.url, fresh=args.reload)
    configure(args.url)
    import os

    # Pages are rendered without collectstatic: plain static names.
    os.environ.setdefault("JINGMIN_STATIC_MANIFEST", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from jingmin.appeals.models import Appeal
    from jingmin.org.models import Unit, UnitKind, User
    from jingmin.org.roles import Role

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    if Appeal.objects.count() < args.appeals:
        postgres_database(args.url, fresh=True)
        from django.db import connection

        connection.close()
        call_command("migrate", verbosity=0)
        load(args.appeals, args.visits)
    leader = User.objects.filter(role=Role.LEADER).first() or User.objects.create(
        username="bench-leader",
        full_name="基准局长",
        unit=Unit.objects.get(parent__isnull=True),
        role=Role.LEADER,
    )
    client = Client()
    client.force_login(leader)
    bureau = Unit.objects.get(parent__isnull=True)
    station = Unit.objects.filter(kind=UnitKind.STATION).order_by("path").first()
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
    officer = User.objects.filter(role=Role.OFFICER, unit=district).first()
    assert station and district and officer
    month = "from=2026-03-01&to=2026-03-31"
    year = "from=2026-01-01&to=2026-12-31"
    cases = [
        ("dashboard, bureau, a month (48 stations, 480 districts)", f"/metrics/?unit={bureau.pk}&{month}"),
        ("dashboard, station, a month (10 districts)", f"/metrics/?unit={station.pk}&{month}"),
        ("dashboard, district, a month", f"/metrics/?unit={district.pk}&{month}"),
        ("trend, station, 12 months", f"/metrics/trend/?unit={station.pk}&to=2026-12-31"),
        (
            "drill-down, satisfaction, station, a month",
            f"/metrics/figure/satisfaction/?unit={station.pk}&{month}",
        ),
        ("drill-down, response, station, a month", f"/metrics/figure/response/?unit={station.pk}&{month}"),
        ("officer's score explained, a month", f"/metrics/officer/{officer.pk}/?{month}"),
        ("API, station, a month", f"/api/v1/indicators/?unit={station.pk}&{month}"),
        ("API, bureau, a year", f"/api/v1/indicators/?unit={bureau.pk}&{year}"),
        ("wall screen, bureau (this month)", f"/metrics/wall/?unit={bureau.pk}"),
    ]
    print(f"\n{Appeal.objects.count():,} appeals\n")
    print("| view | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for label, url in cases:
        runs = max(2, args.runs // 5) if "bureau" in label else args.runs
        t = sorted(timed(client, url, runs))
        p95 = t[min(len(t) - 1, round(0.95 * (len(t) - 1)))]
        print(f"| {label} | {statistics.median(t):.0f} | {p95:.0f} | {max(t):.0f} |", flush=True)


if __name__ == "__main__":
    main()
