"""The field app's copy of one police district: how long the server takes to make it and how
large it is, for a district of the usual size and for the largest one planned for.

Run from the repository root:

    .venv/bin/python bench/field_copy_bench.py --households 5000 30000

What it does:

1. Creates a fresh PostgreSQL database (drops and creates the one named in `--url`, only if its
   name ends in `_bench_field`), migrates it, and makes a bureau, a station, one police district
   per size asked for and an officer in each.
2. Fills each district with that many active households, one per door of a road, each with three
   members (the head, a spouse, a child) with birth dates, and a care tag on every tenth person;
   a year of the coverage table (`HouseholdCover`) for half of the households.
3. Times `jingmin.field.selectors.field_copy` for the district's officer, as the copy endpoint
   calls it (`--runs` times), and the JSON the endpoint writes of it; prints the figures as
   Markdown, for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchenv import configure, database_name, figure, postgres_database

if TYPE_CHECKING:
    from jingmin.org.models import Unit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jm_field_bench_field"


def fill(district: Unit, households: int, rng: random.Random) -> None:
    from django.utils import timezone

    from jingmin.ledger.models import Address, AddressKind, House, Household, Person, PersonTag, Tag
    from jingmin.visits.models import HouseholdCover

    path = district.path
    road = Address.objects.create(
        kind=AddressKind.ROAD,
        name=f"{district.code}幸福路",
        full_name=f"{district.code}幸福路",
        path=f"r{district.pk:09d}/",
        district=district,
        district_path=path,
    )
    doors = Address.objects.bulk_create(
        Address(
            parent=road,
            kind=AddressKind.NUMBER,
            name=f"{n}号",
            full_name=f"{road.full_name}{n}号",
            path=f"{road.path}{n:010d}/",
            depth=1,
            district=district,
            district_path=path,
        )
        for n in range(1, households + 1)
    )
    houses = House.objects.bulk_create(
        House(address=door, district=district, district_path=path) for door in doors
    )
    created = timezone.now() - timedelta(days=400)
    homes = Household.objects.bulk_create(
        Household(house=house, number=f"H{i:05d}", district=district, district_path=path, created_at=created)
        for i, house in enumerate(houses)
    )
    people = []
    for home in homes:
        for relation, age in (
            ("head", rng.randint(30, 80)),
            ("spouse", rng.randint(30, 80)),
            ("child", rng.randint(1, 30)),
        ):
            people.append(
                Person(
                    name=f"王{rng.randint(100, 999)}",
                    relation=relation,
                    household=home,
                    house=home.house,
                    birth_date=date(2026 - age, rng.randint(1, 12), rng.randint(1, 28)),
                    district=district,
                    district_path=path,
                )
            )
    Person.objects.bulk_create(people, batch_size=5000)
    heads = {p.household_id: p.pk for p in people if p.relation == "head"}
    for home in homes:
        home.head_id = heads[home.pk]
    Household.objects.bulk_update(homes, ["head"], batch_size=5000)
    tags = list(Tag.objects.all())
    PersonTag.objects.bulk_create(
        (PersonTag(person=p, tag=rng.choice(tags)) for p in people[::10]), batch_size=5000
    )
    HouseholdCover.objects.bulk_create(
        (
            HouseholdCover(household=h, visited_at=timezone.now() - timedelta(days=rng.randint(1, 365)))
            for h in homes[::2]
        ),
        batch_size=5000,
    )


SIZES = {"small": ([5000], 3), "city": ([5000, 30000], 5)}


def measure(url: str, households: list[int], runs: int, seed: int) -> Iterator[tuple[int, list[float], int]]:
    """(households, times in ms, JSON bytes) for a fresh district of each size."""
    name = database_name(url)
    if not name.endswith("_bench_field"):
        raise SystemExit(
            f"refusing to drop {name!r}: only a database whose name ends in _bench_field is used"
        )
    postgres_database(url, fresh=True)
    configure(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.serializers.json import DjangoJSONEncoder

    from jingmin.field.selectors import field_copy
    from jingmin.org.models import UnitKind, User
    from jingmin.org.roles import Role
    from jingmin.org.services import unit_create

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    bureau = unit_create(actor=None, parent=None, kind=UnitKind.BUREAU, name="基准县公安局", code="B000")
    station = unit_create(actor=None, parent=bureau, kind=UnitKind.STATION, name="基准派出所", code="B100")
    for i, size in enumerate(households, start=1):
        district = unit_create(
            actor=None, parent=station, kind=UnitKind.DISTRICT, name=f"基准警务区{i}", code=f"B1{i:02d}"
        )
        officer = User.objects.create(
            username=f"bench{i}", full_name="基准民警", unit=district, role=Role.OFFICER
        )
        fill(district, size, rng)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            body = field_copy(actor=officer, district=district)
            text = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)
            timings.append((time.perf_counter() - started) * 1000)
        assert len(body["households"]) == size
        yield size, timings, len(text.encode())


def figures(scale: str) -> Iterator[dict[str, Any]]:
    households, runs = SIZES[scale]
    for size, timings, size_bytes in measure(DEFAULT_URL, households, runs, 1):
        yield figure(
            f"field copy: a district of {size:,} households", timings, json_mb=round(size_bytes / 1e6, 1)
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--households", type=int, nargs="+", default=[5000, 30000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("| households in the district | members | copy made (p50 / max, ms) | JSON size |")
    print("|---|---|---|---|")
    for size, timings, size_bytes in measure(args.url, args.households, args.runs, args.seed):
        print(
            f"| {size:,} | {3 * size:,} | {statistics.median(timings):.0f} / {max(timings):.0f} "
            f"| {size_bytes / 1_000_000:.1f} MB |"
        )


if __name__ == "__main__":
    main()
