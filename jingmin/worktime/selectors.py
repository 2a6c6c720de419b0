"""Reads of the calendar for its pages. The calendar is bureau-wide: no unit scope applies."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require
from jingmin.worktime.calendar import is_workday, uncovered_years
from jingmin.worktime.models import CalendarDay, CalendarYear

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from jingmin.org.models import User


@dataclass(frozen=True)
class Cell:
    day: date
    is_workday: bool
    special: CalendarDay | None  # set when the day breaks the weekend rule


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[Cell | None]]  # None pads the days of the neighbouring months


@dataclass(frozen=True)
class YearOverview:
    year: int
    schedule: CalendarYear | None
    days: list[CalendarDay]
    months: list[Month]


def calendar_overview(*, actor: User, year: int) -> YearOverview:
    require(actor, Cap.MANAGE_CALENDAR)
    schedule = CalendarYear.objects.select_related("updated_by").filter(year=year).first()
    days = list(
        CalendarDay.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)).order_by("day")
    )
    if schedule is None:
        # Stray rows of an unpublished year are not used by deadlines, so they are not shown.
        days = []
    by_day = {row.day: row for row in days}
    months = []
    weeks_of = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    for month in range(1, 13):
        weeks = [
            [Cell(day, is_workday(day), by_day.get(day)) if day.month == month else None for day in week]
            for week in weeks_of(year, month)
        ]
        months.append(Month(date(year, month, 1), weeks))
    return YearOverview(year, schedule, days, months)


def coverage_warning(user: User | AnonymousUser) -> dict[str, Any]:
    """Context for `worktime/_coverage_warning.html`, for any page that shows the warning."""
    return {"uncovered_years": uncovered_years(), "can_edit_calendar": can(user, Cap.MANAGE_CALENDAR)}
