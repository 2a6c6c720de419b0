"""The coverage map of a police district of 30,000 households, and of its station and the bureau.

Run from the repository root:

    .venv/bin/python bench/coverage_map_bench.py --scale city     # a district of 30,000 households
    .venv/bin/python bench/coverage_map_bench.py --scale small    # 5,000

What it does:

1. Creates `jm_coverage_bench` (dropped first; only a database whose name ends in `_bench`),
   migrates it and loads the city-sized demo organisation (48 stations, 480 police districts),
   each district with an outline.
2. Writes a ledger with SQL `generate_series` inside PostgreSQL: in one district, the scale's
   households, twenty to a building (door numbers on a road, with a position; rooms without, as the
   ledger's imports leave them: the map places a room at its door); in each other district of
   the station a tenth as many, and in each district of the bureau 50. A household's last
   counting visit (`HouseholdCover`) lies within the plan's window for three in five, before it
   for one in five; the rest were never visited.
3. Times the map's JSON as the page fetches it (`visits:coverage_map` through Django's test
   client, signed in: the view, its queries and the JSON) for the district's officer, the station
   chief and the bureau leader, and reports the response's size. Beside each, the server's own
   CPU time and its queries' execution time in the database (EXPLAIN ANALYZE of each, after the
   request), which the waiting for a core on a busy machine inflates less than the wall time.
4. Drops the database (kept, and reused by the next run, with `JINGMIN_BENCH_KEEP=1`).

`figures(scale)` yields one dict per figure for `bench/run.py`; run as a script it prints them
as JSON lines. The run is niced (`nice -n 10`) when started as a script.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchenv import figure, print_figures, scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jm_coverage_bench"
SIZES = {"small": 5_000, "city": 30_000}
RUNS = {"small": 10, "city": 30}
PER_BUILDING = 20


def _ledger(district_sql: str, households: str) -> list[str]:
    """INSERT statements of a ledger: for each district row of `district_sql` (columns id, path,
    n, lat, lng) `households` households (an SQL expression of the row), PER_BUILDING to a door
    number with a position, one to a room without. Every address path starts with "b"."""
    key = "b"
    from city import insert

    from jingmin.ledger.models import Address, House, Household

    rooms = f"{district_sql} d CROSS JOIN LATERAL generate_series(0, {households} - 1) AS g"
    road = f"'{key}' || lpad(d.id::text, 6, '0') || '/'"
    return [
        insert(
            Address,
            f"{district_sql} d",
            {
                "kind": "'road'",
                "name": "'幸福路' || d.id::text",
                "full_name": "'幸福路' || d.id::text",
                "path": road,
                "district_id": "d.id",
                "district_path": "d.path",
                "search_tokens": "''",
            },
        ),
        insert(
            Address,
            f"{district_sql} d CROSS JOIN LATERAL generate_series(0, ({households} - 1) / {PER_BUILDING}) AS b "
            f"JOIN ledger_address r ON r.path = {road}",
            {
                "parent_id": "r.id",
                "kind": "'number'",
                "name": "b::text || '号'",
                "full_name": "r.full_name || b::text || '号'",
                "path": "r.path || lpad(b::text, 6, '0') || '/'",
                "depth": "1",
                "district_id": "d.id",
                "district_path": "d.path",
                "latitude": "round((d.lat + (b % 40) * 0.0004)::numeric, 6)",
                "longitude": "round((d.lng + (b / 40) * 0.0004)::numeric, 6)",
                "search_tokens": "''",
            },
        ),
        insert(
            Address,
            f"{rooms} JOIN ledger_address p ON p.path = {road} || lpad((g / {PER_BUILDING})::text, 6, '0') || '/'",
            {
                "parent_id": "p.id",
                "kind": "'room'",
                "name": f"(g % {PER_BUILDING})::text || '室'",
                "full_name": f"p.full_name || (g % {PER_BUILDING})::text || '室'",
                "path": f"p.path || lpad((g % {PER_BUILDING})::text, 10, '0') || '/'",
                "depth": "2",
                "district_id": "d.id",
                "district_path": "d.path",
                "search_tokens": "''",
            },
        ),
        insert(
            House,
            f"ledger_address a WHERE a.kind = 'room' AND a.path LIKE '{key}%'",
            {"address_id": "a.id", "district_id": "a.district_id", "district_path": "a.district_path"},
        ),
        insert(
            Household,
            f"ledger_house h JOIN ledger_address a ON a.id = h.address_id WHERE a.path LIKE '{key}%'",
            {
                "house_id": "h.id",
                "number": "'H' || h.id::text",
                "district_id": "h.district_id",
                "district_path": "h.district_path",
                "created_at": "now() - interval '400 days'",
            },
        ),
        # The household is the cover's primary key, which `insert` leaves to the sequence.
        "INSERT INTO visits_householdcover (household_id, visited_at) SELECT x.id, now() - (CASE WHEN "
        "x.id % 5 = 1 THEN 300 ELSE x.id % 90 END) * interval '1 day' FROM ledger_household x JOIN ledger_house h "
        "ON h.id = x.house_id JOIN ledger_address a ON a.id = h.address_id WHERE a.path LIKE 'b%' AND x.id % 5 <> 0",
    ]


def load(households: int) -> None:
    from django.db import connection

    from jingmin.org.demo import seed_org
    from jingmin.org.models import Unit, UnitKind
    from jingmin.visits.demo import outline_around
    from jingmin.visits.models import DistrictOutline

    started = time.perf_counter()
    org = seed_org(seed=3, size="city")
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("id"))
    big = districts[0]
    centres = {d.pk: (30.0 + (i % 24) * 0.05, 120.0 + (i // 24) * 0.05) for i, d in enumerate(districts)}
    DistrictOutline.objects.bulk_create(
        DistrictOutline(
            district=d,
            geometry=outline_around(
                [
                    (lng, lat)
                    for lat, lng in [centres[d.pk], (centres[d.pk][0] + 0.03, centres[d.pk][1] + 0.03)]
                ]
            ),
        )
        for d in districts
    )
    with connection.cursor() as cur:
        cur.execute(
            "CREATE UNLOGGED TABLE bench_district (id int, path text, lat float, lng float, households int)"
        )
        with cur.copy("COPY bench_district FROM STDIN") as copy:
            for d in districts:
                n = households if d.pk == big.pk else households // 10 if d.parent_id == big.parent_id else 50
                copy.write_row((d.pk, d.path, *centres[d.pk], n))
        for sql in _ledger("bench_district", "d.households"):
            cur.execute(sql)
        cur.execute("ANALYZE")
    print(f"# ledger written: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    del org


def people() -> dict[str, Any]:
    """Who opens which map: the big district's officer, its station's chief, the bureau leader."""
    from django.db.models import Count

    from jingmin.ledger.models import Household
    from jingmin.org.models import Unit, UnitKind, User
    from jingmin.org.roles import Role

    biggest = Household.objects.values("district").annotate(n=Count("id")).order_by("-n")[0]
    big = Unit.objects.select_related("parent").get(pk=biggest["district"])
    station = big.parent
    officer = User.objects.filter(unit=big, role=Role.OFFICER)[0]
    chief = User.objects.filter(unit=station, role=Role.CHIEF)[0]
    leader = User.objects.filter(unit__kind=UnitKind.BUREAU, role=Role.LEADER)[0]
    return {"district": (officer, big), "station": (chief, station), "bureau": (leader, leader.unit)}


# The map as it was built before the places (one point per household, built in Python), read
# from the repository's history, to time side by side with the current one on the same data.
BEFORE = "a8d106d"


def _before() -> Any:
    """The coverage module as of BEFORE, or None where the history is not at hand."""
    import subprocess
    import types

    try:
        source = subprocess.run(  # noqa: S603 - a fixed git command
            ["git", "-C", str(ROOT), "show", f"{BEFORE}:jingmin/visits/coverage.py"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("coverage_before")
    sys.modules[module.__name__] = module  # its dataclasses look their module up
    try:
        exec(compile(source, "coverage_before.py", "exec"), module.__dict__)  # noqa: S102 - the project's own history
    except ImportError:
        return None  # what it imported has moved since
    return module


def measure(who: dict[str, Any], runs: int, households: int) -> Iterator[dict[str, Any]]:
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from jingmin.visits import coverage

    url = reverse("visits:coverage_map")
    labels = {
        "district": f"coverage map, a district of {households:,} households",
        "station": "coverage map, its station (10 districts, outlines only)",
        "bureau": "coverage map, the bureau (480 districts, outlines only)",
    }
    before = _before()
    ways = {"": coverage.map_data} | ({" (before)": before.map_data} if before else {})
    for key, (user, unit) in who.items():
        client = Client()
        client.force_login(user)
        for _ in range(2):
            first = client.get(url, {"unit": unit.pk})
            assert first.status_code == 200, first.status_code
        times, cpu, database = [], [], []
        # The map's data and its JSON, now and before, taking turns so that the load of the
        # moment falls on both.
        built: dict[str, list[float]] = {way: [] for way in ways}
        size: dict[str, int] = {}
        for _ in range(runs):
            start, started_cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"unit": unit.pk})
                body = response.content
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            database.append(sum(executed(q["sql"]) for q in queries.captured_queries))
            for way, map_data in ways.items():
                start = time.perf_counter()
                size[way] = len(json.dumps(map_data(actor=user, unit=unit), cls=DjangoJSONEncoder))
                built[way].append((time.perf_counter() - start) * 1000)
        yield figure(labels[key], times, bytes=len(body), queries=len(queries.captured_queries))
        yield figure(f"{labels[key]}: the server's own CPU time", cpu)
        yield figure(f"{labels[key]}: its queries in the database", database)
        for way, ms in built.items():
            yield figure(f"{labels[key]}: the data and its JSON{way}", ms, bytes=size[way])


def executed(sql: str) -> float:
    """The database's own time for one captured query (EXPLAIN ANALYZE, timing off); 0 for what
    EXPLAIN does not take (the session's and the transaction's own statements)."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql)
        return float(cursor.fetchone()[0][0]["Execution Time"])


def figures(scale: str) -> Iterator[dict[str, Any]]:
    """Load a fresh database of the scale's size, yield the figures, drop the database."""
    with scratch_database(os.environ.get("JINGMIN_COVERAGE_BENCH_URL", DEFAULT_URL)) as kept:
        from django.conf import settings

        # Django's test client asks for this host.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        if not kept:
            load(SIZES[scale])
        yield from measure(people(), RUNS[scale], SIZES[scale])


def main() -> None:
    print_figures(figures, __doc__.split("\n")[0])


if __name__ == "__main__":
    main()
