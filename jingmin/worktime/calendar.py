"""Working days on the mainland calendar: the one place deadlines ask whether a day is worked.

A day is a working day by the weekend rule (Monday to Friday) unless the year's official schedule,
stored as `CalendarDay` exceptions, says otherwise. A year without a `CalendarYear` row counts
weekends only.

Deadlines are computed on every appeal write, so each process keeps the exceptions of each year it
has seen in memory. The services that edit the calendar drop that copy at once (and again when
their transaction commits); other processes notice an edit by a cheap fingerprint of the
`CalendarYear` table, read at most every `RECHECK_SECONDS`. Code that writes calendar rows without
the services (a test, a shell) calls `calendar_cache_clear()`.
"""

from __future__ import annotations

import time as monotonic_clock
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from jingmin.worktime.models import CalendarDay, CalendarYear

# Deadlines follow the bureau's clock whatever language or time zone a page is shown in.
SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)
_ONE_DAY = timedelta(days=1)
_NO_EXCEPTIONS: Mapping[date, bool] = {}

HOURS = "hours"
WORKING_DAYS = "working_days"
CLOCK_UNITS = (HOURS, WORKING_DAYS)

# How stale another process's edit may be here; the editing process itself sees it at once.
RECHECK_SECONDS = 30.0


@dataclass(frozen=True)
class _Year:
    covered: bool
    exceptions: Mapping[date, bool]


@dataclass
class _Cache:
    fingerprint: tuple[Any, ...] | None = None
    checked_at: float = float("-inf")
    years: dict[int, _Year] = field(default_factory=dict)


# Replaced, never emptied in place: a reader still holding the old object cannot put a year it
# read before an edit into the new one.
_cache = _Cache()


def calendar_cache_clear() -> None:
    """Forget every year read so far; call it after writing calendar rows, and on commit."""
    global _cache
    _cache = _Cache()


def calendar_cache_clear_now_and_on_commit() -> None:
    # Now, so that the writing request (and a test inside one transaction) sees its own edit;
    # on commit, because another thread may have re-read the old rows in between.
    calendar_cache_clear()
    transaction.on_commit(calendar_cache_clear)


def _fingerprint() -> tuple[Any, ...]:
    # Every edit saves its CalendarYear row (auto_now), so the count and the latest change
    # tell whether anything moved since the cache was filled.
    row = CalendarYear.objects.aggregate(n=Count("year"), last=Max("updated_at"))
    return (row["n"], row["last"])


def _year(year: int) -> _Year:
    cache = _cache
    now = monotonic_clock.monotonic()
    if now - cache.checked_at > RECHECK_SECONDS:
        fingerprint = _fingerprint()
        if cache.fingerprint is not None and fingerprint != cache.fingerprint:
            calendar_cache_clear()
            cache = _cache
        cache.fingerprint, cache.checked_at = fingerprint, now
    loaded = cache.years.get(year)
    if loaded is None:
        loaded = _load(year)
        cache.years[year] = loaded
    return loaded


def _load(year: int) -> _Year:
    if not CalendarYear.objects.filter(year=year).exists():
        return _Year(covered=False, exceptions={})
    rows = CalendarDay.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31))
    return _Year(covered=True, exceptions=dict(rows.values_list("day", "is_workday")))


def weekend_rule(day: date) -> bool:
    """Whether the day is worked by the plain rule: Monday to Friday."""
    return day.weekday() < 5


def is_workday(day: date) -> bool:
    loaded = _year(day.year)
    return loaded.exceptions.get(day, weekend_rule(day))


def year_covered(year: int) -> bool:
    return _year(year).covered


def uncovered_years(today: date | None = None) -> list[int]:
    """Of this year and the next, those whose schedule is missing: deadlines there count weekends only."""
    if today is None:
        today = timezone.now().astimezone(SHANGHAI).date()
    return [year for year in (today.year, today.year + 1) if not year_covered(year)]


def _require_aware(start: datetime) -> None:
    if timezone.is_naive(start):
        raise ValueError("a deadline needs an aware start time")


def add_working_days(start: datetime, days: int) -> datetime:
    """The end of the `days`-th working day after the local day of `start`.

    "Within N working days" starts counting the next day, so an appeal received on Friday with
    N=1 is due on Monday at 23:59:59 (Asia/Shanghai), later if Monday is a holiday. N=0 is the
    end of the day received.
    """
    _require_aware(start)
    if days < 0:
        raise ValueError("a deadline cannot count a negative number of working days")
    current = start.astimezone(SHANGHAI).date()
    remaining = days
    # The year's exceptions are looked up once per year crossed, not once per day: this loop runs
    # on every appeal write.
    loaded_year, exceptions = 0, _NO_EXCEPTIONS
    while remaining:
        current += _ONE_DAY
        if current.year != loaded_year:
            loaded_year, exceptions = current.year, _year(current.year).exceptions
        if exceptions.get(current, current.weekday() < 5):
            remaining -= 1
    return datetime.combine(current, END_OF_DAY, tzinfo=SHANGHAI)


def clock_deadline(start: datetime, amount: int, unit: str) -> datetime:
    """When a clock of `amount` `unit`s started at `start` runs out.

    Hours are elapsed hours, nights and holidays included: the police work around the clock.
    """
    _require_aware(start)
    if unit == HOURS:
        if amount < 0:
            raise ValueError("a deadline cannot count a negative number of hours")
        return start + timedelta(hours=amount)
    if unit == WORKING_DAYS:
        return add_working_days(start, amount)
    raise ValueError(f"unknown clock unit {unit!r}; expected one of {', '.join(CLOCK_UNITS)}")
