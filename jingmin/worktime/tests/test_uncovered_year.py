"""A year without a published schedule counts weekends only, and the pages say so."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse

from conftest import signed_in
from jingmin.worktime.calendar import add_working_days, is_workday, uncovered_years, year_covered

SHANGHAI = ZoneInfo("Asia/Shanghai")
WARNING = (
    "No holiday schedule for 2027: deadlines in 2027 count weekends only. Enter the State Council's schedule."
)


@pytest.mark.django_db
def test_2027_counts_weekends_only():
    assert year_covered(2026) and not year_covered(2027)
    assert is_workday(date(2027, 1, 1))  # New Year's Day, a Friday, but no schedule says so
    assert not is_workday(date(2027, 1, 2))  # Saturday
    # Thursday 31 December 2026, two working days: Friday 1 January (1), Monday 4 January (2).
    start = datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI)
    assert add_working_days(start, 2) == datetime(2027, 1, 4, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_uncovered_years_names_this_year_and_next_when_missing():
    assert uncovered_years(date(2025, 3, 1)) == []
    assert uncovered_years(date(2026, 6, 1)) == [2027]
    assert uncovered_years(date(2027, 6, 1)) == [2027, 2028]


@pytest.mark.django_db
def test_uncovered_years_uses_the_date_in_shanghai():
    # 16:30 UTC on 31 December 2026 is already 1 January 2027 in Shanghai.
    with time_machine.travel(datetime(2026, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        assert uncovered_years() == [2027, 2028]


@pytest.mark.django_db
def test_calendar_page_warns_about_2027(persona):
    client = signed_in(persona.sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        response = client.get(reverse("worktime:calendar"))
    assert response.status_code == 200
    page = response.content.decode()
    assert WARNING in page
    assert "No holiday schedule for 2026" not in page


@pytest.mark.django_db
def test_no_warning_when_both_years_are_published(persona):
    client = signed_in(persona.sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(datetime(2025, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse("worktime:calendar")).content.decode()
    assert "coverage-warning" not in page


@pytest.mark.django_db
def test_other_pages_show_the_warning_with_the_template_tag(persona):
    template = Template("{% load worktime %}{% coverage_warning %}")
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        for_admin = template.render(Context({"user": persona.sam}))
        for_anyone = template.render(Context({"user": AnonymousUser()}))
    assert "2027" in for_admin and reverse("worktime:calendar") in for_admin
    # The warning is for the administrators who can enter the schedule; no one else is alarmed.
    assert for_anyone.strip() == ""
