"""Each way an import can go wrong: a file refused whole (damaged, empty, wrong, huge) changes
nothing; a bad row is reported with its sheet, row number, column and reason; all-or-nothing
writes nothing when any row is rejected, valid-rows writes the rest."""

from __future__ import annotations

import zipfile
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from jingmin.ledger.excel import WorkbookError, write_template
from jingmin.ledger.imports import import_file
from jingmin.ledger.models import Address, ImportRun, LedgerChange, Person
from jingmin.ledger.tests.conftest import make_id, person_row


def _nothing_changed() -> bool:
    return not (Address.objects.exists() or Person.objects.exists() or LedgerChange.objects.exists())


def _refused(path, persona, code: str) -> WorkbookError:
    with pytest.raises(WorkbookError) as error, translation.override("en"):
        import_file(path=path, unit=persona.bureau, mode="valid-rows")
    assert error.value.code == code
    assert _nothing_changed() and not ImportRun.objects.exists()
    return error.value


def test_a_damaged_file_is_refused(persona, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"this is not a workbook at all" * 10)
    assert "not an Excel workbook" in _refused(path, persona, "not_xlsx").message


def test_a_truncated_workbook_is_refused(persona, tmp_path, workbook):
    good = workbook({"人口": [person_row()]}).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    _refused(path, persona, "not_xlsx")


def test_a_zip_that_is_no_workbook_is_refused(persona, tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(path, persona, "not_xlsx")


def test_an_empty_file_is_refused(persona, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    _refused(path, persona, "empty")


def test_a_workbook_without_rows_is_refused(persona, tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    assert "no rows" in _refused(path, persona, "empty").message


def test_a_workbook_with_other_sheets_is_refused(persona, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证"])
    book.save(path)
    _refused(path, persona, "wrong_sheets")


def test_wrong_headers_are_refused_naming_the_columns(persona, workbook):
    from jingmin.ledger.excel import PERSON_COLUMNS

    headers = [c.header for c in PERSON_COLUMNS]
    headers[headers.index("公民身份号码")] = "身份证号"
    path = workbook({"人口": [person_row()]}, headers={"人口": headers})
    message = _refused(path, persona, "wrong_headers").message
    assert "公民身份号码" in message and "身份证号" in message and "人口" in message


def test_a_file_past_the_size_limit_is_refused(persona, workbook, settings):
    path = workbook({"人口": [person_row()]})
    settings.LEDGER_IMPORT_MAX_BYTES = path.stat().st_size - 1
    _refused(path, persona, "too_large")


def test_a_file_that_unpacks_too_large_is_refused(persona, workbook, settings):
    path = workbook({"人口": [person_row()]})
    settings.LEDGER_IMPORT_MAX_UNPACKED_BYTES = 1000
    _refused(path, persona, "too_large")


def test_a_file_past_the_row_limit_is_refused(persona, workbook, settings):
    settings.LEDGER_IMPORT_MAX_ROWS = 3
    rows = [person_row(name=f"甲{n}", id_number="", household="", relation="") for n in range(4)]
    path = workbook({"人口": rows})
    assert "3" in _refused(path, persona, "too_many_rows").message


BAD_ROWS: list[tuple[dict[str, Any], str, str]] = [
    # (overrides, column, words of the reason)
    (
        {"id_number": make_id()[:17] + "0" if make_id()[17] != "0" else make_id()[:17] + "1"},
        "公民身份号码",
        "check",
    ),
    ({"id_number": "110105" + "19900230" + "1234"}, "公民身份号码", "does not exist"),
    ({"name": ""}, "姓名", "required"),
    ({"district": "NOPE"}, "警务区代码", "No police district"),
    ({"district": "TB11"}, "警务区代码", "not under"),
    ({"road": ""}, "街路巷", "required"),
    ({"residence": "游客"}, "人口类别", "allowed values"),
    ({"phone": "123"}, "联系电话", "mobile"),
    ({"tags": "可疑人员"}, "关怀标签", "No care tag"),
    ({"birth_date": "1990-13-01", "id_number": ""}, "出生日期", "date"),
    ({"id_number": 110105194912310020}, "公民身份号码", "as a number"),
]


def test_bad_rows_are_reported_with_sheet_row_column_and_reason(persona, workbook):
    rows = [person_row(name="好人", id_number=make_id(date(1970, 1, 1), seq=3))]
    for n, (overrides, _column, _reason) in enumerate(BAD_ROWS):
        rows.append(person_row(**{"id_number": make_id(date(1971, 1, 1), seq=10 + n), **overrides}))
    path = workbook({"人口": rows})
    # The reasons are checked in English (the interface's default is Chinese).
    with translation.override("en"):
        outcome = import_file(path=path, unit=persona.station_a, mode="valid-rows")
    rejected = {r.row: r for r in outcome.parsed.rejected}
    assert sorted(rejected) == list(range(3, 3 + len(BAD_ROWS)))
    for n, (_overrides, column, reason) in enumerate(BAD_ROWS):
        row = rejected[3 + n]
        assert row.sheet == "人口" and row.column == column, (n, row)
        assert reason in row.reason, (n, row)
    # Identifiers in the report are masked.
    assert not any(make_id(date(1971, 1, 1), seq=10) in r.value for r in outcome.parsed.rejected)
    # valid-rows: the good row is in.
    assert list(Person.objects.values_list("name", flat=True)) == ["好人"]


def test_all_or_nothing_with_a_bad_row_writes_nothing(persona, workbook):
    rows = [person_row(name="好人"), person_row(name="", id_number=make_id(date(1971, 1, 1), seq=9))]
    outcome = import_file(path=workbook({"人口": rows}), unit=persona.bureau, mode="all-or-nothing")
    assert outcome.run.state == "rejected" and outcome.run.rejected_total == 1
    assert not Person.objects.exists() and not Address.objects.exists()
    assert not LedgerChange.objects.exists()


def test_all_or_nothing_rolls_back_rows_rejected_while_writing(persona, workbook, ledger_b1):
    """A row that checks out alone but conflicts with the ledger (this ID number is a person in
    Olga's district, outside station A) rejects the whole import, after other rows were written."""
    rows = [
        person_row(name="好人"),
        person_row(name="李四", id_number=ledger_b1["person"].id_number, household="9", relation="其他"),
    ]
    addresses = Address.objects.count()
    with translation.override("en"):
        outcome = import_file(path=workbook({"人口": rows}), unit=persona.station_a, mode="all-or-nothing")
    assert outcome.run.state == "rejected"
    assert outcome.result is not None
    assert [r.reason for r in outcome.result.rejected] == [
        "This person is registered in a police district outside 城关派出所."
    ]
    assert Person.objects.count() == 1 and Address.objects.count() == addresses
    # The same file in valid-rows mode imports the good row.
    outcome = import_file(path=workbook({"人口": rows}), unit=persona.station_a, mode="valid-rows")
    assert outcome.run.state == "done"
    assert set(Person.objects.values_list("name", flat=True)) == {"好人", "李四"}
    assert Person.objects.get(name="李四").district == persona.district_b1


def test_rows_repeating_an_earlier_row_are_rejected(persona, workbook):
    rows = [person_row(), person_row(name="别名")]
    with translation.override("en"):
        outcome = import_file(path=workbook({"人口": rows}), unit=persona.bureau, mode="valid-rows")
    assert [(r.row, r.column) for r in outcome.parsed.rejected] == [(3, "公民身份号码")]
    assert "row 2" in outcome.parsed.rejected[0].reason
