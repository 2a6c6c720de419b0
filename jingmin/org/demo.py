"""The demo organisation: a county bureau with branches, stations, police districts, departments
and staff, made with Faker's zh_CN provider. The same seed gives the same bureau."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from faker import Faker

from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Role
from jingmin.org.services import intake_desk_ensure, unit_create


@dataclass(frozen=True)
class DemoSize:
    branches: int
    stations_per_branch: int
    districts_per_station: int
    officers_per_district: int


SIZES = {
    "small": DemoSize(branches=2, stations_per_branch=2, districts_per_station=4, officers_per_district=2),
    "city": DemoSize(branches=8, stations_per_branch=6, districts_per_station=10, officers_per_district=3),
}

DEPARTMENTS = [
    "治安管理大队",
    "刑事侦查大队",
    "交通警察大队",
    "户政管理科",
    "出入境管理科",
    "网络安全保卫大队",
    "督察大队",
    "指挥中心",
]
BRANCH_NAMES = [
    "城关分局",
    "开发区分局",
    "东城分局",
    "西城分局",
    "南湖分局",
    "北山分局",
    "高新分局",
    "滨江分局",
]
STATION_SUFFIXES = ["派出所"]
DISTRICT_SUFFIXES = ["社区警务室", "警务区", "村警务室"]

# The named demo accounts, documented in the README: (username, role, where, full name).
NAMED_ACCOUNTS = [
    ("admin", Role.SYSADMIN, "bureau", "系统管理员"),
    ("secadmin", Role.SECADMIN, "bureau", "安全管理员"),
    ("auditor", Role.AUDITOR, "bureau", "审计管理员"),
    ("leader", Role.LEADER, "bureau", None),
    ("inspector", Role.INSPECTOR, "bureau", None),
    ("chief", Role.CHIEF, "station0", None),
    ("clerk", Role.CLERK, "station0", None),
    # The command centre's clerk: appeals arriving without a station land on this desk.
    ("centre", Role.CLERK, "centre", None),
    ("officer", Role.OFFICER, "district0", None),
    # A different station, of the other branch, so that scope shows between the two officers.
    ("officer2", Role.OFFICER, "district_other", None),
]


@dataclass
class DemoOrg:
    bureau: Unit
    stations: list[Unit]
    districts: list[Unit]
    departments: list[Unit]
    accounts: dict[str, User]


def seed_org(*, seed: int, size: str) -> DemoOrg:
    shape = SIZES[size]
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    county = fake.city_name()
    prefix = f"{rng.randint(11, 65):02d}{rng.randint(1, 20):02d}{rng.randint(1, 30):02d}"
    bureau = unit_create(
        actor=None, parent=None, kind=UnitKind.BUREAU, name=f"{county}县公安局", code=f"{prefix}000000"
    )
    departments = [
        unit_create(
            actor=None, parent=bureau, kind=UnitKind.DEPARTMENT, name=name, code=f"{prefix}9{i:02d}000"
        )
        for i, name in enumerate(DEPARTMENTS, start=1)
    ]
    desk = intake_desk_ensure(bureau=bureau)
    stations: list[Unit] = []
    districts: list[Unit] = []
    used_names: set[str] = set()

    def unique(make: str) -> str:
        name = make
        while name in used_names:
            name = f"{fake.street_name()}"
        used_names.add(name)
        return name

    for b in range(shape.branches):
        branch_name = BRANCH_NAMES[b] if b < len(BRANCH_NAMES) else f"第{b + 1}分局"
        branch = unit_create(
            actor=None, parent=bureau, kind=UnitKind.BRANCH, name=branch_name, code=f"{prefix}{b + 1:02d}0000"
        )
        for s in range(shape.stations_per_branch):
            place = unique(fake.street_name().rstrip("路街道巷"))
            station = unit_create(
                actor=None,
                parent=branch,
                kind=UnitKind.STATION,
                name=f"{place}派出所",
                code=f"{prefix}{b + 1:02d}{s + 1:02d}00",
            )
            stations.append(station)
            for d in range(shape.districts_per_station):
                community = unique(fake.street_name().rstrip("路街道巷"))
                suffix = rng.choice(DISTRICT_SUFFIXES)
                districts.append(
                    unit_create(
                        actor=None,
                        parent=station,
                        kind=UnitKind.DISTRICT,
                        name=f"{community}{suffix}",
                        code=f"{prefix}{b + 1:02d}{s + 1:02d}{d + 1:02d}",
                    )
                )

    # One hash for every demo account: hashing thousands of passwords one by one would take
    # minutes, and they all share the documented demo password anyway.
    password_hash = make_password(settings.DEMO_PASSWORD)
    where = {
        "bureau": bureau,
        "station0": stations[0],
        "district0": districts[0],
        "centre": desk,
        "district_other": districts[shape.stations_per_branch * shape.districts_per_station],
    }
    accounts: dict[str, User] = {}
    for username, role, place_key, full_name in NAMED_ACCOUNTS:
        user = User(
            username=username,
            full_name=full_name or fake.name(),
            unit=where[place_key],
            role=role,
            police_number=f"{rng.randint(100000, 999999)}",
            phone=fake.phone_number(),
            password=password_hash,
        )
        user.save()
        accounts[username] = user

    staff: list[User] = []
    number = 1
    for station in stations:
        for role, count in ((Role.CHIEF, 1), (Role.CLERK, 2)):
            for _ in range(count):
                staff.append(_staff(fake, rng, station, role, f"s{number:05d}", password_hash))
                number += 1
    for district in districts:
        for _ in range(shape.officers_per_district):
            staff.append(_staff(fake, rng, district, Role.OFFICER, f"s{number:05d}", password_hash))
            number += 1
    for department in departments:
        staff.append(_staff(fake, rng, department, Role.OFFICER, f"s{number:05d}", password_hash))
        number += 1
    User.objects.bulk_create(staff, batch_size=500)
    return DemoOrg(
        bureau=bureau, stations=stations, districts=districts, departments=departments, accounts=accounts
    )


def _staff(fake: Faker, rng: random.Random, unit: Unit, role: str, username: str, password_hash: str) -> User:
    return User(
        username=username,
        full_name=fake.name(),
        unit=unit,
        role=role,
        police_number=f"{rng.randint(100000, 999999)}",
        phone=fake.phone_number(),
        password=password_hash,
    )
