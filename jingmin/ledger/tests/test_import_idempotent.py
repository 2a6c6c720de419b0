"""Importing the same file again creates nothing twice and changes nothing; a changed cell
updates the record, with its history; empty cells keep what the ledger holds."""

from __future__ import annotations

from datetime import date

from jingmin.ledger.imports import import_file
from jingmin.ledger.models import (
    Address,
    ChangeSource,
    House,
    Household,
    LedgerChange,
    Organisation,
    Person,
    PersonTag,
)
from jingmin.ledger.tests.conftest import make_id, person_row


def _address(**overrides):
    row = {
        "district": "TA11",
        "division": "城关镇/幸福社区",
        "road": "幸福路",
        "number": "12号",
        "building": "3栋",
        "unit": "2单元",
        "room": "502室",
        "use": "出租",
        "owner_name": "房东甲",
        "owner_phone": "13700000000",
        "area": 89.5,
        "latitude": 30.25,
        "longitude": 120.15,
    }
    row.update(overrides)
    return row


def _sheets():
    return {
        "地址房屋": [_address(), _address(room="501室", use="自住", owner_phone="")],
        "人口": [
            person_row(),
            person_row(name="李明", id_number=make_id(date(1975, 3, 3), seq=11), relation="配偶", tags=""),
            person_row(
                name="无证老人",
                id_number="",
                birth_date="1940-02-02",
                relation="父母",
                tags="独居老人、困难家庭",
            ),
            person_row(
                name="流动人员",
                id_number="110105900101001",
                residence="流动",
                room="501室",
                household="",
                relation="",
            ),
        ],
        "单位": [
            {
                "name": "幸福路便民超市",
                "kind": "商铺",
                "credit_code": "91350100M000100Y43",
                "contact_phone": "13600001111",
                "district": "TA11",
                "division": "城关镇/幸福社区",
                "road": "幸福路",
                "number": "14号",
            },
            {
                "name": "老张修车铺",
                "kind": "商铺",
                "district": "TA11",
                "division": "城关镇/幸福社区",
                "road": "幸福路",
                "number": "16号",
            },
        ],
    }


def _written(outcome) -> dict:
    assert outcome.result is not None, outcome.parsed.rejected
    return outcome.result.counts


def _counts():
    return (
        Address.objects.count(),
        House.objects.count(),
        Household.objects.count(),
        Person.objects.count(),
        Organisation.objects.count(),
        PersonTag.objects.count(),
        LedgerChange.objects.count(),
    )


def test_reimporting_the_same_file_creates_and_changes_nothing(persona, workbook):
    path = workbook(_sheets())
    first = import_file(path=path, unit=persona.station_a, mode="all-or-nothing")
    assert first.run.state == "done", first.parsed.rejected
    assert _written(first)["person"]["created"] == 4
    assert _written(first)["organisation"]["created"] == 2
    after_first = _counts()
    # 城关镇 幸福社区 幸福路 12号 3栋 2单元 502室 501室 14号 16号
    assert after_first[:5] == (10, 2, 1, 4, 2)

    second = import_file(path=path, unit=persona.station_a, mode="all-or-nothing")
    assert second.run.state == "done"
    assert _counts() == after_first
    assert _written(second)["person"] == {"created": 0, "updated": 0, "unchanged": 4}
    assert _written(second)["organisation"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert "address" not in _written(second)

    # What the first import built: the head of the household, the legacy number converted, the
    # floating resident in his own room, tags, the house's use and position.
    household = Household.objects.get()
    assert household.head is not None and household.head.name == "王秀英"
    floating = Person.objects.get(name="流动人员")
    assert len(floating.id_number) == 18 and floating.id_number.startswith("11010519900101001")
    assert floating.household is None and floating.residence == "floating"
    assert set(Person.objects.get(name="无证老人").tags.values_list("code", flat=True)) == {
        "elderly-alone",
        "hardship",
    }
    house = House.objects.get(address__name="502室")
    assert house.rented and house.owner_phone == "13700000000" and house.address.latitude is not None
    assert LedgerChange.objects.filter(source=ChangeSource.IMPORT).count() == after_first[6]


def test_a_changed_cell_updates_the_record_with_history(persona, workbook):
    import_file(path=workbook(_sheets()), unit=persona.station_a, mode="all-or-nothing")
    sheets = _sheets()
    sheets["人口"][0]["phone"] = "13911112222"
    sheets["人口"][0]["tags"] = "困难家庭"  # added; the earlier tag stays
    sheets["人口"][1]["note"] = ""
    before = Person.objects.count()
    outcome = import_file(path=workbook(sheets), unit=persona.station_a, mode="all-or-nothing")
    assert _written(outcome)["person"] == {"created": 0, "updated": 1, "unchanged": 3}
    person = Person.objects.get(name="王秀英")
    assert person.phone == "13911112222"
    assert set(person.tags.values_list("code", flat=True)) == {"elderly-alone", "hardship"}
    change = LedgerChange.objects.filter(record_type="person", record_id=person.pk, action="update").get()
    assert change.source == ChangeSource.IMPORT and change.import_run == outcome.run
    assert change.changes["phone"] == ["***", "139****2222"] and change.changes["tags"] == [
        None,
        ["hardship"],
    ]
    assert Person.objects.count() == before


def test_an_exported_workbook_imports_back_unchanged(persona, ledger_a1, tmp_path):
    """A full export (by a role that may reveal) is in the template's format."""
    from jingmin.ledger.exports import person_workbook
    from jingmin.ledger.selectors import person_list

    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(person_workbook(person_list(persona.chen), full=True)))
    outcome = import_file(path=path, unit=persona.station_a, mode="all-or-nothing")
    assert outcome.run.state == "done", outcome.parsed.rejected
    assert _written(outcome)["person"] == {"created": 0, "updated": 0, "unchanged": 1}


def test_rows_written_in_several_chunks_share_their_addresses(persona, workbook, settings):
    """Chunks are written one after the other; a later chunk finds what an earlier one created."""
    settings.LEDGER_IMPORT_BATCH = 2
    rows = [
        person_row(
            name=f"住户{n}",
            id_number=make_id(date(1960, 1, 1 + n), seq=n),
            household=str(n % 2),
            room=f"50{n % 3}室",
        )
        for n in range(7)
    ]
    for mode in ("all-or-nothing", "valid-rows"):
        outcome = import_file(path=workbook({"人口": rows}), unit=persona.station_a, mode=mode)
        assert outcome.run.state == "done", outcome.result
    # 城关镇 幸福社区 幸福路 12号 3栋 2单元 and three rooms; one house per room.
    assert Address.objects.count() == 9 and House.objects.count() == 3
    assert Person.objects.count() == 7 and Household.objects.count() == 6
