"""Excel workbooks of the indicators: the same figures as the page, from the same `compute`.

Cells are written as values, never as formulas: a label beginning with "=" is text (openpyxl
writes a string starting with "=" as a formula, so such strings are prefixed with a quote).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.metrics import registry
from jingmin.metrics.codes import AuditAction
from jingmin.metrics.compute import Figure
from jingmin.metrics.registry import Period
from jingmin.metrics.selectors import UnitRow
from jingmin.org.models import Unit, User


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _write(sheets: Iterable[tuple[str, Iterable[list[Any]]]], out: IO[bytes]) -> None:
    # openpyxl is imported when someone exports, not by every worker at start-up. Write-only: each
    # row goes to the sheet's file as it is appended, none is kept.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            sheet.append([_cell(v) for v in row])
    workbook.save(out)


def _save(sheets: Iterable[tuple[str, Iterable[list[Any]]]]) -> bytes:
    out = io.BytesIO()
    _write(sheets, out)
    return out.getvalue()


def _head(unit: Unit, period: Period, version: int) -> list[list[Any]]:
    return [
        [_("Unit"), unit.name],
        [_("Period"), f"{period.start:%Y-%m-%d} – {period.end:%Y-%m-%d}"],
        [_("Settings version"), version],
        [],
    ]


def units_workbook(*, actor: User, unit: Unit, period: Period, rows: list[UnitRow]) -> bytes:
    keys = list(rows[0].figures) if rows else []
    version = next(iter(rows[0].figures.values())).settings.version if rows and rows[0].figures else 0
    header: list[Any] = [_("Unit")]
    for key in keys:
        label = str(rows[0].figures[key].indicator.label)
        header += [
            label,
            f"{label} · {_('numerator')}",
            f"{label} · {_('denominator')}",
            f"{label} · {_('fewer than 20 cases')}",
        ]
    table: list[list[Any]] = [*_head(unit, period, version), header]
    for row in rows:
        line: list[Any] = [row.unit.name]
        for key in keys:
            f = row.figures[key]
            line += [f.value, f.measure.numerator, f.measure.denominator, _("Yes") if f.small else ""]
        table.append(line)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=unit,
        detail={"from": period.start.isoformat(), "to": period.end.isoformat()},
    )
    return _save([(_("Indicators"), table)])


def figure_workbook(*, actor: User, unit: Unit, period: Period, fig: Figure) -> IO[bytes]:
    """The figure and every record of its three lists, read from the database in chunks and
    written row by row into a temporary file (rewound, deleted once closed): the response sends
    the file in pieces, so a list of a hundred thousand records is never held in memory."""
    m = fig.measure
    summary = [
        *_head(unit, period, fig.settings.version),
        [_("Indicator"), str(fig.indicator.label)],
        [_("Formula"), str(fig.indicator.formula)],
        [_("Value"), fig.value],
        [_("Numerator"), m.numerator],
        [_("Denominator"), m.denominator],
        [_("Fewer than 20 cases"), _("Yes") if fig.small else ""],
    ]

    def listing(refs: registry.RecordList) -> Iterator[list[Any]]:
        yield [_("Record"), _("Date"), _("Note")]
        for r in refs:
            yield [r.label, r.date.isoformat() if r.date else "", r.reason]

    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=unit,
        detail={"key": fig.key, "from": period.start.isoformat(), "to": period.end.isoformat()},
    )
    out = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by the response that sends it
    _write(
        [
            (_("Figure"), summary),
            (_("Numerator"), listing(m.numerator_records)),
            (_("Denominator"), listing(m.denominator_records)),
            (_("Excluded"), listing(m.excluded)),
        ],
        out,
    )
    out.seek(0)
    return out
