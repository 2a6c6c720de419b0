"""The Excel format of legacy ledgers: the template, and reading a workbook into checked rows.

The workbook has three data sheets (地址房屋, 人口, 单位) and a notes sheet (说明). Each data row
names its standard address in full (police district code, divisions, road, number, building,
unit, floor, room), so that a sheet exported from any legacy system, one person per row, can be
imported as it is. Headers are fixed Chinese strings: they are the file format, not the interface.

Reading never writes to the database. A file that cannot be ours (not an xlsx, no sheet of the
template, wrong headers, past the size limits, no data rows) is refused whole with a
`WorkbookError`; anything wrong in a row rejects that row, with the sheet, row number, column and
reason, and the other rows go on.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from jingmin.core.codes import CommonError
from jingmin.core.crypto import encrypt, lookup_hash, mask
from jingmin.core.errors import ServiceError
from jingmin.core.sheets import Sheets, row_values
from jingmin.core.text import clean_text
from jingmin.ledger import services, xlsx
from jingmin.ledger.bulk import by_copy
from jingmin.ledger.codes import ErrorCode
from jingmin.ledger.identifiers import normalise_phone
from jingmin.ledger.models import (
    AddressKind,
    HouseUse,
    OrganisationKind,
    Relation,
    Residence,
    Sex,
    Tag,
)
from jingmin.org.models import Unit, UnitKind
from jingmin.org.scope import Scope

ADDRESS_SHEET = "地址房屋"
PERSON_SHEET = "人口"
ORGANISATION_SHEET = "单位"
NOTES_SHEET = "说明"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    note: str
    example: str = ""


ADDRESS_COLUMNS = [
    Column("district", "警务区代码", True, "负责的警务区的单位代码（见系统“组织机构”）", "TA11"),
    Column(
        "division",
        "行政区划",
        True,
        "从上到下的行政区划，用“/”分隔，如 城关镇/幸福社区",
        "城关镇/幸福社区",
    ),
    Column("road", "街路巷", True, "街、路、巷的名称", "幸福路"),
    Column("number", "门牌号", True, "门牌号", "12号"),
    Column("building", "楼栋", False, "楼栋，平房留空", "3栋"),
    Column("unit", "单元", False, "单元，可留空", "2单元"),
    Column("floor", "楼层", False, "楼层，可留空", "5层"),
    Column("room", "户室", False, "户室号，可留空", "502室"),
]

HOUSE_COLUMNS = [
    Column("use", "房屋用途", False, "自住、出租、商用、商住、空置、其他；留空为自住", "自住"),
    Column("rented", "是否出租", False, "是或否；用途为出租时视为是", "否"),
    Column("owner_name", "房主姓名", False, "房屋所有人", "张建国"),
    Column("owner_phone", "房主电话", False, "11位手机号或带区号的座机", "13800001234"),
    Column("area", "建筑面积", False, "平方米", "89.5"),
    Column("latitude", "纬度", False, "十进制度，如 30.123456", ""),
    Column("longitude", "经度", False, "十进制度，如 120.123456", ""),
    Column("note", "备注", False, "", ""),
]

PERSON_COLUMNS = [
    Column("name", "姓名", True, "", "王秀英"),
    Column("sex", "性别", False, "男或女；有身份证号时以号码为准", "女"),
    Column(
        "id_number",
        "公民身份号码",
        False,
        "18位（末位可为X）或15位旧号码（自动升为18位）；请把此列设为文本格式",
        "11010519491231002X",
    ),
    Column("birth_date", "出生日期", False, "如 1949-12-31；有身份证号时以号码为准", ""),
    Column("phone", "联系电话", False, "11位手机号或带区号的座机", "13912345678"),
    Column("residence", "人口类别", False, "户籍、流动、境外；留空为户籍", "户籍"),
    Column("nationality", "国籍", False, "境外人员填写", ""),
    *ADDRESS_COLUMNS,
    Column("household", "户号", False, "同一房屋内的户号；填写户号或与户主关系即归入该户", "1"),
    Column("relation", "与户主关系", False, "户主、配偶、子女、父母、孙子女、兄弟姐妹、其他", "户主"),
    Column("tags", "关怀标签", False, "用顿号或逗号分隔，如 独居老人、困难家庭", "独居老人"),
    Column("note", "备注", False, "", ""),
]

ORGANISATION_COLUMNS = [
    Column("name", "单位名称", True, "", "幸福路便民超市"),
    Column(
        "kind",
        "单位类别",
        False,
        "商铺、企业、学校、医院、餐饮、旅馆、机关、社会组织、其他",
        "商铺",
    ),
    Column("credit_code", "统一社会信用代码", False, "18位；没有可留空", ""),
    Column("contact_name", "联系人", False, "", "李明"),
    Column("contact_phone", "联系电话", False, "", "13700001111"),
    Column("employees", "从业人数", False, "整数", "5"),
    *ADDRESS_COLUMNS,
    Column("note", "备注", False, "", ""),
]

SHEETS: dict[str, list[Column]] = {
    ADDRESS_SHEET: [*ADDRESS_COLUMNS, *HOUSE_COLUMNS],
    PERSON_SHEET: PERSON_COLUMNS,
    ORGANISATION_SHEET: ORGANISATION_COLUMNS,
}

# The words of the sheets, beside the codes the system uses (either is accepted).
SEX_WORDS = {"男": Sex.MALE, "女": Sex.FEMALE, "未知": Sex.UNKNOWN}
RESIDENCE_WORDS = {
    "户籍": Residence.REGISTERED,
    "户籍人口": Residence.REGISTERED,
    "常住": Residence.REGISTERED,
    "流动": Residence.FLOATING,
    "流动人口": Residence.FLOATING,
    "境外": Residence.FOREIGN,
    "境外人员": Residence.FOREIGN,
}
RELATION_WORDS = {
    "户主": Relation.HEAD,
    "本人": Relation.HEAD,
    "配偶": Relation.SPOUSE,
    "妻": Relation.SPOUSE,
    "夫": Relation.SPOUSE,
    "子女": Relation.CHILD,
    "子": Relation.CHILD,
    "女": Relation.CHILD,
    "父母": Relation.PARENT,
    "父亲": Relation.PARENT,
    "母亲": Relation.PARENT,
    "孙子女": Relation.GRANDCHILD,
    "兄弟姐妹": Relation.SIBLING,
    "其他": Relation.OTHER,
}
USE_WORDS = {
    "自住": HouseUse.RESIDENTIAL,
    "居住": HouseUse.RESIDENTIAL,
    "出租": HouseUse.RENTED,
    "商用": HouseUse.COMMERCIAL,
    "商住": HouseUse.MIXED,
    "空置": HouseUse.VACANT,
    "其他": HouseUse.OTHER,
}
ORGANISATION_WORDS = {
    "商铺": OrganisationKind.SHOP,
    "企业": OrganisationKind.COMPANY,
    "公司": OrganisationKind.COMPANY,
    "学校": OrganisationKind.SCHOOL,
    "医院": OrganisationKind.HOSPITAL,
    "诊所": OrganisationKind.HOSPITAL,
    "餐饮": OrganisationKind.RESTAURANT,
    "旅馆": OrganisationKind.HOTEL,
    "宾馆": OrganisationKind.HOTEL,
    "机关": OrganisationKind.GOVERNMENT,
    "社会组织": OrganisationKind.SOCIAL,
    "其他": OrganisationKind.OTHER,
}
YES_WORDS = {
    "是": True,
    "否": False,
    "Y": True,
    "N": False,
    "1": True,
    "0": False,
    "TRUE": True,
    "FALSE": False,
}

# Sheet words for the labels a user sees: the same words the export writes.
SEX_LABELS: dict[str, str] = {v: k for k, v in SEX_WORDS.items()}
RESIDENCE_LABELS: dict[str, str] = {
    Residence.REGISTERED: "户籍",
    Residence.FLOATING: "流动",
    Residence.FOREIGN: "境外",
}
RELATION_LABELS: dict[str, str] = {
    Relation.HEAD: "户主",
    Relation.SPOUSE: "配偶",
    Relation.CHILD: "子女",
    Relation.PARENT: "父母",
    Relation.GRANDCHILD: "孙子女",
    Relation.SIBLING: "兄弟姐妹",
    Relation.OTHER: "其他",
}
USE_LABELS = {
    HouseUse.RESIDENTIAL: "自住",
    HouseUse.RENTED: "出租",
    HouseUse.COMMERCIAL: "商用",
    HouseUse.MIXED: "商住",
    HouseUse.VACANT: "空置",
    HouseUse.OTHER: "其他",
}
ORGANISATION_LABELS: dict[str, str] = {
    OrganisationKind.SHOP: "商铺",
    OrganisationKind.COMPANY: "企业",
    OrganisationKind.SCHOOL: "学校",
    OrganisationKind.HOSPITAL: "医院",
    OrganisationKind.RESTAURANT: "餐饮",
    OrganisationKind.HOTEL: "旅馆",
    OrganisationKind.GOVERNMENT: "机关",
    OrganisationKind.SOCIAL: "社会组织",
    OrganisationKind.OTHER: "其他",
}

NOTES = [
    "一标三实台账导入模板",
    "每个工作表第一行是表头，请勿修改、删除或调换表头；从第二行起每行一条记录。",
    "“地址房屋”登记标准地址和实有房屋；“人口”登记实有人口；“单位”登记实有单位。不用的工作表可以删除。",
    "每行都写出完整的标准地址：警务区代码、行政区划（用“/”分隔多级）、街路巷、门牌号，以及楼栋、单元、楼层、户室（可留空）。"
    "地址不存在时自动创建；人口行的地址没有房屋时自动登记房屋。",
    "同一文件可以重复导入，不会产生重复记录：人口按公民身份号码识别（无号码时按姓名、出生日期和房屋），"
    "地址按完整的标准地址，房屋按地址，户按房屋和户号，单位按统一社会信用代码（无代码时按名称和地址）。",
    "已有记录再次导入时，非空的单元格更新原值，空单元格保留原值；关怀标签只增不减。",
    "公民身份号码列请设为文本格式：Excel 把18位数字存为数值时会丢失末几位，此类单元格会被拒绝。",
    "导入前系统会先检查全部行并列出被拒绝的行（工作表、行号、列、原因）；可选择“全部或全不”或“只导入有效行”。",
]


class WorkbookError(Exception):
    """The file as a whole cannot be imported; nothing was read into the ledger."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Rejection:
    sheet: str
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class AddressRef:
    district: Unit
    parts: tuple[tuple[str, str], ...]  # (kind, name), top first


@dataclass
class AddressRow:
    row: int
    ref: AddressRef
    house: dict[str, Any]  # the house fields given in the row
    latitude: Decimal | None
    longitude: Decimal | None
    sealed: dict[str, str] = field(default_factory=dict)  # identifiers encrypted, by plain value


@dataclass
class PersonRow:
    row: int
    ref: AddressRef
    fields: dict[str, Any]  # checked fields; keys absent where the cell was empty
    id_hash: str
    phone_hash: str
    household_number: str | None  # None: the row puts the person in no household
    tags: list[Tag]
    sealed: dict[str, str] = field(default_factory=dict)


@dataclass
class OrganisationRow:
    row: int
    ref: AddressRef
    fields: dict[str, Any]
    sealed: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedWorkbook:
    addresses: list[AddressRow] = field(default_factory=list)
    persons: list[PersonRow] = field(default_factory=list)
    organisations: list[OrganisationRow] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    rows_total: int = 0
    sheets: list[str] = field(default_factory=list)

    @property
    def valid_total(self) -> int:
        return len(self.addresses) + len(self.persons) + len(self.organisations)

    def counts(self) -> dict[str, dict[str, int]]:
        rejected: dict[str, int] = {}
        for r in self.rejected:
            rejected[r.sheet] = rejected.get(r.sheet, 0) + 1
        valid = {
            ADDRESS_SHEET: len(self.addresses),
            PERSON_SHEET: len(self.persons),
            ORGANISATION_SHEET: len(self.organisations),
        }
        return {sheet: {"valid": valid[sheet], "rejected": rejected.get(sheet, 0)} for sheet in self.sheets}


# ---------------------------------------------------------------------------------------------
# The template


def write_template(out: str | Path | IO[bytes]) -> None:
    """The empty workbook to fill in: the data sheets with their headers and one example row each,
    and the notes sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    notes = workbook.active
    assert notes is not None  # a new workbook has its sheet
    notes.title = NOTES_SHEET
    # The template's own text, through the one cleaning of every written cell all the same.
    for line in NOTES:
        notes.append(row_values([line]))
    notes.append([])
    notes.append(row_values(["工作表", "列", "必填", "说明", "示例"]))
    for sheet_name, columns in SHEETS.items():
        for column in columns:
            notes.append(
                row_values(
                    [sheet_name, column.header, "是" if column.required else "", column.note, column.example]
                )
            )
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 18
    notes.column_dimensions["D"].width = 60
    for sheet_name, columns in SHEETS.items():
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(row_values([c.header for c in columns]))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns, start=1):
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = max(10, len(column.header) * 2 + 2)
            # Identifiers as text, so that Excel keeps every digit of what is typed in.
            if column.key in {
                "id_number",
                "phone",
                "owner_phone",
                "contact_phone",
                "credit_code",
                "district",
            }:
                for row in range(2, 1002):
                    sheet.cell(row=row, column=i).number_format = "@"
    workbook.save(out)


# ---------------------------------------------------------------------------------------------
# Reading


def check_file(path: Path) -> None:
    """Refuse a file that is too large, not an xlsx, or that unpacks to too much."""
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(_("The file is empty."), code=CommonError.EMPTY)
    if size > settings.LEDGER_IMPORT_MAX_BYTES:
        raise WorkbookError(
            _(
                "The file is %(size)d MB; at most %(limit)d MB can be imported at once. Split it into smaller files."
            )
            % {"size": size // (1024 * 1024) + 1, "limit": settings.LEDGER_IMPORT_MAX_BYTES // (1024 * 1024)},
            code=CommonError.TOO_LARGE,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        raise WorkbookError(
            _("The file is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and upload it again."),
            code=ErrorCode.NOT_XLSX,
        ) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise WorkbookError(
            _("The file is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and upload it again."),
            code=ErrorCode.NOT_XLSX,
        )
    if unpacked > settings.LEDGER_IMPORT_MAX_UNPACKED_BYTES:
        raise WorkbookError(
            _("The workbook unpacks to more than %(limit)d MB. Split it into smaller files.")
            % {"limit": settings.LEDGER_IMPORT_MAX_UNPACKED_BYTES // (1024 * 1024)},
            code=CommonError.TOO_LARGE,
        )


def read_workbook(
    path: Path,
    *,
    unit: Unit,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedWorkbook:
    """Check a workbook and every row of it. Rows are accepted only for police districts under
    `unit`. `progress(done, total)` is called now and then."""
    check_file(path)
    try:
        workbook = xlsx.Workbook(path)
    except Exception as exc:  # a damaged package fails in many ways
        raise WorkbookError(
            _(
                "The workbook is damaged and cannot be read (%(error)s). Open it in Excel, save it again and retry."
            )
            % {"error": type(exc).__name__},
            code=ErrorCode.DAMAGED,
        ) from exc
    try:
        return _read(workbook, unit=unit, progress=progress)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError, IndexError) as exc:
        raise WorkbookError(
            _(
                "The workbook is damaged and cannot be read (%(error)s). Open it in Excel, save it again and retry."
            )
            % {"error": type(exc).__name__},
            code=ErrorCode.DAMAGED,
        ) from exc
    finally:
        workbook.close()


def _read(
    workbook: xlsx.Workbook, *, unit: Unit, progress: Callable[[int, int], None] | None
) -> ParsedWorkbook:
    present = [name for name in SHEETS if name in workbook.sheetnames]
    if not present:
        raise WorkbookError(
            _(
                "The workbook has none of the template's sheets (%(sheets)s). "
                "Download the template and copy the rows into it."
            )
            % {"sheets": "、".join(SHEETS)},
            code=ErrorCode.WRONG_SHEETS,
        )
    # The declared sizes first: a sheet claiming a million rows is refused before any is read.
    sheets = [workbook.sheet(name) for name in present]
    declared = sum(max(0, (sheet.max_row or 1) - 1) for sheet in sheets)
    limit = settings.LEDGER_IMPORT_MAX_ROWS
    if declared > limit:
        raise WorkbookError(
            _(
                "The workbook has %(rows)d rows; at most %(limit)d can be imported at once. Split it into smaller files."
            )
            % {"rows": declared, "limit": limit},
            code=ErrorCode.TOO_MANY_ROWS,
        )
    parsed = ParsedWorkbook(sheets=present)
    context = _Context(unit=unit)
    context.load()
    seal = by_copy()
    for sheet in sheets:
        job = _Job(
            sheet=sheet.name,
            pieces=xlsx.pieces(sheet, settings.LEDGER_IMPORT_PIECE_BYTES),
            cells=workbook.cells(sheet),
            context=context,
            seal=seal,
        )
        rows = xlsx.numbered(_sheet_rows(job), max_row=sheet.max_row)
        first = next(rows, None)
        job.columns = _match_header(sheet.name, first[1] if first else None)
        for number, checked in rows:
            if checked is None:
                continue
            parsed.rows_total += 1
            if parsed.rows_total > limit:
                raise WorkbookError(
                    _("The workbook has more than %(limit)d rows. Split it into smaller files.")
                    % {"limit": limit},
                    code=ErrorCode.TOO_MANY_ROWS,
                )
            _accept(parsed, context, sheet.name, number, checked)
            if progress is not None and parsed.rows_total % 2000 == 0:
                progress(parsed.rows_total, declared)
    if parsed.rows_total == 0:
        raise WorkbookError(
            _("The workbook holds no rows to import: fill in the rows below the header row."),
            code=CommonError.EMPTY,
        )
    if progress is not None:
        progress(parsed.rows_total, parsed.rows_total)
    return parsed


@dataclass
class _Job:
    """One sheet's reading: its pieces of XML, and what checking a row needs. The header comes
    first, from the first piece, read here; the columns it names are set before the other
    pieces are checked."""

    sheet: str
    pieces: list[bytes]
    cells: xlsx.Cells
    context: _Context
    seal: bool
    columns: dict[str, int] = field(default_factory=dict)


# The job of the sheet being read, for the worker processes forked to check its pieces.
_FORKED_JOB: _Job | None = None


def _sheet_rows(job: _Job) -> Iterator[tuple[int | None, Any]]:
    """The header row's values, then each other row checked (None for a blank row), in order."""
    if not job.pieces:
        return
    yield from xlsx.parse_piece(job.pieces[0], job.cells)
    rest = range(1, len(job.pieces))
    workers = _workers(job)
    if workers <= 1:
        for index in rest:
            yield from _check_piece(job, index)
        return
    global _FORKED_JOB
    _FORKED_JOB = job
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for checked in pool.map(_check_forked_piece, rest):
                yield from checked
    finally:
        _FORKED_JOB = None


def _workers(job: _Job) -> int:
    """Processes to check the pieces in: one (this one) for a small sheet, without COPY (on
    SQLite), or where processes cannot be forked; else as many as the setting allows and the
    machine has."""
    size = sum(len(piece) for piece in job.pieces)
    if (
        not job.seal
        or size < settings.LEDGER_IMPORT_PARALLEL_BYTES
        or len(job.pieces) < 3
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 1
    return max(1, min(settings.LEDGER_IMPORT_WORKERS, os.cpu_count() or 1))


def _check_forked_piece(index: int) -> list[tuple[int | None, _Checked | None]]:
    assert _FORKED_JOB is not None  # set before the pool forked
    return _check_piece(_FORKED_JOB, index)


def _check_piece(job: _Job, index: int) -> list[tuple[int | None, _Checked | None]]:
    headers = {c.key: c.header for c in SHEETS[job.sheet]}
    check = _CHECKS[job.sheet]
    out: list[tuple[int | None, _Checked | None]] = []
    for number, values in xlsx.parse_piece(job.pieces[index], job.cells):
        if all(_blank(v) for v in values):
            out.append((number, None))
            continue
        cells = {key: values[i] if i < len(values) else None for key, i in job.columns.items()}
        repeats: list[_Repeat] = []
        try:
            row = check(job.context, cells, headers, repeats)
        except _RowRejected as rejected:
            out.append((number, _Checked(repeats, None, _rejection_parts(headers, rejected))))
            continue
        if job.seal:
            row.sealed = {value: encrypt(value) for value in _sensitive_values(row)}
        out.append((number, _Checked(repeats, row, None)))
    return out


def _sensitive_values(row: AddressRow | PersonRow | OrganisationRow) -> list[str]:
    given = row.house if isinstance(row, AddressRow) else row.fields
    return [given[key] for key in SENSITIVE_KEYS if given.get(key)]


def _match_header(sheet: str, header: tuple[Any, ...] | None) -> dict[str, int]:
    expected = {c.header: c.key for c in SHEETS[sheet]}
    found = [str(v).strip() if v is not None else "" for v in (header or ())]
    while found and not found[-1]:
        found.pop()
    missing = [h for h in expected if h not in found]
    unknown = [h for h in found if h and h not in expected]
    if missing or unknown or len(set(found)) != len(found):
        parts = []
        if missing:
            parts.append(_("missing: %(columns)s") % {"columns": "、".join(missing)})
        if unknown:
            parts.append(_("not in the template: %(columns)s") % {"columns": "、".join(unknown)})
        if not parts:
            parts.append(_("a column appears twice"))
        raise WorkbookError(
            _("The header row of sheet “%(sheet)s” does not match the template (%(problems)s).")
            % {"sheet": sheet, "problems": "; ".join(parts)},
            code=ErrorCode.WRONG_HEADERS,
        )
    return {expected[h]: i for i, h in enumerate(found) if h}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _Context:
    """What the rows of one workbook share: the units and tags looked up once, and the natural
    keys seen so far, to reject a row that repeats an earlier one. `load` reads the units and
    tags before any row is checked, so that checking needs no database (nor its connection, in
    a forked process)."""

    unit: Unit
    districts: dict[str, Unit] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    addresses_seen: dict[tuple[tuple[str, str], ...], int] = field(default_factory=dict)
    ids_seen: dict[str, int] = field(default_factory=dict)
    credit_codes_seen: dict[str, int] = field(default_factory=dict)
    organisations_seen: dict[tuple[str, tuple[tuple[str, str], ...]], int] = field(default_factory=dict)
    unnumbered_seen: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def load(self) -> None:
        ordering = Unit._meta.ordering or ["pk"]
        for unit in Unit.objects.filter(kind=UnitKind.DISTRICT, is_active=True).order_by(*ordering):
            self.districts.setdefault(unit.code, unit)
        for tag in Tag.objects.filter(is_active=True):
            self.tags[tag.code] = tag
            self.tags[tag.name] = tag

    def district(self, code: str) -> Unit | None:
        return self.districts.get(code)

    def tag(self, word: str) -> Tag | None:
        return self.tags.get(word)


@dataclass(frozen=True)
class _Repeat:
    """A natural key that must not repeat an earlier row's (in `seen`, a dict of the context):
    tested in row order after the row is checked on its own, in the place of the check where it
    stands, so that a row is rejected for exactly what the first failing check says."""

    seen: str
    key: Any
    column: str
    value: Any
    reason: str  # with %(row)d, the earlier row


@dataclass
class _Checked:
    """One row checked on its own: the repeats to test in order, then the row or why not."""

    repeats: list[_Repeat]
    row: AddressRow | PersonRow | OrganisationRow | None
    rejected: tuple[str, str, str] | None  # column, value as shown, reason


class _RowRejected(Exception):
    def __init__(self, column: str, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


SENSITIVE_KEYS = {"id_number", "phone", "owner_phone", "contact_phone"}


def _rejection_parts(headers: dict[str, str], rejected: _RowRejected) -> tuple[str, str, str]:
    """The column, the value as the report shows it (masked where it is an identifier) and the reason."""
    value = _text(rejected.value)
    key = next((k for k, h in headers.items() if h == rejected.column), "")
    if key in SENSITIVE_KEYS:
        value = mask(value)
    return rejected.column, value[:60], rejected.reason


def _accept(parsed: ParsedWorkbook, context: _Context, sheet: str, number: int, checked: _Checked) -> None:
    """Test a checked row's repeats against the rows before it, and keep it or its rejection."""
    rejected = checked.rejected
    for repeat in checked.repeats:
        seen: dict[Any, int] = getattr(context, repeat.seen)
        first = seen.setdefault(repeat.key, number)
        if first != number:
            headers = {c.key: c.header for c in SHEETS[sheet]}
            rejected = _rejection_parts(
                headers, _RowRejected(repeat.column, repeat.value, repeat.reason % {"row": first})
            )
            break
    if rejected is not None:
        parsed.rejected.append(Rejection(sheet, number, *rejected))
        return
    row = checked.row
    assert row is not None  # a row is kept or rejected
    row.row = number
    if isinstance(row, AddressRow):
        parsed.addresses.append(row)
    elif isinstance(row, PersonRow):
        parsed.persons.append(row)
    else:
        parsed.organisations.append(row)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    return " ".join(clean_text(str(value)).split())


def _service_check(headers: dict[str, str], cells: dict[str, Any], check: Callable[[], Any]) -> Any:
    """Run a service's check; its refusal names a field, which names the column."""
    try:
        return check()
    except ServiceError as error:
        # The services name their fields as the template's column keys do.
        key = error.field or ""
        raise _RowRejected(headers.get(key, ""), cells.get(key), error.message) from None


def _address_ref(context: _Context, cells: dict[str, Any], headers: dict[str, str]) -> AddressRef:
    code = _text(cells.get("district"))
    if not code:
        raise _RowRejected(headers["district"], code, _("The police district code is required."))
    district = context.district(code)
    if district is None:
        raise _RowRejected(headers["district"], code, _("No police district has this code."))
    if not Scope.under(context.unit).contains(district):
        raise _RowRejected(
            headers["district"],
            code,
            _("This police district is not under %(unit)s, for which the import is made.")
            % {"unit": context.unit.name},
        )
    parts: list[tuple[str, str]] = []
    divisions = [p for p in re.split(r"[/／\\]", _text(cells.get("division"))) if p.strip()]
    if not divisions:
        raise _RowRejected(headers["division"], "", _("The administrative division is required."))
    for name in divisions:
        parts.append((AddressKind.DIVISION, _address_name(headers["division"], name)))
    for key, kind, required in [
        ("road", AddressKind.ROAD, True),
        ("number", AddressKind.NUMBER, True),
        ("building", AddressKind.BUILDING, False),
        ("unit", AddressKind.UNIT, False),
        ("floor", AddressKind.FLOOR, False),
        ("room", AddressKind.ROOM, False),
    ]:
        name = _text(cells.get(key))
        if not name:
            if required:
                raise _RowRejected(headers[key], "", _("This part of the address is required."))
            continue
        parts.append((kind, _address_name(headers[key], name)))
    return AddressRef(district=district, parts=tuple(parts))


def _address_name(column: str, name: str) -> str:
    try:
        return services.check_address_name(name)
    except ServiceError as error:
        raise _RowRejected(column, name, error.message) from None


def _choice(
    cells: dict[str, Any], headers: dict[str, str], key: str, words: Mapping[str, str], values: frozenset[str]
) -> str:
    raw = _text(cells.get(key))
    if not raw:
        return ""
    if raw in words:
        return words[raw]
    if raw.lower() in values:
        return raw.lower()
    raise _RowRejected(
        headers[key],
        raw,
        _("Not one of the allowed values: %(values)s.") % {"values": "、".join(dict.fromkeys(words))},
    )


def _decimal(cells: dict[str, Any], headers: dict[str, str], key: str, reason: str) -> Decimal | None:
    raw = cells.get(key)
    if _blank(raw):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise _RowRejected(headers[key], raw, reason) from None
    if not value.is_finite():
        raise _RowRejected(headers[key], raw, reason)
    return value


def _position(cells: dict[str, Any], headers: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
    reason = _("Enter the position in decimal degrees, such as 30.123456.")
    latitude = _decimal(cells, headers, "latitude", reason)
    longitude = _decimal(cells, headers, "longitude", reason)
    if (latitude is None) != (longitude is None):
        column = headers["longitude"] if latitude is not None else headers["latitude"]
        raise _RowRejected(column, "", _("Give both latitude and longitude, or neither."))
    if latitude is not None and not (-90 <= latitude <= 90):
        raise _RowRejected(headers["latitude"], latitude, _("The latitude must lie between -90 and 90."))
    if longitude is not None and not (-180 <= longitude <= 180):
        raise _RowRejected(headers["longitude"], longitude, _("The longitude must lie between -180 and 180."))
    if latitude is not None and longitude is not None:
        return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))
    return None, None


def _address_row(
    context: _Context, cells: dict[str, Any], headers: dict[str, str], repeats: list[_Repeat]
) -> AddressRow:
    ref = _address_ref(context, cells, headers)
    repeats.append(
        _Repeat(
            "addresses_seen",
            ref.parts,
            headers["number"],
            "",
            _("The same address as row %(row)d of this sheet."),
        )
    )
    house: dict[str, Any] = {}
    use = _choice(cells, headers, "use", USE_WORDS, services.VALUES[HouseUse])
    if use:
        house["use"] = use
    rented_raw = _text(cells.get("rented")).upper()
    if rented_raw:
        if rented_raw not in YES_WORDS:
            raise _RowRejected(headers["rented"], rented_raw, _("Write 是 or 否."))
        house["rented"] = YES_WORDS[rented_raw]
    if use == HouseUse.RENTED:
        house["rented"] = True
    owner_name = _text(cells.get("owner_name"))
    if owner_name:
        if len(owner_name) > 60:
            raise _RowRejected(
                headers["owner_name"], owner_name, _("The owner's name is at most 60 characters.")
            )
        house["owner_name"] = owner_name
    phone = _phone(cells, headers, "owner_phone")
    if phone:
        house["owner_phone"] = phone
    area = _decimal(cells, headers, "area", _("Enter the floor area in square metres, such as 89.5."))
    if area is not None:
        if not (0 < area < 1_000_000):
            raise _RowRejected(
                headers["area"], area, _("The floor area must be a positive number of square metres.")
            )
        house["area"] = area.quantize(Decimal("0.01"))
    note = _text(cells.get("note"))
    if note:
        house["note"] = note
    latitude, longitude = _position(cells, headers)
    return AddressRow(row=0, ref=ref, house=house, latitude=latitude, longitude=longitude)


def _phone(cells: dict[str, Any], headers: dict[str, str], key: str) -> str:
    raw = cells.get(key)
    if _blank(raw):
        return ""
    try:
        return normalise_phone(_text(raw), field=key)
    except ServiceError as error:
        raise _RowRejected(headers[key], raw, error.message) from None


def _date(cells: dict[str, Any], headers: dict[str, str], key: str) -> date | None:
    raw = cells.get(key)
    if _blank(raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text(raw)
    match = re.fullmatch(r"(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise _RowRejected(headers[key], raw, _("Enter a date such as 1980-01-31."))


def _person_row(
    context: _Context, cells: dict[str, Any], headers: dict[str, str], repeats: list[_Repeat]
) -> PersonRow:
    raw_id = cells.get("id_number")
    if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
        raise _RowRejected(
            headers["id_number"],
            raw_id,
            _(
                "Excel stored this ID number as a number and may have lost its last digits: format the column as text."
            ),
        )
    name = _text(cells.get("name"))
    if not name:
        raise _RowRejected(headers["name"], "", _("The name is required."))
    sex = _choice(cells, headers, "sex", SEX_WORDS, services.VALUES[Sex])
    residence = _choice(cells, headers, "residence", RESIDENCE_WORDS, services.VALUES[Residence])
    relation = _choice(cells, headers, "relation", RELATION_WORDS, services.VALUES[Relation])
    birth_date = _date(cells, headers, "birth_date")
    data = services.PersonInput(
        name=name,
        sex=sex or Sex.UNKNOWN,
        id_number=_text(raw_id),
        birth_date=birth_date,
        phone=_text(cells.get("phone")),
        residence=residence or Residence.REGISTERED,
        nationality=_text(cells.get("nationality")),
        relation=relation,
        note=_text(cells.get("note")),
    )
    checked = _service_check(headers, cells, lambda: services.check_person(data))
    # Only what the row gives: an empty cell leaves the ledger's value as it is.
    fields = {"name": checked["name"]}
    if checked["id_number"]:
        fields.update(id_number=checked["id_number"], sex=checked["sex"], birth_date=checked["birth_date"])
    else:
        if sex:
            fields["sex"] = sex
        if birth_date is not None:
            fields["birth_date"] = checked["birth_date"]
    for key in ("phone", "nationality", "relation", "note"):
        if checked[key]:
            fields[key] = checked[key]
    if residence:
        fields["residence"] = residence
    id_hash = lookup_hash(checked["id_number"]) if checked["id_number"] else ""
    if id_hash:
        repeats.append(
            _Repeat(
                "ids_seen",
                id_hash,
                headers["id_number"],
                raw_id,
                _("The same ID number as row %(row)d of this sheet."),
            )
        )
    ref = _address_ref(context, cells, headers)
    if not id_hash:
        # Without an ID number a person is known by name, date of birth and house.
        repeats.append(
            _Repeat(
                "unnumbered_seen",
                (fields["name"], fields.get("birth_date"), ref.parts),
                headers["name"],
                name,
                _("The same person (name, date of birth, address) as row %(row)d of this sheet."),
            )
        )
    tags: list[Tag] = []
    for word in re.split(r"[、,，;；\s]+", _text(cells.get("tags"))):
        if not word:
            continue
        tag = context.tag(word)
        if tag is None:
            raise _RowRejected(headers["tags"], word, _("No care tag is called “%(tag)s”.") % {"tag": word})
        tags.append(tag)
    household_raw = _text(cells.get("household"))
    if len(household_raw) > 30:
        raise _RowRejected(
            headers["household"], household_raw, _("The household number is at most 30 characters.")
        )
    household_number = household_raw if household_raw or relation else None
    return PersonRow(
        row=0,
        ref=ref,
        fields=fields,
        id_hash=id_hash,
        phone_hash=lookup_hash(checked["phone"]) if checked["phone"] else "",
        household_number=household_number,
        tags=tags,
    )


def _organisation_row(
    context: _Context, cells: dict[str, Any], headers: dict[str, str], repeats: list[_Repeat]
) -> OrganisationRow:
    kind = _choice(cells, headers, "kind", ORGANISATION_WORDS, services.VALUES[OrganisationKind])
    employees_raw = cells.get("employees")
    employees: int | None = None
    if not _blank(employees_raw):
        try:
            employees = int(Decimal(str(employees_raw).strip()))
        except (InvalidOperation, ValueError):
            raise _RowRejected(headers["employees"], employees_raw, _("Enter a whole number.")) from None
    data = services.OrganisationInput(
        name=_text(cells.get("name")),
        kind=kind or OrganisationKind.OTHER,
        credit_code=_text(cells.get("credit_code")),
        contact_name=_text(cells.get("contact_name")),
        contact_phone=_text(cells.get("contact_phone")),
        employees=employees,
        note=_text(cells.get("note")),
    )
    checked = _service_check(headers, cells, lambda: services.check_organisation(data))
    ref = _address_ref(context, cells, headers)
    if checked["credit_code"]:
        repeats.append(
            _Repeat(
                "credit_codes_seen",
                checked["credit_code"],
                headers["credit_code"],
                checked["credit_code"],
                _("The same credit code as row %(row)d of this sheet."),
            )
        )
    else:
        repeats.append(
            _Repeat(
                "organisations_seen",
                (checked["name"], ref.parts),
                headers["name"],
                checked["name"],
                _("The same organisation at the same address as row %(row)d of this sheet."),
            )
        )
    fields = {"name": checked["name"]}
    if kind:
        fields["kind"] = kind
    for key in ("credit_code", "contact_name", "contact_phone", "note"):
        if checked[key]:
            fields[key] = checked[key]
    if employees is not None:
        fields["employees"] = employees
    return OrganisationRow(row=0, ref=ref, fields=fields)


_CHECKS: dict[str, Callable[[_Context, dict[str, Any], dict[str, str], list[_Repeat]], Any]] = {
    ADDRESS_SHEET: _address_row,
    PERSON_SHEET: _person_row,
    ORGANISATION_SHEET: _organisation_row,
}


def iter_rejections(rejections: list[Rejection]) -> Iterator[list[Any]]:
    for r in rejections:
        yield [r.sheet, r.row, r.column, r.value, r.reason]


def write_report(
    out: str | Path | IO[bytes], *, counts: dict[str, Any], rejected: list[Rejection], error: str = ""
) -> None:
    """The import's report: a summary sheet and every rejected row with its reason."""
    workbook = Sheets()
    summary = workbook.sheet(_("Summary"))
    if error:
        summary.append([_("Error"), error])
    summary.append([_("Sheet"), _("What"), _("Rows")])
    for sheet, figures in counts.items():
        if isinstance(figures, dict):
            for what, n in figures.items():
                summary.append([sheet, what, n])
    rows = workbook.sheet(_("Rejected rows"))
    rows.append([_("Sheet"), _("Row"), _("Column"), _("Value"), _("Reason")])
    for line in iter_rejections(rejected):
        rows.append(line)
    workbook.save(out)
