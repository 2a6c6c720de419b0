"""Changes to the working-day calendar: publishing a year, correcting a day, loading the package's data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service, write_steps
from jingmin.org.roles import Cap
from jingmin.org.selectors import require
from jingmin.worktime.calendar import calendar_cache_clear_now_and_on_commit, weekend_rule
from jingmin.worktime.codes import AuditAction, ErrorCode
from jingmin.worktime.models import FIRST_YEAR, LAST_YEAR, CalendarDay, CalendarSource, CalendarYear
from jingmin.worktime.sources import package_days, package_version, package_years

if TYPE_CHECKING:
    from jingmin.org.models import User

NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length or 60

DaySpec = tuple[date, bool, str]


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(
            _("Enter a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code=ErrorCode.YEAR_OUT_OF_RANGE,
            field="year",
        )


def _check_name(name: str, field: str) -> None:
    if len(name) > NAME_MAX_LENGTH:
        raise ServiceError(
            _("A day's name is at most %(max)d characters.") % {"max": NAME_MAX_LENGTH},
            code=ErrorCode.NAME_TOO_LONG,
            field=field,
        )


def _year_range(year: int) -> dict[str, date]:
    # A range on the primary key uses its index; `day__year` would not on every database.
    return {"day__gte": date(year, 1, 1), "day__lte": date(year, 12, 31)}


def _year_rows(year: int) -> list[tuple[date, bool, str]]:
    return list(
        CalendarDay.objects.filter(**_year_range(year))
        .order_by("day")
        .values_list("day", "is_workday", "name")
    )


def _replace_year_days(year: int, days: Sequence[DaySpec], source: CalendarSource) -> None:
    CalendarDay.objects.filter(**_year_range(year)).delete()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(day=day, is_workday=is_workday, name=name, source=source)
            for day, is_workday, name in days
            if is_workday != weekend_rule(day)
        ]
    )


def _counts(days: Sequence[DaySpec]) -> dict[str, int]:
    return {
        "holidays": sum(1 for _day, is_workday, _name in days if not is_workday),
        "workdays": sum(1 for _day, is_workday, _name in days if is_workday),
    }


@write_service
def calendar_year_publish(*, actor: User, year: int, days: list[DaySpec], note: str) -> CalendarYear:
    """Replace a year's schedule with the one the State Council published.

    Days that only repeat the weekend rule (a holiday on a Sunday) are accepted and not stored.
    The year becomes manual, so a later `calendar_seed` never overwrites it.
    """
    require(actor, Cap.MANAGE_CALENDAR)
    _check_year(year)
    if not days:
        raise ServiceError(
            _("Enter at least one holiday or working weekend."), code=ErrorCode.NO_DAYS, field="days"
        )
    seen: set[date] = set()
    for day, _is_workday, name in days:
        if day.year != year:
            raise ServiceError(
                _("%(day)s is not in %(year)s.") % {"day": day.isoformat(), "year": str(year)},
                code=ErrorCode.DAY_OUTSIDE_YEAR,
                field="days",
            )
        if day in seen:
            raise ServiceError(
                _("%(day)s is listed more than once.") % {"day": day.isoformat()},
                code=ErrorCode.DAY_REPEATED,
                field="days",
            )
        seen.add(day)
        _check_name(name, "days")
    stored = sorted(spec for spec in days if spec[1] != weekend_rule(spec[0]))
    row, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year,
        defaults={"source": CalendarSource.MANUAL, "published_note": note, "updated_by": actor},
    )
    before = {"source": row.source, **_counts(_year_rows(year))}
    if not created:
        row.source, row.published_note, row.updated_by = CalendarSource.MANUAL, note, actor
        row.save()
    _replace_year_days(year, stored, CalendarSource.MANUAL)
    calendar_cache_clear_now_and_on_commit()
    audit_record(
        actor=actor,
        action=AuditAction.YEAR_PUBLISH,
        target=row,
        detail={
            "year": year,
            **_counts(stored),
            "before": None if created else before,
            "note": note,
        },
    )
    return row


@write_service
def calendar_day_set(*, actor: User, day: date, is_workday: bool, name: str) -> CalendarDay | None:
    """Correct one day of a published year; answers the stored exception, or None when the day
    now simply follows the weekend rule.

    The year becomes manual, so that reloading the package's data cannot undo the correction.
    """
    require(actor, Cap.MANAGE_CALENDAR)
    _check_year(day.year)
    _check_name(name, "name")
    year_row = CalendarYear.objects.select_for_update().filter(year=day.year).first()
    if year_row is None:
        # A lone exception in a year without a schedule would be ignored (the year counts
        # weekends only), so the year must be published first.
        raise ServiceError(
            _("There is no schedule for %(year)s yet: publish the year first.") % {"year": str(day.year)},
            code=ErrorCode.YEAR_NOT_PUBLISHED,
            field="day",
        )
    previous = CalendarDay.objects.filter(day=day).first()
    before: dict[str, Any] | None = (
        {"is_workday": previous.is_workday, "name": previous.name} if previous else None
    )
    row: CalendarDay | None = None
    if is_workday == weekend_rule(day):
        CalendarDay.objects.filter(day=day).delete()
    else:
        row, _created = CalendarDay.objects.update_or_create(
            day=day,
            defaults={"is_workday": is_workday, "name": name, "source": CalendarSource.MANUAL},
        )
    year_row.source, year_row.updated_by = CalendarSource.MANUAL, actor
    year_row.save()
    calendar_cache_clear_now_and_on_commit()
    audit_record(
        actor=actor,
        action=AuditAction.DAY_SET,
        target_type=CalendarDay._meta.label_lower,
        target_id=day.isoformat(),
        target_repr=str(row) if row is not None else day.isoformat(),
        detail={
            "day": day.isoformat(),
            "is_workday": is_workday,
            "name": name if row is not None else "",
            "before": before,
        },
    )
    return row


@dataclass(frozen=True)
class SeedOutcome:
    year: int
    result: str  # "created", "updated", "unchanged" or "manual" (left alone)


@write_steps
def calendar_seed(*, years: list[int] | None = None, operator: str) -> list[SeedOutcome]:
    """(Re)load years from the chinese-calendar package; safe to run again and again.

    A year entered by hand is never touched: it holds a schedule someone checked, and the package
    may lag behind the State Council. A year already equal to the package's data is not written.
    """
    available = package_years()
    if years is None:
        years = available
    missing = sorted(set(years) - set(available))
    if missing:
        raise ServiceError(
            _("The chinese-calendar package has no data for %(years)s; it covers %(first)s to %(last)s.")
            % {
                "years": ", ".join(str(year) for year in missing),
                "first": str(available[0]),
                "last": str(available[-1]),
            },
            code=ErrorCode.YEAR_NOT_IN_PACKAGE,
            field="year",
        )
    note = f"chinese-calendar {package_version()}"
    outcomes = []
    for year in sorted(years):
        with transaction.atomic():
            outcomes.append(SeedOutcome(year, _seed_year(year, note, operator)))
    return outcomes


def _seed_year(year: int, note: str, operator: str) -> str:
    days = package_days(year)
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is not None and row.source == CalendarSource.MANUAL:
        return "manual"
    if row is not None and row.published_note == note and _year_rows(year) == days:
        return "unchanged"
    result = "updated" if row is not None else "created"
    if row is None:
        row = CalendarYear(year=year)
    row.source, row.published_note, row.updated_by = CalendarSource.CHINESE_CALENDAR, note, None
    row.save()
    _replace_year_days(year, days, CalendarSource.CHINESE_CALENDAR)
    calendar_cache_clear_now_and_on_commit()
    audit_record(
        actor=None,
        actor_username=operator,
        action=AuditAction.YEAR_SEED,
        target=row,
        detail={"year": year, "result": result, **_counts(days), "note": note},
    )
    return result
