"""Load every year the installed chinese-calendar package knows.

The logic is copied here rather than imported from the app, so that this migration keeps giving
the same result whatever later becomes of the app's code.
"""

from importlib.metadata import version

from django.db import migrations

WORKING_WEEKEND_NAME = "调休上班"
SOURCE = "chinese-calendar"


def seed(apps, schema_editor):
    from chinese_calendar.constants import Holiday, holidays, workdays

    CalendarYear = apps.get_model("worktime", "CalendarYear")
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    note = f"chinese-calendar {version('chinese-calendar')}"
    years = sorted({day.year for day in holidays} | {day.year for day in workdays})
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=SOURCE, published_note=note) for year in years]
    )
    rows = [
        CalendarDay(day=day, is_workday=False, name=Holiday(english).chinese, source=SOURCE)
        for day, english in holidays.items()
        if day.weekday() < 5
    ]
    rows += [
        CalendarDay(day=day, is_workday=True, name=WORKING_WEEKEND_NAME, source=SOURCE)
        for day in workdays
        if day.weekday() >= 5
    ]
    CalendarDay.objects.bulk_create(rows)


def unseed(apps, schema_editor):
    apps.get_model("worktime", "CalendarDay").objects.filter(source=SOURCE).delete()
    apps.get_model("worktime", "CalendarYear").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
