"""A hand-made ledger for the visit tests, written straight to the tables (the ledger's own
services are tested in the ledger app).

District A1 (Oliver's) has nine active households on its 幸福路 and a tenth that has moved away
(inactive); district A2 has three, district B1 (Olga's) two. Each household has a head; A1's
households have positions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import Personas
from jingmin.ledger.models import Address, AddressKind, House, Household, Organisation, Person
from jingmin.org.models import Unit
from jingmin.visits import services

_paths = itertools.count(1)


def _address(district: Unit, parent: Address | None, kind: str, name: str, **extra: Any) -> Address:
    full = f"{parent.full_name if parent else ''}{name}"
    return Address.objects.create(
        parent=parent,
        kind=kind,
        name=name,
        full_name=full,
        path=f"{parent.path if parent else ''}{next(_paths):010d}/",
        depth=parent.depth + 1 if parent else 0,
        district=district,
        district_path=district.path,
        **extra,
    )


def make_household(
    district: Unit,
    road: Address,
    number: int,
    *,
    head_name: str,
    active: bool = True,
    position: tuple[str, str] | None = ("31.230000", "121.470000"),
    created_at: datetime | None = None,
) -> Household:
    lat, lng = (Decimal(position[0]), Decimal(position[1])) if position else (None, None)
    door = _address(district, road, AddressKind.NUMBER, f"{number}号", latitude=lat, longitude=lng)
    house = House.objects.create(address=door, district=district, district_path=district.path)
    household = Household.objects.create(
        house=house,
        number=f"H{number:03d}",
        district=district,
        district_path=district.path,
        is_active=active,
        created_at=created_at or timezone.now() - timedelta(days=400),
    )
    head = Person.objects.create(
        name=head_name,
        id_number="110101199003071234",
        phone="13700001111",
        household=household,
        relation="head",
        house=house,
        district=district,
        district_path=district.path,
        is_active=active,
        left_reason="" if active else "moved_out",
    )
    household.head = head
    household.save(update_fields=["head"])
    return household


@dataclass
class World:
    a1: list[Household]
    a1_gone: Household
    a2: list[Household]
    b1: list[Household]
    shop_a1: Organisation
    newborn_mother: Person


@pytest.fixture
def world(persona: Personas) -> World:
    p = persona
    roads = {
        d.pk: _address(d, None, AddressKind.ROAD, f"{d.code}幸福路")
        for d in (p.district_a1, p.district_a2, p.district_b1)
    }
    a1 = [
        make_household(
            p.district_a1,
            roads[p.district_a1.pk],
            n,
            head_name=f"王{n}",
            position=(f"31.23{n:02d}00", f"121.47{n:02d}00"),
        )
        for n in range(1, 10)
    ]
    gone = make_household(p.district_a1, roads[p.district_a1.pk], 99, head_name="赵走", active=False)
    a2 = [make_household(p.district_a2, roads[p.district_a2.pk], n, head_name=f"李{n}") for n in range(1, 4)]
    b1 = [make_household(p.district_b1, roads[p.district_b1.pk], n, head_name=f"张{n}") for n in range(1, 3)]
    shop_door = _address(p.district_a1, roads[p.district_a1.pk], AddressKind.NUMBER, "50号")
    shop = Organisation.objects.create(
        name="幸福便利店",
        kind="shop",
        address=shop_door,
        district=p.district_a1,
        district_path=p.district_a1.path,
    )
    mother = Person.objects.create(
        name="王小芳",
        household=a1[0],
        relation="spouse",
        house=a1[0].house,
        district=p.district_a1,
        district_path=p.district_a1.path,
    )
    return World(a1=a1, a1_gone=gone, a2=a2, b1=b1, shop_a1=shop, newborn_mother=mother)


def visit_input(**overrides: Any) -> services.VisitInput:
    fields: dict[str, Any] = {"kind": "household", "summary": "入户走访，家中一切正常，宣传防诈骗知识。"}
    fields.update(overrides)
    return services.VisitInput(**fields)


@pytest.fixture
def record(persona: Personas) -> Callable[..., Any]:
    """Record a visit as Oliver (or `actor`), with the defaults of `visit_input`."""

    def make(actor: Any = None, **overrides: Any) -> Any:
        visit, _created = services.visit_record(actor=actor or persona.oliver, data=visit_input(**overrides))
        return visit

    return make
