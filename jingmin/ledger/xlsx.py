"""The rows of an xlsx sheet, read as openpyxl's read-only mode reads them, in pieces.

openpyxl (read-only, values only) parses the whole sheet once to size it when it declares no
dimension, and parses every cell through its own descriptors; with defusedxml installed it
parses through the pure-Python XML parser. For a ledger of 100,000 rows that reading alone took
most of a minute. Here the package parts are read with openpyxl's own rules (the same shared
strings, the same date styles and epoch, the same cell types), but each cell is one small step
of the C parser, and the sheet's XML is cut at row boundaries into pieces that parse on their
own, so that other processes can read and check them side by side.

What openpyxl makes of a sheet is kept: rows are numbered by their `r` attribute (or follow the
previous row), missing rows come as empty rows, and a declared dimension cuts the rows and
columns beyond it. A file declaring a DTD is refused (no entity of ours needs one).
"""

from __future__ import annotations

import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TypeVar
from xml.etree.ElementTree import XMLPullParser, fromstring

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_ROW, _CELL, _VALUE, _INLINE, _TEXT, _RUN = (f"{MAIN}{t}" for t in ("row", "c", "v", "is", "t", "r"))
_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_ROOT = re.compile(rb"<(?:[\w.-]+:)?worksheet\b[^>]*>")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
_COLUMN = re.compile(r"([A-Z]+)")

T = TypeVar("T")


class UnsafeWorkbook(ValueError):
    """The package declares a DTD, which no workbook needs."""


def _refuse_doctype(data: bytes) -> None:
    head = data[:4096] if len(data) > 4096 else data
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise UnsafeWorkbook("a DTD in the workbook")


def _parse_whole(data: bytes) -> Iterator[Any]:
    """The 'end' events of a whole small part (workbook, styles, relations)."""
    _refuse_doctype(data)
    parser = XMLPullParser(events=("end",))
    parser.feed(data)
    parser.close()
    for _event, element in _events(parser):
        yield element


def _events(parser: XMLPullParser) -> Iterator[tuple[str, Any]]:
    """The parser's events, each an event name and an element."""
    yield from parser.read_events()  # type: ignore[misc]


def _text_content(element: Any) -> str:
    """openpyxl's `Text.content`: the plain text and the rich-text runs, without phonetics."""
    parts = []
    plain = element.find(_TEXT)
    if plain is not None:
        parts.append(plain.text or "")
    for run in element.findall(_RUN):
        t = run.find(_TEXT)
        if t is not None:
            parts.append(t.text or "")
    return "".join(parts)


@dataclass(frozen=True)
class Cells:
    """What a piece of a sheet needs to turn cells into values."""

    strings: list[str]
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    epoch: Any
    max_col: int | None


@dataclass(frozen=True)
class SheetXml:
    name: str
    data: bytes
    max_row: int | None
    max_col: int | None


class Workbook:
    """An xlsx package opened for its sheets' rows. Raises `zipfile.BadZipFile`, `KeyError`,
    `ValueError` (including `UnsafeWorkbook`) and `xml.etree.ElementTree.ParseError` (a
    `SyntaxError`) for a damaged file."""

    def __init__(self, path: Any) -> None:
        self.archive = zipfile.ZipFile(path)
        names = set(self.archive.namelist())
        office = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for element in _parse_whole(self.archive.read("_rels/.rels")):
                if element.tag == f"{PACKAGE_REL}Relationship" and element.get("Type", "").endswith(
                    "/officeDocument"
                ):
                    office = element.get("Target", office).lstrip("/")
        folder = posixpath.dirname(office)
        rels_path = posixpath.join(folder, "_rels", posixpath.basename(office) + ".rels")
        targets: dict[str, str] = {}
        for element in _parse_whole(self.archive.read(rels_path)):
            if element.tag == f"{PACKAGE_REL}Relationship":
                target = element.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                targets[element.get("Id", "")] = posixpath.normpath(target)
                if element.get("Type", "").endswith("/sharedStrings"):
                    self._strings_path: str | None = targets[element.get("Id", "")]
                if element.get("Type", "").endswith("/styles"):
                    self._styles_path: str | None = targets[element.get("Id", "")]
        self.sheets: dict[str, str] = {}
        date1904 = False
        for element in _parse_whole(self.archive.read(office)):
            if element.tag == f"{MAIN}sheet":
                target = targets.get(element.get(f"{REL}id", ""))
                if target is not None:
                    self.sheets[element.get("name", "")] = target
            elif element.tag == f"{MAIN}workbookPr":
                date1904 = element.get("date1904", "").lower() in ("1", "true")
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.date_styles, self.timedelta_styles = self._styles()
        self._strings: list[str] | None = None

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def close(self) -> None:
        self.archive.close()

    def _styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles (by index) that openpyxl reads as dates and as durations."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        path = getattr(self, "_styles_path", None)
        if path is None or path not in self.archive.namelist():
            return frozenset(), frozenset()
        custom: dict[int, str] = {}
        formats: list[int] = []
        in_cell_xfs = False
        parser = XMLPullParser(events=("start", "end"))
        data = self.archive.read(path)
        _refuse_doctype(data)
        parser.feed(data)
        parser.close()
        for event, element in _events(parser):
            if element.tag == f"{MAIN}cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and element.tag == f"{MAIN}numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and in_cell_xfs and element.tag == f"{MAIN}xf":
                formats.append(int(element.get("numFmtId", "0")))
        dates, durations = set(), set()
        for index, fmt_id in enumerate(formats):
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, ""))
            if code and is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
        return frozenset(dates), frozenset(durations)

    def strings(self) -> list[str]:
        """The shared strings, as openpyxl's `read_string_table` gives them."""
        if self._strings is None:
            self._strings = []
            path = getattr(self, "_strings_path", None)
            if path is not None and path in self.archive.namelist():
                with self.archive.open(path) as source:
                    self._strings = _read_strings(source)
        return self._strings

    def sheet(self, name: str) -> SheetXml:
        data = self.archive.read(self.sheets[name])
        _refuse_doctype(data)
        head = data[: data.find(b"<sheetData")] if b"<sheetData" in data else data[:4096]
        max_row = max_col = None
        match = _DIMENSION.search(head)
        if match:
            from openpyxl.utils.cell import range_boundaries

            try:
                _min_col, _min_row, max_col, max_row = range_boundaries(match[1].decode())
            except (ValueError, TypeError):
                max_row = max_col = None
        return SheetXml(name=name, data=data, max_row=max_row, max_col=max_col)

    def cells(self, sheet: SheetXml) -> Cells:
        return Cells(
            strings=self.strings(),
            date_styles=self.date_styles,
            timedelta_styles=self.timedelta_styles,
            epoch=self.epoch,
            max_col=sheet.max_col,
        )


def _read_strings(source: IO[bytes]) -> list[str]:
    strings: list[str] = []
    parser = XMLPullParser(events=("end",))
    tag = f"{MAIN}si"
    first = True
    while block := source.read(1 << 20):
        if first:
            _refuse_doctype(block)
            first = False
        elif b"<!ENTITY" in block:
            raise UnsafeWorkbook("a DTD in the workbook")
        parser.feed(block)
        for _event, element in _events(parser):
            if element.tag == tag:
                strings.append(_text_content(element).replace("x005F_", ""))
                element.clear()
    parser.close()
    return strings


def pieces(sheet: SheetXml, size: int) -> list[bytes]:
    """The sheet's rows as XML documents of about `size` bytes each, cut between rows; each
    keeps the sheet's root element (its namespace declarations). The first piece holds only the
    first row (the header)."""
    data = sheet.data
    match = _SHEET_DATA.search(data)
    root = _ROOT.search(data)
    if match is None or root is None or match[2]:
        return []
    prefix = match[1]
    start = match.end()
    end = data.rfind(b"</" + prefix + b"sheetData>")
    if end < start:
        raise ValueError("the sheet's data is not closed")
    opening = root[0] + b"<" + prefix + b"sheetData>"
    closing = b"</" + prefix + b"sheetData></" + root[0][1:].split(None, 1)[0].rstrip(b">") + b">"
    row_start = re.compile(b"<" + re.escape(prefix) + rb"row[\s>/]")
    out: list[bytes] = []
    first = row_start.search(data, start, end)
    if first is None:
        return []
    second = row_start.search(data, first.end(), end)
    cuts = [first.start(), second.start() if second else end]
    while cuts[-1] < end:
        found = row_start.search(data, min(cuts[-1] + size, end), end)
        cuts.append(found.start() if found else end)
    for a, b in itertools.pairwise(cuts):
        if b > a:
            out.append(opening + data[a:b] + closing)
    return out


def parse_piece(piece: bytes, cells: Cells) -> list[tuple[int | None, tuple[Any, ...]]]:
    """The rows of one piece: (the row's `r` number or None, its values from column A), as
    openpyxl's `_get_row` gives them (`max_col` cuts and pads)."""
    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    strings, dates, durations, epoch, max_col = (
        cells.strings,
        cells.date_styles,
        cells.timedelta_styles,
        cells.epoch,
        cells.max_col,
    )
    columns: dict[str, int] = {}
    rows: list[tuple[int | None, tuple[Any, ...]]] = []
    # A piece starts at the root element: no prolog, so no DTD and no entity of its own.
    root = fromstring(piece)  # noqa: S314 - see above
    data = root.find(f"{MAIN}sheetData")
    for row in data if data is not None else ():
        if row.tag != _ROW:
            continue
        r = row.get("r")
        number: int | None = None
        if r is not None:
            try:
                number = int(r)
            except ValueError:
                as_float = float(r)
                if not as_float.is_integer():
                    raise ValueError(f"{r} is not a valid row number") from None
                number = int(as_float)
        found: list[tuple[int, Any]] = []
        counter = 0
        for cell in row:
            if cell.tag != _CELL:
                continue
            coordinate = cell.get("r")
            if coordinate:
                letters = _COLUMN.match(coordinate)
                if letters is None:
                    raise ValueError(f"{coordinate} is not a cell reference")
                key = letters[1]
                column = columns.get(key)
                if column is None:
                    column = columns[key] = column_index_from_string(key)
                counter = column
            else:
                counter += 1
                column = counter
            kind = cell.get("t", "n")
            value: Any = None
            if kind == "inlineStr":
                inline = cell.find(_INLINE)
                if inline is not None:
                    value = _text_content(inline)
            else:
                text = cell.findtext(_VALUE) or None
                if text is not None:
                    if kind == "n":
                        value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
                        style = int(cell.get("s") or 0)
                        if style in dates:
                            try:
                                value = from_excel(value, epoch, timedelta=style in durations)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"
                    elif kind == "s":
                        value = strings[int(text)]
                    elif kind == "b":
                        value = bool(int(text))
                    elif kind == "d":
                        value = from_ISO8601(text)
                    else:  # "str" (a formula's text), "e" (an error)
                        value = text
            found.append((column, value))
        width = max_col or (found[-1][0] if found else 0)
        values: list[Any] = [None] * width
        for column, value in found:
            if 1 <= column <= width:
                values[column - 1] = value
        rows.append((number, tuple(values)))
    return rows


def numbered(rows: Iterable[tuple[int | None, T]], *, max_row: int | None) -> Iterator[tuple[int, T | None]]:
    """openpyxl's `_cells_by_row` from row 1: (position from 1, payload) in order, a missing row
    as None, a row numbered at or below one already given left out, rows past `max_row` cut."""
    counter = 1
    idx = 0
    for number, payload in rows:
        idx = number if number is not None else idx + 1
        if max_row is not None and idx > max_row:
            return
        while counter < idx:
            yield counter, None
            counter += 1
        if counter <= idx:
            yield counter, payload
            counter += 1
