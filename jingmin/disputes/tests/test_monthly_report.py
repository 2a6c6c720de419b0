"""The monthly screening report's figures on a hand-made station, and its Excel file."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from jingmin.disputes import report, services
from jingmin.disputes.tests.conftest import register
from jingmin.worktime.calendar import SHANGHAI

pytestmark = pytest.mark.django_db


def at(day: int, month: int = 11):
    return time_machine.travel(datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def station_a_november(persona):
    """Station A in November 2026: two disputes carried over from October (one resolved in
    November, one still open), four found in November (red, orange, yellow, blue) of which one is
    resolved, one handed over, one contained; one closed in October (not in the report) and one
    in station B (not in the report)."""
    a1, a2 = persona.district_a1.pk, persona.district_a2.pk
    with at(10, 10):
        carried_resolved = register(persona.chen, a1, title="十月结转一")
        register(persona.chen, a2, title="十月结转二")
        closed_in_october = register(persona.chen, a1, title="十月已结")
        services.dispute_resolve(actor=persona.chen, dispute_id=closed_in_october.pk, outcome="和解")
    with at(3):
        red = register(persona.chen, a1, grade="red", title="红")
        orange = register(persona.chen, a1, grade="orange", title="橙")
        yellow = register(persona.chen, a2, grade="yellow", title="黄")
        register(persona.chen, a2, grade="blue", title="蓝")
        register(persona.olga, persona.district_b1.pk, title="河西")
    with at(20):
        services.dispute_resolve(actor=persona.chen, dispute_id=carried_resolved.pk, outcome="和解")
        services.dispute_resolve(actor=persona.chen, dispute_id=red.pk, outcome="和解")
        services.dispute_hand_over(
            actor=persona.chen, dispute_id=orange.pk, to_kind="committee", to="东门社区人民调解委员会"
        )
        services.dispute_contain(actor=persona.chen, dispute_id=yellow.pk, note="稳控")
    return persona.station_a


def test_the_months_figures_count_what_the_station_had_in_hand(persona, station_a_november):
    r = report.monthly_report(persona.chen, station_a_november, date(2026, 11, 1))
    f = r.figures
    assert (f.carried, f.found, f.resolved, f.handed_over, f.contained, f.open_at_end) == (2, 4, 2, 1, 1, 2)
    assert f.found_by_grade == {"red": 1, "orange": 1, "yellow": 1, "blue": 1}
    assert f.resolution_rate == pytest.approx(2 / 6)
    assert [d.title for d in r.disputes] == ["十月结转一", "十月结转二", "红", "橙", "黄", "蓝"]


def test_a_month_before_anything_happened_is_empty(persona, station_a_november):
    f = report.monthly_report(persona.chen, station_a_november, date(2026, 9, 1)).figures
    assert (f.carried, f.found, f.resolution_rate) == (0, 0, None)


def test_the_excel_file_has_the_figures_and_one_row_per_dispute(persona, station_a_november):
    r = report.monthly_report(persona.chen, station_a_november, date(2026, 11, 1))
    book = load_workbook(BytesIO(b"".join(report.report_workbook(persona.chen, r))))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[2][:6] == (2, 4, 2, 1, 1, 2)
    listed = [row for row in rows[7:] if row and row[0]]
    assert len(listed) == 6
    handed = next(row for row in listed if row[10] == "橙")
    assert "东门社区人民调解委员会" in str(handed[13])
    # Names only: no phone of a party leaves in the file.
    assert not any("139" in str(cell) for row in rows for cell in row if cell)


def test_a_station_outside_the_scope_has_no_report(persona):
    from django.http import Http404

    with pytest.raises(Http404):
        report.report_station(persona.chen, persona.station_b.pk)
