"""The chinese-calendar data is loaded by the migration and reloaded by `calendar_seed` safely."""

from datetime import date, timedelta
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import CommandError, call_command

from jingmin.audit.models import AuditEntry
from jingmin.worktime.calendar import calendar_cache_clear, is_workday
from jingmin.worktime.models import CalendarDay, CalendarSource, CalendarYear
from jingmin.worktime.services import calendar_year_publish


def seed(*args):
    out = StringIO()
    call_command("calendar_seed", *args, stdout=out)
    return dict(line.split(": ") for line in out.getvalue().splitlines())


@pytest.mark.django_db
def test_the_migration_loads_every_year_of_the_package_with_chinese_names():
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))
    assert set(CalendarYear.objects.values_list("source", flat=True)) == {CalendarSource.CHINESE_CALENDAR}
    assert CalendarDay.objects.get(day=date(2025, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(day=date(2025, 10, 6)).name == "中秋"
    assert CalendarDay.objects.get(day=date(2025, 9, 28)).name == "调休上班"
    # Saturday 4 October 2025 is a holiday too, but a weekend day needs no exception.
    assert not CalendarDay.objects.filter(day=date(2025, 10, 4)).exists()


@pytest.mark.django_db
def test_every_day_agrees_with_the_package():
    day, disagreements = date(2004, 1, 1), []
    while day <= date(2026, 12, 31):
        if is_workday(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


@pytest.mark.django_db
def test_seeding_again_changes_nothing():
    before = list(CalendarDay.objects.values_list("day", "is_workday", "name", "source"))
    assert set(seed().values()) == {"unchanged"}
    assert list(CalendarDay.objects.values_list("day", "is_workday", "name", "source")) == before
    assert not AuditEntry.objects.filter(action="worktime.year_seed").exists()


@pytest.mark.django_db
def test_seeding_restores_a_lost_or_damaged_year():
    CalendarDay.objects.filter(day__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    CalendarDay.objects.filter(day=date(2024, 10, 1)).update(name="错误")
    calendar_cache_clear()  # rows written behind the services' back
    assert is_workday(date(2025, 10, 1))

    outcome = seed()

    assert outcome["2025"] == "created" and outcome["2024"] == "updated" and outcome["2023"] == "unchanged"
    assert not is_workday(date(2025, 10, 1))
    assert CalendarDay.objects.get(day=date(2024, 10, 1)).name == "国庆节"
    assert AuditEntry.objects.filter(action="worktime.year_seed").count() == 2
    assert set(seed().values()) == {"unchanged"}
    assert AuditEntry.objects.filter(action="worktime.year_seed").count() == 2


@pytest.mark.django_db
def test_seeding_never_overwrites_a_year_entered_by_hand(persona):
    calendar_year_publish(actor=persona.sam, year=2026, days=[(date(2026, 1, 5), False, "测试")], note="")

    assert seed()["2026"] == "manual"
    assert seed("--year", "2026") == {"2026": "manual"}

    assert CalendarYear.objects.get(year=2026).source == CalendarSource.MANUAL
    assert list(CalendarDay.objects.filter(day__year=2026).values_list("day", "name")) == [
        (date(2026, 1, 5), "测试")
    ]
    assert not is_workday(date(2026, 1, 5)) and is_workday(date(2026, 1, 1))


@pytest.mark.django_db
def test_seeding_one_year():
    CalendarDay.objects.filter(day__year=2024).delete()
    assert seed("--year", "2024") == {"2024": "updated"}
    assert CalendarDay.objects.filter(day=date(2024, 10, 1)).exists()


@pytest.mark.django_db
def test_a_year_the_package_does_not_know_is_refused():
    with pytest.raises(CommandError, match="2027"):
        seed("--year", "2027")
    assert not CalendarYear.objects.filter(year=2027).exists()
