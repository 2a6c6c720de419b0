"""Calendar periods: a day, an ISO week, a month, a quarter, a year, or any from–to."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.core.errors import ServiceError
from jingmin.metrics.codes import ErrorCode
from jingmin.metrics.registry import LOCAL_TZ, Period

# The longest from–to a page or the API computes: beyond it a question is a year's report.
MAX_DAYS = 366 * 3


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def today() -> dt.date:
    return timezone.now().astimezone(LOCAL_TZ).date()


def period_of(grain: str, anchor: dt.date) -> Period:
    """The period of `grain` that holds the day `anchor`."""
    if grain == Grain.DAY:
        return Period(anchor, anchor)
    if grain == Grain.WEEK:
        start = anchor - dt.timedelta(days=anchor.weekday())
        return Period(start, start + dt.timedelta(days=6))
    if grain == Grain.MONTH:
        return Period(anchor.replace(day=1), _month_end(anchor.year, anchor.month))
    if grain == Grain.QUARTER:
        first = 3 * ((anchor.month - 1) // 3) + 1
        return Period(dt.date(anchor.year, first, 1), _month_end(anchor.year, first + 2))
    if grain == Grain.YEAR:
        return Period(dt.date(anchor.year, 1, 1), dt.date(anchor.year, 12, 31))
    raise ServiceError(_("Unknown period."), code=ErrorCode.BAD_PERIOD, field="grain")


def grain_of(period: Period) -> str:
    """The calendar grain `period` is one whole of (a day, a week, a month ...), or "" for a
    from–to range: the period chooser shows what a page was opened for, also through a link
    that names only the dates."""
    for grain in (Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.YEAR):
        if period_of(grain, period.start) == period:
            return str(grain)
    return ""


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def months_back(period_end: dt.date, count: int) -> list[Period]:
    """The `count` calendar months up to the one holding `period_end`, oldest first."""
    months: list[Period] = []
    year, month = period_end.year, period_end.month
    for _n in range(count):
        months.append(Period(dt.date(year, month, 1), _month_end(year, month)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def parse_period(*, grain: str = "", on: str = "", start: str = "", end: str = "") -> Period:
    """A period from a query string: `from`/`to` dates, or a grain and a day in it (this month)."""
    try:
        if start or end:
            if not (start and end):
                raise ValueError
            period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        else:
            anchor = dt.date.fromisoformat(on) if on else today()
            period = period_of(grain or Grain.MONTH, anchor)
    except ValueError:
        raise ServiceError(
            _("Give the period as two dates, YYYY-MM-DD, the first not after the second."),
            code=ErrorCode.BAD_PERIOD,
            field="from",
        ) from None
    if period.end < period.start or period.days > MAX_DAYS:
        raise ServiceError(
            _("A period runs from a first day to a last day not after it, at most three years."),
            code=ErrorCode.BAD_PERIOD,
            field="to",
        )
    return period
