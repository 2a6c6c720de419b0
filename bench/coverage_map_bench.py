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
   chief and the bureau leader, and reports the response's size.
4. Drops the database (kept, and reused by the next run, with `JINGMIN_BENCH_KEEP=1`).

`figures(scale)` yields one dict per figure for `bench/run.py`; run as a script it prints them
as JSON lines. The run is niced (`nice -n 10`) when started as a script.
"""

from __future__ import annotations

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
    from metrics_bench import insert

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
    station = big.parent
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
                n = households if d.pk == big.pk else households // 10 if d.parent_id == station.pk else 50
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

    biggest = Household.objects.values("district").annotate(n=Count("id")).order_by("-n").first()
    big = Unit.objects.select_related("parent").get(pk=biggest["district"])
    station = big.parent
    officer = User.objects.filter(unit=big, role=Role.OFFICER).first()
    chief = User.objects.filter(unit=station, role=Role.CHIEF).first()
    leader = User.objects.filter(unit__kind=UnitKind.BUREAU, role=Role.LEADER).first()
    return {"district": (officer, big), "station": (chief, station), "bureau": (leader, leader.unit)}


def measure(who: dict[str, Any], runs: int, households: int) -> Iterator[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    url = reverse("visits:coverage_map")
    labels = {
        "district": f"coverage map, a district of {households:,} households",
        "station": "coverage map, its station (10 districts, outlines only)",
        "bureau": "coverage map, the bureau (480 districts, outlines only)",
    }
    for key, (user, unit) in who.items():
        client = Client()
        client.force_login(user)
        for _ in range(2):
            first = client.get(url, {"unit": unit.pk})
            assert first.status_code == 200, first.status_code
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url, {"unit": unit.pk})
            body = response.content
            times.append((time.perf_counter() - start) * 1000)
        yield figure(labels[key], times, bytes=len(body))


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
