"""The monthly screening report of a station (月度矛盾纠纷排查表), as stations file it in Excel.

The sheet lists every dispute the station had in hand during the month: those carried over (found
before the month and still open at its start) and those found in it. Above the list, the month's
figures:

- carried over (上月结转): registered before the month, not closed before it began;
- found (本月新排查): registered in the month, also by risk grade;
- resolved (化解), handed over (移交) and contained (稳控): closed in the month, by how;
- still open (未结) at the month's end;
- resolution rate (化解率) = resolved ÷ (carried over + found), the share of the month's caseload
  that was settled by mediation.

A dispute's final state never changes once closed, so these come from the disputes' own
`created_at`, `closed_at` and `state`, with no replay of events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.disputes.codes import AuditAction
from jingmin.disputes.models import Dispute, Grade, State
from jingmin.disputes.selectors import dispute_scope, month_bounds
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.scope import Scope


@dataclass
class MonthFigures:
    carried: int = 0
    found: int = 0
    resolved: int = 0
    handed_over: int = 0
    contained: int = 0
    open_at_end: int = 0
    found_by_grade: dict[str, int] = field(default_factory=dict)

    @property
    def caseload(self) -> int:
        return self.carried + self.found

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.caseload if self.caseload else None


@dataclass
class MonthReport:
    station: Unit
    month: date
    figures: MonthFigures
    disputes: list[Dispute]


def report_station(actor: User, station_id: int) -> Unit:
    station = Scope.of(actor).units().filter(pk=station_id, kind=UnitKind.STATION).first()
    if station is None:
        raise Http404
    return station


def stations_for(actor: User) -> QuerySet[Unit]:
    return Scope.of(actor).units().filter(kind=UnitKind.STATION).order_by("path")


def monthly_report(actor: User, station: Unit, month: date) -> MonthReport:
    start, end = month_bounds(month)
    in_hand = (
        Scope.under(station)
        .filter(dispute_scope(actor), "district_path")
        .filter(Q(created_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start)))
    )
    rows = list(in_hand.select_related("district", "officer").prefetch_related("parties", "mediations"))
    figures = MonthFigures(found_by_grade=dict.fromkeys(Grade.values, 0))
    for d in rows:
        if d.created_at < start:
            figures.carried += 1
        else:
            figures.found += 1
            figures.found_by_grade[d.grade] += 1
        if d.closed_at is not None and d.closed_at < end:
            if d.state == State.RESOLVED:
                figures.resolved += 1
            elif d.state == State.HANDED_OVER:
                figures.handed_over += 1
            elif d.state == State.CONTAINED:
                figures.contained += 1
        else:
            figures.open_at_end += 1
    rows.sort(key=lambda d: (d.created_at, d.pk))
    return MonthReport(station=station, month=month, figures=figures, disputes=rows)


def _party_text(dispute: Dispute) -> str:
    # Names only, as on the paper form; identifiers stay out of a file that leaves the system.
    return "、".join(p.name for p in dispute.parties.all())


def _measures(dispute: Dispute) -> str:
    return "；".join(
        f"{timezone.localtime(m.at):%m-%d} {m.what}" + (f"（{m.agreed}）" if m.agreed else "")
        for m in dispute.mediations.all()
    )


def report_workbook(actor: User, report: MonthReport) -> Iterator[bytes]:
    """The report as an .xlsx file, its export recorded in the audit log."""

    from jingmin.core.sheets import Sheets

    f = report.figures
    workbook = Sheets()
    sheet: Any = workbook.sheet(_("Screening"))
    sheet.append(
        [
            _("%(station)s monthly dispute screening report, %(year)d-%(month)02d")
            % {"station": report.station.name, "year": report.month.year, "month": report.month.month}
        ]
    )
    sheet.append(
        [
            _("Carried over"),
            _("Found"),
            _("Resolved"),
            _("Handed over"),
            _("Contained"),
            _("Still open"),
            _("Resolution rate"),
        ]
    )
    rate = f"{f.resolution_rate:.1%}" if f.resolution_rate is not None else "—"
    sheet.append([f.carried, f.found, f.resolved, f.handed_over, f.contained, f.open_at_end, rate])
    sheet.append([str(Grade(g).label) for g in Grade.values])
    sheet.append([f.found_by_grade[g] for g in Grade.values])
    sheet.append([])
    sheet.append(
        [
            _("No."),
            _("Number"),
            _("Found on"),
            _("Police district"),
            _("Place"),
            _("Type"),
            _("Parties"),
            _("People involved"),
            _("Money involved (yuan)"),
            _("Risk grade"),
            _("Summary"),
            _("Mediation"),
            _("State"),
            _("Outcome"),
            _("Responsible officer"),
        ]
    )
    for i, d in enumerate(report.disputes, start=1):
        outcome = d.outcome
        if d.state == State.HANDED_OVER:
            outcome = f"{d.get_handed_to_kind_display()}：{d.handed_to}" + (
                f"；{d.outcome}" if d.outcome else ""
            )
        sheet.append(
            [
                i,
                d.number,
                f"{timezone.localtime(d.created_at):%Y-%m-%d}",
                d.district.name,
                d.place,
                d.get_type_display(),
                _party_text(d),
                d.people_involved,
                float(d.amount_involved) if d.amount_involved is not None else None,
                d.get_grade_display(),
                d.title,
                _measures(d),
                d.get_state_display(),
                outcome,
                d.officer.full_name,
            ]
        )
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_EXPORT,
        target=report.station,
        detail={"month": f"{report.month:%Y-%m}", "rows": len(report.disputes)},
    )
    return workbook.stream()
