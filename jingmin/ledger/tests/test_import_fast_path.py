"""A large import (its rows checked in forked processes, its identifiers encrypted there, its new
rows written by COPY) leaves the ledger exactly as the plain path does (each row checked here,
rows written through `bulk_create`, as on SQLite): every field of every record, identifiers
decrypting to the same values beside the same search hashes, the same history, the same rejected
rows with the same reasons in English and Chinese."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from jingmin.core.crypto import decrypt
from jingmin.core.writes import composing
from jingmin.ledger import excel
from jingmin.ledger.imports import import_file
from jingmin.ledger.models import (
    Address,
    House,
    Household,
    ImportRun,
    LedgerChange,
    Organisation,
    Person,
    PersonTag,
)
from jingmin.ledger.tests.conftest import make_id, person_row

MODELS = (Address, House, Household, Person, PersonTag, Organisation, LedgerChange)


def _sheets() -> dict[str, list[dict[str, Any]]]:
    """Rows of every kind: new and repeated, with and without ID numbers, tagged, in households,
    with house fields and positions, organisations, and rows rejected for each kind of reason."""
    persons = []
    for n in range(40):
        persons.append(
            person_row(
                name=f"住户{n}",
                id_number=make_id(date(1950 + n % 40, 1 + n % 12, 1 + n % 28), seq=100 + n),
                phone=f"139{n:08d}",
                room=f"{1 + n % 6}0{1 + n % 2}室",
                household=str(n % 3),
                relation="户主" if n % 5 == 0 else "子女",
                tags="独居老人" if n % 7 == 0 else ("困难家庭、独居老人" if n % 11 == 0 else ""),
            )
        )
    persons += [
        person_row(name="无证老人", id_number="", birth_date="1940-02-02", relation="父母", tags=""),
        person_row(name="无证老人", id_number="", birth_date="1940-02-02", relation="父母", tags=""),
        person_row(name="同号的人", id_number=make_id(date(1950, 1, 1), seq=100)),
        person_row(name="流动人员", id_number="110105900101001", residence="流动", household="", relation=""),
        person_row(name="", id_number=make_id(date(1971, 1, 1), seq=9)),
        person_row(name="坏电话", id_number=make_id(date(1972, 1, 1), seq=9), phone="123"),
        person_row(name="外区", id_number=make_id(date(1973, 1, 1), seq=9), district="TB11"),
        person_row(name="坏标签", id_number=make_id(date(1974, 1, 1), seq=9), tags="可疑人员"),
        person_row(name="坏地址", id_number=make_id(date(1975, 1, 1), seq=9), road=""),
        # A bad address after an ID number: the number is taken, as the plain path takes it.
        person_row(name="再用号码", id_number=make_id(date(1975, 1, 1), seq=9)),
    ]
    address = {
        "district": "TA11",
        "division": "城关镇/幸福社区",
        "road": "幸福路",
        "number": "12号",
        "building": "3栋",
        "unit": "2单元",
        "use": "出租",
        "owner_name": "房东甲",
        "owner_phone": "13700000000",
        "area": 89.5,
        "latitude": 30.25,
        "longitude": 120.15,
    }
    addresses = [{**address, "room": f"{r}01室"} for r in range(1, 5)]
    addresses.append({**address, "room": "101室"})  # repeats the first
    addresses.append({**address, "room": "601室", "latitude": 95})
    shop = {"kind": "商铺", "district": "TA11", "division": "城关镇/幸福社区", "road": "幸福路"}
    organisations = [
        {
            **shop,
            "name": "幸福路便民超市",
            "credit_code": "91350100M000100Y43",
            "contact_phone": "13600001111",
            "number": "14号",
        },
        {**shop, "name": "老张修车铺", "number": "16号"},
        {**shop, "name": "老张修车铺", "number": "16号"},  # repeats the one before
    ]
    return {"地址房屋": addresses, "人口": persons, "单位": organisations}


def _snapshot() -> dict[str, Any]:
    """Every ledger row as values (identifiers decrypted), without the times of writing."""
    out: dict[str, Any] = {}
    for model in MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.get_internal_type() != "DateTimeField"]
        out[model.__name__] = sorted(
            (tuple(str(v) for v in row) for row in model.objects.values_list(*names)),
        )
    return out


def _restart_sequences() -> None:
    """Each run takes the same ids (the ids a rolled-back run took are not given back)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (*MODELS, ImportRun):
            table = model._meta.db_table
            cursor.execute(
                f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)',  # noqa: S608 - names from the models
                [table, "id"],
            )


class _Undo(Exception):
    pass


def _import(path, unit, mode: str) -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
    """Import, look at everything, and roll it back."""
    _restart_sequences()
    seen: dict[str, Any] = {}
    try:
        # One transaction around the import's steps, rolled back at the end.
        with composing():
            outcome = import_file(path=path, unit=unit, mode=mode)
            seen["ledger"] = _snapshot()
            seen["rejected"] = [r.as_dict() for r in outcome.parsed.rejected]
            seen["counts"] = outcome.result.counts if outcome.result else {}
            raise _Undo
    except _Undo:
        pass
    return seen["ledger"], seen["rejected"], seen["counts"]


@pytest.fixture
def plain(settings):
    """The plain path: no pieces checked elsewhere, no COPY."""

    def use() -> None:
        settings.LEDGER_IMPORT_COPY = False
        settings.LEDGER_IMPORT_PARALLEL_BYTES = 1 << 40

    return use


@pytest.fixture
def fast(settings, monkeypatch):
    """The fast path, taken even for a small file: small pieces, checked in two forked processes.
    Returns the number of process pools started."""
    pools: list[int] = []

    class Counted(excel.ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(1)
            super().__init__(*args, **kwargs)

    def use() -> list[int]:
        settings.LEDGER_IMPORT_COPY = True
        settings.LEDGER_IMPORT_PARALLEL_BYTES = 0
        settings.LEDGER_IMPORT_PIECE_BYTES = 4000
        settings.LEDGER_IMPORT_WORKERS = 2
        settings.LEDGER_IMPORT_BATCH = 7
        monkeypatch.setattr(excel, "ProcessPoolExecutor", Counted)
        return pools

    return use


@pytest.mark.parametrize("mode", ["valid-rows", "all-or-nothing"])
def test_the_fast_path_writes_what_the_plain_path_writes(persona, workbook, plain, fast, settings, mode):
    path = workbook(_sheets())
    settings.LEDGER_IMPORT_BATCH = 7
    reasons = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            plain()
            expected = _import(path, persona.station_a, mode)
            pools = fast()
            got = _import(path, persona.station_a, mode)
        assert got == expected
        if connection.vendor == "postgresql":
            assert pools, "the pieces were checked in other processes"
        reasons[language] = {(r["sheet"], r["row"]): r["reason"] for r in expected[1]}
    assert reasons["en"][("地址房屋", 6)] == "The same address as row 2 of this sheet."
    assert reasons["zh-hans"][("地址房屋", 6)] == "与本工作表第2行地址相同。"
    assert reasons["en"][("人口", 51)] == "The same ID number as row 50 of this sheet."
    ledger, rejected, counts = expected
    # What both wrote, as the importer's tests fix it.
    assert {(r["sheet"], r["row"], r["column"]) for r in rejected} == {
        ("地址房屋", 6, "门牌号"),
        ("地址房屋", 7, "纬度"),
        ("人口", 43, "姓名"),
        ("人口", 44, "公民身份号码"),
        ("人口", 46, "姓名"),
        ("人口", 47, "联系电话"),
        ("人口", 48, "警务区代码"),
        ("人口", 49, "关怀标签"),
        ("人口", 50, "街路巷"),
        ("人口", 51, "公民身份号码"),
        ("单位", 4, "单位名称"),
    }
    if mode == "valid-rows":
        assert counts["person"]["created"] == 42
        assert len(ledger["Person"]) == 42 and len(ledger["Organisation"]) == 2
        assert len(ledger["LedgerChange"]) > 42
    else:
        assert ledger["Person"] == [] and counts == {}


def test_identifiers_are_stored_encrypted_beside_their_hashes(persona, workbook, fast):
    fast()
    outcome = import_file(path=workbook(_sheets()), unit=persona.station_a, mode="valid-rows")
    assert outcome.run.state == "done"
    person = Person.objects.get(name="住户3")
    assert person.phone == "13900000003" and person.id_number == make_id(date(1953, 4, 4), seq=103)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM ledger_person WHERE id = %s", [person.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert stored_id != person.id_number and decrypt(stored_id) == person.id_number
    assert decrypt(stored_phone) == "13900000003"
    assert Person.objects.filter(id_hash=person.id_hash).count() == 1
    house = House.objects.filter(owner_phone_hash__gt="").first()
    assert house is not None and house.owner_phone == "13700000000"
