"""Deadlines in working days skip weekends and holidays and count working weekends (调休)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jingmin.worktime.calendar import add_working_days, clock_deadline, is_workday

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def local(year, month, day, hour=0, minute=0, second=0):
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_friday_afternoon_with_one_working_day_is_due_monday_night():
    # 2025-06-13 is a Friday; the following Monday is an ordinary working day.
    assert add_working_days(local(2025, 6, 13, 15, 0), 1) == local(2025, 6, 16, 23, 59, 59)


@pytest.mark.django_db
def test_monday_holiday_pushes_the_deadline_to_tuesday():
    # Dragon Boat Festival 2025: Saturday 31 May to Monday 2 June off.
    assert not is_workday(date(2025, 6, 2))
    assert add_working_days(local(2025, 5, 30, 15, 0), 1) == local(2025, 6, 3, 23, 59, 59)


@pytest.mark.django_db
def test_national_day_2025_is_skipped_and_its_working_weekends_count():
    assert is_workday(date(2025, 9, 28))  # Sunday worked in lieu
    assert is_workday(date(2025, 10, 11))  # Saturday worked in lieu
    assert not any(is_workday(date(2025, 10, d)) for d in range(1, 9))  # 1 to 8 October off
    assert not is_workday(date(2025, 10, 12))  # an ordinary Sunday
    # Received Tuesday 30 September, 7 working days: 9 Oct (1), 10 (2), Saturday 11 (3), 13 (4),
    # 14 (5), 15 (6), 16 (7). The eight-day holiday is skipped and the Saturday counts.
    assert add_working_days(local(2025, 9, 30, 10, 0), 7) == local(2025, 10, 16, 23, 59, 59)


@pytest.mark.django_db
def test_a_working_sunday_is_the_next_working_day_after_a_saturday():
    assert add_working_days(local(2025, 9, 27, 9, 0), 1) == local(2025, 9, 28, 23, 59, 59)


@pytest.mark.django_db
def test_zero_days_is_the_end_of_the_local_day_received():
    # 17:30 UTC on 30 September is 01:30 on 1 October in Shanghai: the local day is what counts.
    start = datetime(2025, 9, 30, 17, 30, tzinfo=UTC)
    assert add_working_days(start, 0) == local(2025, 10, 1, 23, 59, 59)
    assert add_working_days(start, 1) == local(2025, 10, 9, 23, 59, 59)


@pytest.mark.django_db
def test_deadline_is_aware_and_in_shanghai_time():
    due = add_working_days(datetime(2025, 6, 13, 1, 0, tzinfo=UTC), 1)
    assert due.utcoffset() == timedelta(hours=8)
    assert due.astimezone(UTC) == datetime(2025, 6, 16, 15, 59, 59, tzinfo=UTC)


@pytest.mark.django_db
def test_clock_in_hours_runs_through_nights_and_holidays():
    start = local(2025, 9, 30, 23, 0)
    assert clock_deadline(start, 2, "hours") == local(2025, 10, 1, 1, 0)
    assert clock_deadline(start, 24, "hours") == local(2025, 10, 1, 23, 0)


@pytest.mark.django_db
def test_clock_in_working_days_is_add_working_days():
    start = local(2025, 9, 30, 10, 0)
    assert clock_deadline(start, 7, "working_days") == add_working_days(start, 7)


@pytest.mark.parametrize(
    ("start", "amount", "unit"),
    [
        (local(2025, 9, 30, 10, 0), 2, "days"),
        (local(2025, 9, 30, 10, 0), -1, "hours"),
        (local(2025, 9, 30, 10, 0), -1, "working_days"),
        (datetime(2025, 9, 30, 10, 0), 2, "hours"),  # noqa: DTZ001 - the naive start is the point
    ],
)
def test_clock_refuses_bad_input(start, amount, unit):
    with pytest.raises(ValueError):
        clock_deadline(start, amount, unit)
