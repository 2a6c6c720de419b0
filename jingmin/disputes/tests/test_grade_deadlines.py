"""A grade's deadline counts working days on the calendar, so a holiday does not count."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from jingmin.disputes import rules
from jingmin.disputes.tests.conftest import register
from jingmin.worktime.calendar import SHANGHAI, calendar_cache_clear
from jingmin.worktime.models import CalendarDay, CalendarSource, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day_2026(db):
    """1 to 7 October 2026 off, Saturday 10 October worked (the 2026 schedule's shape)."""
    CalendarYear.objects.update_or_create(year=2026, defaults={"source": CalendarSource.MANUAL})
    CalendarDay.objects.filter(day__year=2026, day__month__in=[9, 10]).delete()
    for d in range(1, 8):
        CalendarDay.objects.create(
            day=date(2026, 10, d), is_workday=False, name="国庆节", source=CalendarSource.MANUAL
        )
    CalendarDay.objects.create(
        day=date(2026, 10, 10), is_workday=True, name="国庆节调休", source=CalendarSource.MANUAL
    )
    calendar_cache_clear()
    yield
    calendar_cache_clear()


def test_a_red_dispute_found_before_national_day_is_due_after_it(settings, national_day_2026):
    settings.DISPUTE_GRADES = {**settings.DISPUTE_GRADES, "red": {"deadline_days": 3, "visit_days": 1}}
    found = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    # Working days after 30 September: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Saturday, worked).
    assert rules.deadline_for("red", found) == datetime(2026, 10, 10, 23, 59, 59, tzinfo=SHANGHAI)


def test_without_the_holiday_the_same_count_ends_on_a_weekday(settings, db):
    settings.DISPUTE_GRADES = {**settings.DISPUTE_GRADES, "red": {"deadline_days": 3, "visit_days": 1}}
    CalendarDay.objects.filter(day__year=2025, day__month=3).delete()
    calendar_cache_clear()
    # 3 March 2025 was a Monday with no holiday near: Thursday 6 March.
    assert rules.deadline_for("red", datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)).date() == date(2025, 3, 6)


def test_a_registered_dispute_takes_its_grades_deadline(persona, settings, national_day_2026):
    settings.DISPUTE_GRADES = {**settings.DISPUTE_GRADES, "orange": {"deadline_days": 2, "visit_days": 3}}
    with time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        dispute = register(persona.oliver, persona.district_a1.pk, grade="orange")
    assert dispute.deadline.astimezone(SHANGHAI).date() == date(2026, 10, 9)
    assert dispute.visit_due == date(2026, 10, 3)
