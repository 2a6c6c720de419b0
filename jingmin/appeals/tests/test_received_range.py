"""The queue and the supervision view filter by the day an appeal was received; this month and
last month are one click each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from conftest import signed_in
from jingmin.appeals.forms import month_ranges
from jingmin.appeals.models import Appeal
from jingmin.appeals.selectors import AppealFilters, appeal_list, local_day_start, supervision_list


def received(appeal: Appeal, day: date, hour: int = 12) -> None:
    at = local_day_start(day) + timedelta(hours=hour)
    Appeal.objects.filter(pk=appeal.pk).update(received_at=at, due_at=timezone.now() - timedelta(hours=1))


@pytest.fixture
def spread(persona, register):
    made = {}
    for title, day, hour in (
        ("十月底", date(2026, 10, 31), 23),
        ("十一月初", date(2026, 11, 1), 0),
        ("十一月底", date(2026, 11, 30), 23),
        ("十二月初", date(2026, 12, 1), 0),
    ):
        made[title] = register(title=title)
        received(made[title], day, hour)
    return made


def titles(rows):
    return {a.title for a in rows}


def test_both_days_are_included_in_local_time(persona, spread):
    rows = appeal_list(
        actor=persona.clara,
        filters=AppealFilters(received_from=date(2026, 11, 1), received_to=date(2026, 11, 30)),
    )
    assert titles(rows) == {"十一月初", "十一月底"}


def test_last_month_is_the_whole_previous_calendar_month():
    with translation.override("en"):
        ranges = {str(label): (start, end) for label, start, end in month_ranges(date(2026, 12, 3))}
        january = {str(label): (start, end) for label, start, end in month_ranges(date(2027, 1, 15))}
    assert ranges["Last month"] == (date(2026, 11, 1), date(2026, 11, 30))
    assert ranges["This month"] == (date(2026, 12, 1), date(2026, 12, 3))
    assert january["Last month"] == (date(2026, 12, 1), date(2026, 12, 31))


@pytest.mark.django_db
def test_the_queue_offers_last_month_as_one_link_that_filters(persona, spread):
    with time_machine.travel(date(2026, 12, 3), tick=False):
        client = signed_in(persona.clara)
        page = client.get(reverse("appeals:queue")).content.decode()
        assert "上月" in page
        assert 'data-range="2026-11-01/2026-11-30"' in page
        response = client.get(
            reverse("appeals:queue"), {"received_from": "2026-11-01", "received_to": "2026-11-30"}
        )
    html = response.content.decode()
    assert "十一月初" in html and "十一月底" in html
    assert "十月底" not in html and "十二月初" not in html


def test_supervision_filters_by_the_day_received(persona, spread):
    rows = supervision_list(
        actor=persona.chen, received_from=date(2026, 12, 1), received_to=date(2026, 12, 31)
    )
    assert titles(rows) == {"十二月初"}
    assert titles(supervision_list(actor=persona.chen)) == set(spread)


def page(who, url, start, end):
    return signed_in(who).get(reverse(url), {"received_from": start, "received_to": end}).content.decode()


@pytest.mark.django_db
def test_the_supervision_page_takes_the_range(persona, spread):
    html = page(persona.chen, "appeals:supervision", "2026-10-01", "2026-10-31")
    assert "十月底" in html and "十一月初" not in html


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused_with_a_message(persona, spread):
    assert "结束日期早于开始日期" in page(persona.clara, "appeals:queue", "2026-11-30", "2026-11-01")
