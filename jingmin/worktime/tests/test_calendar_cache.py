"""The calendar is read from memory once loaded, and an edit by another process is noticed."""

from datetime import date

import pytest

from jingmin.worktime import calendar
from jingmin.worktime.models import CalendarDay, CalendarSource, CalendarYear


@pytest.mark.django_db
def test_a_loaded_year_costs_no_query(django_assert_num_queries):
    calendar.is_workday(date(2025, 10, 1))
    with django_assert_num_queries(0):
        for day in range(1, 32):
            calendar.is_workday(date(2025, 10, day))
        calendar.year_covered(2025)


@pytest.mark.django_db
def test_another_process_edit_is_noticed_at_the_next_recheck(monkeypatch):
    assert calendar.is_workday(date(2027, 1, 1))
    # Another process publishes 2027: this process's services did not run, so nothing cleared.
    CalendarYear.objects.create(year=2027, source=CalendarSource.MANUAL)
    CalendarDay.objects.create(
        day=date(2027, 1, 1), is_workday=False, name="元旦", source=CalendarSource.MANUAL
    )
    assert calendar.is_workday(date(2027, 1, 1))  # still the copy in memory, until the recheck
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", -1.0)
    assert not calendar.is_workday(date(2027, 1, 1))
