"""The clocks of an appeal in working time: weekends, National Day and its adjusted working days,
hour clocks around the clock, and a year the calendar does not cover yet."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from jingmin.appeals import services
from jingmin.appeals.models import DeadlinePolicy
from jingmin.appeals.tests.conftest import appeal_input

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def end_of(y: int, m: int, d: int) -> datetime:
    return local(y, m, d, 23, 59, 59)


def registered_at(persona, when: datetime, **overrides):
    with time_machine.travel(when, tick=False):
        appeal, _ = services.appeal_register(actor=persona.clara, data=appeal_input(**overrides))
    return appeal


def test_a_friday_appeal_counts_seven_working_days_over_the_weekends(persona):
    appeal = registered_at(persona, local(2026, 11, 27, 15, 0))  # a Friday
    # Mon 30 Nov is day 1 … Tue 8 Dec is day 7; Saturdays and Sundays do not count.
    assert appeal.conclude_by == end_of(2026, 12, 8)
    # First contact is an hour clock: 24 hours after receipt, weekend or not.
    assert appeal.contact_by == local(2026, 11, 28, 15, 0)


def test_national_day_holidays_do_not_count_and_the_adjusted_saturday_does(persona):
    appeal = registered_at(persona, local(2025, 9, 30, 10, 0))
    # 1–8 Oct are holidays; Thu 9 (1), Fri 10 (2), Sat 11 is a working day (3), Mon 13 … Thu 16 (7).
    assert appeal.conclude_by == end_of(2025, 10, 16)


def test_the_adjusted_sunday_before_national_day_is_a_working_day(persona):
    appeal = registered_at(persona, local(2025, 9, 26, 9, 0), urgency="complex")  # a Friday
    # Sun 28 Sep is worked (1), Mon 29 (2), Tue 30 (3), then the holiday; Thu 9 Oct (4), Fri 10 (5),
    # Sat 11 worked (6), 13–17 Oct (7–11), 20–23 Oct (12–15).
    assert appeal.conclude_by == end_of(2025, 10, 23)


def test_a_year_without_calendar_data_counts_weekends_only(persona):
    appeal = registered_at(persona, local(2026, 12, 31, 10, 0))
    # 2027's schedule is not in the database: 1 Jan 2027 (a Friday) counts as a working day.
    assert appeal.conclude_by == end_of(2027, 1, 11)


def test_an_emergency_runs_on_hours_through_the_night(persona):
    appeal = registered_at(persona, local(2026, 11, 28, 22, 30), urgency="emergency")  # a Saturday
    assert appeal.conclude_by == local(2026, 11, 29, 0, 30)
    assert appeal.contact_by == local(2026, 11, 28, 23, 30)


def test_the_sign_clock_starts_at_dispatch_and_restarts_on_transfer(persona):
    appeal = registered_at(persona, local(2026, 11, 23, 9, 0))
    with time_machine.travel(local(2026, 11, 23, 10, 0), tick=False):
        services.appeal_accept(actor=persona.clara, appeal_id=appeal.pk)
        appeal = services.appeal_dispatch(actor=persona.clara, appeal_id=appeal.pk, unit=persona.district_a1)
    assert appeal.sign_by == local(2026, 11, 23, 12, 0)
    assert appeal.due_at == appeal.sign_by
    with time_machine.travel(local(2026, 11, 23, 11, 0), tick=False):
        appeal = services.appeal_transfer(
            actor=persona.chen, appeal_id=appeal.pk, unit=persona.district_a2, reason="属地不符"
        )
    assert appeal.sign_by == local(2026, 11, 23, 13, 0)
    # Internal hand-offs never restart the citizen's clocks.
    assert appeal.conclude_by == end_of(2026, 12, 2)


def test_a_policy_per_type_overrides_the_urgency_default(persona):
    DeadlinePolicy.objects.create(
        type="enquiry", urgency="general", sign_amount=1, contact_amount=4, conclude_amount=3
    )
    appeal = registered_at(persona, local(2026, 11, 23, 9, 0), type="enquiry")
    assert appeal.contact_by == local(2026, 11, 23, 13, 0)
    assert appeal.conclude_by == end_of(2026, 11, 26)


def test_the_nearest_running_clock_is_the_due_time_and_stops_with_it(persona, walk):
    appeal = registered_at(persona, local(2026, 11, 23, 9, 0))
    assert appeal.due_at == appeal.contact_by  # 24 h, sooner than 7 working days
    appeal = walk(appeal, "handling")
    assert appeal.due_at == appeal.conclude_by  # contact made: only the conclusion clock runs
    appeal = services.appeal_conclude(
        actor=persona.oliver, appeal_id=appeal.pk, result="solved", note="已处理"
    )
    assert appeal.due_at is None
