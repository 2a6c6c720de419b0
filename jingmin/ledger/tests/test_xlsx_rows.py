"""The sheet reader gives every row as openpyxl's read-only mode gives it: the same values (text
from shared and inline strings, rich text, numbers, dates and times by their style, booleans,
formulas' cached results), the same empty rows where rows are missing, the same row numbers."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from jingmin.ledger import xlsx


def _openpyxl_rows(path, name):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return list(enumerate(workbook[name].iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _our_rows(path, name, piece_bytes):
    workbook = xlsx.Workbook(path)
    try:
        sheet = workbook.sheet(name)
        cells = workbook.cells(sheet)
        raw = [row for piece in xlsx.pieces(sheet, piece_bytes) for row in xlsx.parse_piece(piece, cells)]
        width = sheet.max_col or 0
        return [
            (n, values if values is not None else (None,) * width)
            for n, values in xlsx.numbered(iter(raw), max_row=sheet.max_row)
        ]
    finally:
        workbook.close()


def test_rows_read_in_pieces_are_openpyxls_rows(tmp_path):
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "人口"
    sheet.append(["姓名", "出生日期", "数", "是否", "时间", "公式"])
    sheet.append(["王秀英", date(1949, 12, 31), 12, True, time(8, 30), "=1+1"])
    sheet.append(
        [
            "  空格  ",
            datetime(2020, 1, 2, 3, 4, 5),  # noqa: DTZ001 - a workbook holds no time zone
            1.5,
            False,
            None,
            None,
        ]
    )
    sheet.append(
        [CellRichText("李", TextBlock(InlineFont(b=True), "明")), "1980-01-01", 1e20, None, None, None]
    )
    sheet["A7"] = "隔了几行"
    sheet["D9"] = 110105194912310020
    for n in range(10, 60):
        sheet.append([f"住户{n}", date(1960, 1, 1 + n % 28), n, n % 2 == 0])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    expected = _openpyxl_rows(path, "人口")
    assert expected[1][1][0] == "王秀英" and expected[6][1][0] == "隔了几行"
    for piece_bytes in (1, 300, 1 << 20):
        assert _our_rows(path, "人口", piece_bytes) == expected


def test_a_sheet_written_without_a_dimension_is_read_whole(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人口")
    for n in range(30):
        sheet.append([f"甲{n}", n, None, "乙" if n % 3 else None])
    path = tmp_path / "streamed.xlsx"
    workbook.save(path)
    assert _our_rows(path, "人口", 200) == _openpyxl_rows(path, "人口")


def test_a_sheet_declaring_entities_is_refused_as_damaged(persona, tmp_path):
    """A DTD (the way to an entity that expands a billion times) has no place in a workbook."""
    import zipfile

    import pytest

    from jingmin.ledger.excel import WorkbookError, read_workbook
    from jingmin.ledger.tests.conftest import person_row, write_workbook

    good = write_workbook(tmp_path / "good.xlsx", {"人口": [person_row()]})
    bad = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1)
            target.writestr(info, data)
    with pytest.raises(WorkbookError) as error:
        read_workbook(bad, unit=persona.bureau)
    assert error.value.code == "damaged"
    assert read_workbook(good, unit=persona.bureau).persons
