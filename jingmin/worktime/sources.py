"""The schedule as the `chinese-calendar` package knows it (2004 to 2026 in version 1.11.0)."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version

from chinese_calendar.constants import Holiday, holidays, workdays

# What a working weekend is called; the package only names the holiday it makes up for.
WORKING_WEEKEND_NAME = "调休上班"


def package_version() -> str:
    return version("chinese-calendar")


def package_years() -> list[int]:
    return sorted({day.year for day in holidays} | {day.year for day in workdays})


def package_days(year: int) -> list[tuple[date, bool, str]]:
    """The year's days that break the weekend rule, as (day, is_workday, name), in date order.

    The package also lists holidays that fall on a weekend; those are rest days anyway, and
    storing only the exceptions keeps the weekend rule the single source for every other day.
    """
    days: list[tuple[date, bool, str]] = [
        (day, False, Holiday(english).chinese)
        for day, english in holidays.items()
        if day.year == year and day.weekday() < 5
    ]
    days += [(day, True, WORKING_WEEKEND_NAME) for day in workdays if day.year == year and day.weekday() >= 5]
    return sorted(days)
