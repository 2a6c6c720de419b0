"""The demo ledger: every police district of the demo bureau with its addresses, houses,
households, persons (with valid ID numbers) and organisations, and points around a centre per
district so that maps have something to show.

Rows go in with `bulk_create`, level by level for the address tree, rather than through the
services: each service call locks rows and appends an audit row under the audit head's lock, and
thousands of households would take minutes. The demo's records stand for what the ledger held
before anyone edited it, so they have no creation rows in the history; every later change does.
The same seed gives the same ledger (Fernet tokens differ between
loads, their plain values do not).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from faker import Faker

from jingmin.core.crypto import lookup_hash
from jingmin.core.search import index_text
from jingmin.ledger.bulk import reserve_ids
from jingmin.ledger.identifiers import credit_check_character, id_check_character
from jingmin.ledger.models import (
    Address,
    AddressKind,
    House,
    Household,
    HouseUse,
    Organisation,
    OrganisationKind,
    Person,
    PersonTag,
    Relation,
    Residence,
    Sex,
    Tag,
)
from jingmin.org.demo import DemoOrg
from jingmin.org.models import Unit
from jingmin.org.scope import Scope, common_path, same_node

# Households per district: the small demo (16 districts) gets a realistic community each; the
# city demo (480 districts) a sample, so that it still loads in a reasonable time.
HOUSEHOLDS_SMALL = 250
HOUSEHOLDS_CITY = 40
CITY_THRESHOLD = 50
# Where the demo county lies (a plausible point in eastern China) and how far districts spread.
CENTRE = (Decimal("30.250000"), Decimal("120.150000"))


@dataclass
class LedgerCounts:
    addresses: int = 0
    houses: int = 0
    households: int = 0
    persons: int = 0
    organisations: int = 0


@dataclass
class _Node:
    kind: str
    name: str
    parent: _Node | None
    district: Unit | None
    district_path: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    children: dict[tuple[str, str], _Node] = field(default_factory=dict)
    row: Address | None = None

    def child(
        self, kind: str, name: str, district: Unit, lat: Decimal | None = None, lon: Decimal | None = None
    ) -> _Node:
        key = (kind, name)
        node = self.children.get(key)
        if node is None:
            node = _Node(kind, name, self, district, district.path, lat, lon)
            self.children[key] = node
        return node

    def full_name(self) -> str:
        return (self.parent.full_name() if self.parent else "") + self.name


class _Ids:
    """Valid, unique ID numbers (GB 11643) for the demo's area code."""

    def __init__(self, area: str, rng: random.Random) -> None:
        self.area, self.rng, self.used = area, rng, set[str]()

    def make(self, born: date, sex: str) -> str:
        while True:
            seq = self.rng.randint(0, 499) * 2 + (1 if sex == Sex.MALE else 0)
            first17 = f"{self.area}{born:%Y%m%d}{seq:03d}"
            number = first17 + id_check_character(first17)
            if number not in self.used:
                self.used.add(number)
                return number


def _credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = "91" + f"{rng.randint(110000, 659999)}" + "".join(rng.choice(alphabet) for _ in range(9))
    return first17 + credit_check_character(first17)


def _jitter(rng: random.Random, centre: tuple[Decimal, Decimal], spread: float) -> tuple[Decimal, Decimal]:
    q = Decimal("0.000001")
    return (
        (centre[0] + Decimal(str(rng.gauss(0, spread)))).quantize(q),
        (centre[1] + Decimal(str(rng.gauss(0, spread)))).quantize(q),
    )


def seed_ledger(*, seed: int, org: DemoOrg, households_per_district: int | None = None) -> LedgerCounts:
    """Fill the ledger of every police district of the demo organisation."""
    rng = random.Random(seed * 7 + 5)
    fake = Faker("zh_CN")
    fake.seed_instance(seed + 11)
    per_district = households_per_district
    if per_district is None:
        per_district = HOUSEHOLDS_SMALL if len(org.districts) <= CITY_THRESHOLD else HOUSEHOLDS_CITY
    # The first six digits of the unit codes are an area code in the demo (see org.demo).
    ids = _Ids(org.bureau.code[:6] if org.bureau.code[:6].isdigit() else "330102", rng)
    tags = {t.code: t for t in Tag.objects.all()}
    now = timezone.now()

    county = org.bureau.name.removesuffix("公安局") or org.bureau.name
    root = _Node(AddressKind.DIVISION, county, None, None, org.bureau.path)
    houses: list[tuple[_Node, Unit, dict[str, Any]]] = []
    organisations: list[tuple[_Node, Unit, dict[str, Any]]] = []
    people: list[tuple[int, dict[str, Any]]] = []  # (house index, person fields)
    households: list[tuple[int, str]] = []  # (house index, number)
    road_names: set[str] = set()

    for d_index, district in enumerate(org.districts):
        station = next(s for s in org.stations if Scope.under(s).contains(district))
        street = root.child(AddressKind.DIVISION, station.name.removesuffix("派出所") + "街道", district)
        community_name = district.name
        for suffix in ("社区警务室", "村警务室", "警务区"):
            community_name = community_name.removesuffix(suffix)
        community = street.child(AddressKind.DIVISION, community_name + "社区", district)
        angle_lat = Decimal(str(round((d_index % 4) * 0.03 - 0.045, 6)))
        angle_lon = Decimal(str(round((d_index // 4) * 0.03 - 0.06, 6)))
        centre = (CENTRE[0] + angle_lat, CENTRE[1] + angle_lon)
        roads = []
        for _ in range(rng.randint(3, 5)):
            name = fake.street_name()
            while name in road_names:
                name = fake.street_name() + rng.choice(["东路", "西路", "南巷", "北街"])
            road_names.add(name)
            roads.append(community.child(AddressKind.ROAD, name, district))
        made = 0
        number = {road.name: 0 for road in roads}
        while made < per_district:
            road = rng.choice(roads)
            number[road.name] += rng.randint(1, 3)
            lat, lon = _jitter(rng, centre, 0.004)
            door = road.child(AddressKind.NUMBER, f"{number[road.name]}号", district, lat, lon)
            if rng.random() < 0.6:
                # A residential compound: buildings, entrances, flats.
                for b in range(1, rng.randint(2, 4)):
                    building = door.child(AddressKind.BUILDING, f"{b}栋", district, lat, lon)
                    for u in range(1, 3):
                        entrance = building.child(AddressKind.UNIT, f"{u}单元", district)
                        for floor in range(1, rng.randint(3, 6)):
                            for flat in (1, 2):
                                if made >= per_district:
                                    break
                                room = entrance.child(
                                    AddressKind.ROOM, f"{floor}0{flat}室", district, lat, lon
                                )
                                _household(rng, fake, ids, houses, households, people, room, district)
                                made += 1
            else:
                _household(rng, fake, ids, houses, households, people, door, district)
                made += 1
            if rng.random() < 0.12:
                shop_door = road.child(AddressKind.NUMBER, f"{number[road.name]}-1号", district, lat, lon)
                organisations.append((shop_door, district, _organisation(rng, fake)))

    counts = LedgerCounts()
    counts.addresses = _insert_tree(root, now)
    house_rows = [
        House(
            address=node.row,
            district=district,
            district_path=district.path,
            created_at=now,
            updated_at=now,
            owner_phone_hash=lookup_hash(values["owner_phone"]) if values["owner_phone"] else "",
            **values,
        )
        for node, district, values in houses
    ]
    House.objects.bulk_create(house_rows, batch_size=1000)
    household_rows = [
        Household(
            house=house_rows[i],
            number=number,
            district_id=house_rows[i].district_id,
            district_path=house_rows[i].district_path,
            created_at=now,
            updated_at=now,
        )
        for i, number in households
    ]
    household_by_house = {i: household_rows[n] for n, (i, _number) in enumerate(households)}
    person_rows: list[Person] = []
    person_tags: list[tuple[int, list[str]]] = []
    for (i, values), pk in zip(people, reserve_ids(Person, len(people)), strict=True):
        house = house_rows[i]
        tag_codes = values.pop("tags")
        person = Person(
            pk=pk,
            **values,
            id_hash=lookup_hash(values["id_number"]),
            phone_hash=lookup_hash(values["phone"]) if values["phone"] else "",
            household=household_by_house[i],
            house=house,
            district_id=house.district_id,
            district_path=house.district_path,
            created_at=now,
            updated_at=now,
        )
        if person.relation == Relation.HEAD:
            # The foreign keys are checked at commit: the head may be inserted after the household.
            household_by_house[i].head_id = pk
        person_rows.append(person)
        person_tags.append((len(person_rows) - 1, tag_codes))
    Household.objects.bulk_create(household_rows, batch_size=1000)
    for person in person_rows:
        person.household_id = person.household.pk if person.household else None
    Person.objects.bulk_create(person_rows, batch_size=1000)
    PersonTag.objects.bulk_create(
        [
            PersonTag(person=person_rows[n], tag=tags[code], added_at=now)
            for n, codes in person_tags
            for code in codes
        ],
        batch_size=1000,
    )
    organisation_rows = [
        Organisation(
            address=node.row,
            district=district,
            district_path=district.path,
            contact_phone_hash=lookup_hash(values["contact_phone"]),
            created_at=now,
            updated_at=now,
            **values,
        )
        for node, district, values in organisations
    ]
    Organisation.objects.bulk_create(organisation_rows, batch_size=1000)
    counts.houses, counts.households = len(house_rows), len(household_rows)
    counts.persons, counts.organisations = len(person_rows), len(organisation_rows)
    return counts


def _household(
    rng: random.Random,
    fake: Faker,
    ids: _Ids,
    houses: list[tuple[_Node, Unit, dict[str, Any]]],
    households: list[tuple[int, str]],
    people: list[tuple[int, dict[str, Any]]],
    node: _Node,
    district: Unit,
) -> None:
    today = timezone.localdate()
    floating = rng.random() < 0.15
    surname = fake.last_name()
    owner = surname + fake.first_name()
    houses.append(
        (
            node,
            district,
            {
                "use": HouseUse.RENTED if floating else HouseUse.RESIDENTIAL,
                "rented": floating,
                "owner_name": owner,
                "owner_phone": fake.phone_number() if rng.random() < 0.7 else "",
                "area": Decimal(rng.randint(35, 160)),
            },
        )
    )
    index = len(houses) - 1
    households.append((index, str(rng.randint(1, 3))))
    residence = Residence.FLOATING if floating else Residence.REGISTERED

    def person(
        relation: str, age: int, sex: str, tag_codes: list[str], name_surname: str | None = None
    ) -> None:
        born = today - timedelta(days=age * 365 + rng.randint(0, 364))
        given = fake.first_name_male() if sex == Sex.MALE else fake.first_name_female()
        people.append(
            (
                index,
                {
                    "name": (name_surname or fake.last_name()) + given,
                    "sex": sex,
                    "birth_date": born,
                    "id_number": ids.make(born, sex),
                    "phone": fake.phone_number() if 16 <= age <= 80 and rng.random() < 0.85 else "",
                    "residence": residence,
                    "relation": relation,
                    "tags": tag_codes,
                },
            )
        )

    roll = rng.random()
    if roll < 0.07:
        # An elderly person living alone: the households visits should reach first.
        tag_codes = ["elderly-alone"] + (["hardship"] if rng.random() < 0.3 else [])
        person(Relation.HEAD, rng.randint(70, 92), rng.choice([Sex.MALE, Sex.FEMALE]), tag_codes, surname)
        return
    head_sex = Sex.MALE if rng.random() < 0.7 else Sex.FEMALE
    head_age = rng.randint(26, 75)
    hardship = rng.random() < 0.04
    head_tags = (["hardship"] if hardship else []) + (["veteran"] if rng.random() < 0.03 else [])
    head_tags += ["disabled"] if rng.random() < 0.02 else []
    if head_age >= 65 and rng.random() < 0.4:
        head_tags.append("empty-nest")
    person(Relation.HEAD, head_age, head_sex, head_tags, surname)
    if rng.random() < 0.8:
        spouse_age = max(22, head_age + rng.randint(-5, 5))
        spouse_tags = ["empty-nest"] if "empty-nest" in head_tags else []
        person(Relation.SPOUSE, spouse_age, Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE, spouse_tags)
    if 26 <= head_age <= 55:
        parents_away = rng.random() < 0.05
        for _ in range(rng.choice([0, 1, 1, 2])):
            age = rng.randint(1, max(1, min(25, head_age - 20)))
            child_tags = ["left-behind-child"] if parents_away and age < 16 else []
            person(Relation.CHILD, age, rng.choice([Sex.MALE, Sex.FEMALE]), child_tags, surname)
    if 35 <= head_age <= 60 and rng.random() < 0.2:
        person(
            Relation.PARENT, head_age + rng.randint(24, 32), rng.choice([Sex.MALE, Sex.FEMALE]), [], surname
        )


def _organisation(rng: random.Random, fake: Faker) -> dict[str, Any]:
    kind = rng.choice(
        [OrganisationKind.SHOP] * 5
        + [OrganisationKind.RESTAURANT] * 3
        + [
            OrganisationKind.COMPANY,
            OrganisationKind.HOTEL,
            OrganisationKind.SCHOOL,
            OrganisationKind.HOSPITAL,
        ]
    )
    suffix = {
        OrganisationKind.SHOP: rng.choice(["便利店", "超市", "五金店", "药店"]),
        OrganisationKind.RESTAURANT: rng.choice(["饭店", "面馆", "小吃店"]),
        OrganisationKind.COMPANY: "有限公司",
        OrganisationKind.HOTEL: "宾馆",
        OrganisationKind.SCHOOL: "幼儿园",
        OrganisationKind.HOSPITAL: "诊所",
    }[kind]
    return {
        "name": fake.last_name() + fake.first_name_male()[-1] + suffix,
        "kind": kind,
        "credit_code": _credit_code(rng) if kind != OrganisationKind.SHOP or rng.random() < 0.5 else "",
        "contact_name": fake.name(),
        "contact_phone": fake.phone_number(),
        "employees": rng.randint(1, 40),
    }


def _insert_tree(root: _Node, now: Any) -> int:
    """Insert the address tree level by level: each level's paths need its parents' ids."""
    level = [root]
    depth = 0
    total = 0
    while level:
        rows = []
        for node, pk in zip(level, reserve_ids(Address, len(level)), strict=True):
            full_name = node.full_name()[:300]
            parent = node.parent.row if node.parent else None
            node.row = Address(
                pk=pk,
                parent=parent,
                kind=node.kind,
                name=node.name,
                full_name=full_name,
                path=(parent.path if parent else "") + Address.path_segment(pk),
                depth=depth,
                district=node.district,
                district_path=node.district_path,
                latitude=node.latitude,
                longitude=node.longitude,
                search_tokens=index_text(full_name),
                created_at=now,
            )
            rows.append(node.row)
        Address.objects.bulk_create(rows, batch_size=1000)
        total += len(rows)
        level = [child for node in level for child in node.children.values()]
        depth += 1
    _widen(root)
    return total


def _widen(node: _Node) -> str:
    """Nodes above districts carry the common path of the districts beneath them (see models)."""
    if not node.children:
        return node.district_path
    common = None
    for child in node.children.values():
        path = _widen(child)
        common = path if common is None else common_path(common, path)
    assert common is not None and node.row is not None  # a node with children, inserted
    if not same_node(common, node.row.district_path):
        district = (
            node.district if node.district is not None and same_node(node.district.path, common) else None
        )
        Address.objects.filter(pk=node.row.pk).update(district_path=common, district=district)
        node.row.district_path, node.row.district = common, district
    return common
