"""`manage.py ledger_template` and `manage.py ledger_import`: what they write and print."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from jingmin.ledger.excel import NOTES_SHEET, SHEETS
from jingmin.ledger.models import ImportRun, Person
from jingmin.ledger.tests.conftest import person_row


def _run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_the_template_has_the_sheets_headers_and_notes(tmp_path):
    path = tmp_path / "template.xlsx"
    output = _run("ledger_template", str(path))
    assert str(path) in output and "人口" in output
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == [NOTES_SHEET, *SHEETS]
    for name, columns in SHEETS.items():
        header = next(book[name].iter_rows(values_only=True))
        assert list(header) == [c.header for c in columns]
    notes = [row[1] for row in book[NOTES_SHEET].iter_rows(values_only=True) if row and len(row) > 1]
    assert "公民身份号码" in notes


def test_the_template_refuses_another_suffix(tmp_path):
    with pytest.raises(CommandError):
        _run("ledger_template", str(tmp_path / "template.csv"))


def test_import_prints_counts_rejections_and_writes_the_report(persona, workbook, tmp_path):
    path = workbook({"人口": [person_row(), person_row(name="", id_number="")]})
    report = tmp_path / "report.xlsx"
    output = _run(
        "ledger_import", str(path), "--mode", "valid-rows", "--unit", "TA10", "--report", str(report)
    )
    assert "2 rows read, for 城关派出所" in output
    assert "人口: 1 valid, 1 rejected" in output
    assert "rejected: 人口 row 3, 姓名: The name is required." in output
    assert "person: 1 created, 0 updated, 0 unchanged" in output
    assert "rows imported in" in output and "rows/s" in output
    rows = list(load_workbook(report, read_only=True).worksheets[1].iter_rows(values_only=True))
    assert rows[1][:3] == ("人口", 3, "姓名")
    again = _run("ledger_import", str(path), "--mode", "valid-rows", "--unit", "TA10")
    assert "person: 0 created, 0 updated, 1 unchanged" in again
    assert Person.objects.count() == 1


def test_all_or_nothing_with_rejections_fails_and_imports_nothing(persona, workbook):
    path = workbook({"人口": [person_row(), person_row(name="", id_number="")]})
    with pytest.raises(CommandError, match="nothing was imported"):
        _run("ledger_import", str(path))
    assert not Person.objects.exists()


def test_a_dry_run_counts_and_keeps_nothing(persona, workbook):
    output = _run("ledger_import", str(workbook({"人口": [person_row()]})), "--dry-run")
    assert "person: 1 created" in output and "dry run, nothing kept" in output
    assert not Person.objects.exists() and not ImportRun.objects.exists()


def test_a_damaged_file_is_a_clear_error(persona, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(CommandError, match=r"not an Excel workbook.*Nothing was imported"):
        _run("ledger_import", str(path))
    with pytest.raises(CommandError, match="no file"):
        _run("ledger_import", str(tmp_path / "missing.xlsx"))
    with pytest.raises(CommandError, match="no active unit"):
        _run("ledger_import", str(path), "--unit", "XX")
