"""Ledger fixtures: a small ledger in Oliver's district (A1), one in Olga's (B1), and helpers to
make valid ID numbers and workbooks in the template's format."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import Personas
from jingmin.ledger import services
from jingmin.ledger.excel import SHEETS
from jingmin.ledger.identifiers import id_check_character
from jingmin.ledger.models import AddressKind


def make_id(born: date = date(1980, 5, 17), *, area: str = "110105", seq: int = 123) -> str:
    first17 = f"{area}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_character(first17)


def write_workbook(
    path: Path, sheets: dict[str, list[dict[str, Any]]], *, headers: dict[str, list[str]] | None = None
) -> Path:
    """A workbook with the template's headers and these rows (dicts by column key)."""
    from openpyxl import Workbook

    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        columns = SHEETS[name]
        sheet.append((headers or {}).get(name) or [c.header for c in columns])
        for row in rows:
            sheet.append([row.get(c.key) for c in columns])
    workbook.save(path)
    return path


def person_row(district: str = "TA11", **overrides: Any) -> dict[str, Any]:
    row = {
        "name": "王秀英",
        "id_number": make_id(date(1949, 12, 31), seq=2),
        "phone": "13912345678",
        "residence": "户籍",
        "district": district,
        "division": "城关镇/幸福社区",
        "road": "幸福路",
        "number": "12号",
        "building": "3栋",
        "unit": "2单元",
        "room": "502室",
        "household": "1",
        "relation": "户主",
        "tags": "独居老人",
    }
    row.update(overrides)
    return row


def ledger_in_a1(persona: Personas) -> dict[str, Any]:
    """A door in Oliver's district with a house, a household and its head."""
    address = services.address_ensure(
        actor=None,
        parts=[
            (AddressKind.DIVISION, "城关镇"),
            (AddressKind.DIVISION, "东门社区"),
            (AddressKind.ROAD, "东门路"),
            (AddressKind.NUMBER, "8号"),
        ],
        district=persona.district_a1,
    )
    house = services.house_create(
        actor=persona.oliver, address_id=address.pk, data=services.HouseInput(owner_name="张三")
    )
    household = services.household_create(
        actor=persona.oliver, house_id=house.pk, data=services.HouseholdInput(number="1")
    )
    person = services.person_create(
        actor=persona.oliver,
        data=services.PersonInput(
            name="张三", id_number=make_id(), phone="13800001234", relation="head", tags=["elderly-alone"]
        ),
        household_id=household.pk,
    )
    return {"address": address, "house": house, "household": household, "person": person}


@pytest.fixture
def ledger_a1(persona: Personas) -> dict[str, Any]:
    return ledger_in_a1(persona)


@pytest.fixture
def ledger_b1(persona: Personas) -> dict[str, Any]:
    """A door in Olga's district (another station)."""
    address = services.address_ensure(
        actor=None,
        parts=[(AddressKind.DIVISION, "河西镇"), (AddressKind.ROAD, "河滨路"), (AddressKind.NUMBER, "3号")],
        district=persona.district_b1,
    )
    house = services.house_create(actor=persona.olga, address_id=address.pk, data=services.HouseInput())
    household = services.household_create(
        actor=persona.olga, house_id=house.pk, data=services.HouseholdInput(number="1")
    )
    person = services.person_create(
        actor=persona.olga,
        data=services.PersonInput(
            name="李四", id_number=make_id(date(1990, 1, 1), seq=455), phone="13700002222"
        ),
        household_id=household.pk,
    )
    return {"address": address, "house": house, "household": household, "person": person}


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def make(sheets: dict[str, list[dict[str, Any]]], **kwargs: Any) -> Path:
        return write_workbook(tmp_path / f"ledger-{next(counter)}.xlsx", sheets, **kwargs)

    return make
