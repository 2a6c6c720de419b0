"""Sam publishes a year and corrects days; deadlines see the change at once; nobody else may."""

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.worktime.calendar import is_workday, uncovered_years, year_covered
from jingmin.worktime.models import CalendarDay, CalendarSource, CalendarYear
from jingmin.worktime.services import calendar_day_set, calendar_year_publish

LINES_2027 = "\n".join(
    [
        "2027-01-01 holiday 元旦",
        "2027-02-06 holiday 春节",  # a Saturday: accepted, changes nothing, not stored
        "2027-02-08 holiday 春节",
        "2027-02-07 workday 调休上班",
    ]
)


def snapshot():
    return (
        list(CalendarYear.objects.order_by("year").values_list("year", "source", "published_note")),
        list(CalendarDay.objects.order_by("day").values_list("day", "is_workday", "name", "source")),
        AuditEntry.objects.filter(action__startswith="worktime.").count(),
    )


def publish(client, lines, year=2027, note="国办发明电〔2026〕1号"):
    return client.post(
        reverse("worktime:calendar"),
        {"form": "publish", "publish-year": year, "publish-note": note, "publish-lines": lines},
    )


@pytest.mark.django_db
def test_publishing_a_year_changes_deadlines_at_once(persona):
    # Read 2027 first, so that the per-process copy holds "no schedule" when the year is published.
    assert is_workday(date(2027, 1, 1)) and not is_workday(date(2027, 2, 7))
    assert 2027 in uncovered_years(date(2026, 6, 1))

    response = publish(signed_in(persona.sam), LINES_2027)

    assert response.status_code == 302 and response["Location"] == "/calendar/?year=2027"
    assert year_covered(2027) and 2027 not in uncovered_years(date(2026, 6, 1))
    assert not is_workday(date(2027, 1, 1)) and not is_workday(date(2027, 2, 8))
    assert is_workday(date(2027, 2, 7))
    assert list(CalendarDay.objects.filter(day__year=2027).values_list("day", flat=True)) == [
        date(2027, 1, 1),
        date(2027, 2, 7),
        date(2027, 2, 8),
    ]
    year = CalendarYear.objects.get(year=2027)
    assert year.source == CalendarSource.MANUAL and year.updated_by == persona.sam
    row = AuditEntry.objects.get(action="worktime.year_publish")
    assert row.actor_username == "sam" and row.target_id == "2027"
    assert row.detail["holidays"] == 2 and row.detail["workdays"] == 1


@pytest.mark.django_db
def test_publishing_again_replaces_the_year(persona):
    calendar_year_publish(actor=persona.sam, year=2027, days=[(date(2027, 1, 1), False, "元旦")], note="")
    assert not is_workday(date(2027, 1, 1))
    calendar_year_publish(actor=persona.sam, year=2027, days=[(date(2027, 1, 4), False, "测试")], note="")
    assert is_workday(date(2027, 1, 1)) and not is_workday(date(2027, 1, 4))
    assert AuditEntry.objects.filter(action="worktime.year_publish").count() == 2


@pytest.mark.django_db
def test_setting_a_day_is_seen_at_once_and_audited(persona):
    assert is_workday(date(2025, 10, 9))
    client = signed_in(persona.sam)
    response = client.post(
        reverse("worktime:calendar"),
        {"form": "day", "day-day": "2025-10-09", "day-status": "holiday", "day-name": "台风停工"},
    )
    assert response.status_code == 302 and response["Location"] == "/calendar/?year=2025"
    assert not is_workday(date(2025, 10, 9))
    assert CalendarDay.objects.get(day=date(2025, 10, 9)).name == "台风停工"
    # Correcting one day makes the year manual, so reloading the package cannot undo it.
    assert CalendarYear.objects.get(year=2025).source == CalendarSource.MANUAL
    row = AuditEntry.objects.get(action="worktime.day_set")
    assert (
        row.target_id == "2025-10-09" and row.detail["before"] is None and row.detail["is_workday"] is False
    )


@pytest.mark.django_db
def test_setting_a_day_back_to_the_weekend_rule_removes_the_exception(persona):
    assert not is_workday(date(2025, 10, 1))
    result = calendar_day_set(actor=persona.sam, day=date(2025, 10, 1), is_workday=True, name="")
    assert result is None and not CalendarDay.objects.filter(day=date(2025, 10, 1)).exists()
    assert is_workday(date(2025, 10, 1))
    row = AuditEntry.objects.get(action="worktime.day_set")
    assert row.detail["before"] == {"is_workday": False, "name": "国庆节"}


@pytest.mark.django_db
def test_a_day_of_an_unpublished_year_is_refused(persona):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        calendar_day_set(actor=persona.sam, day=date(2027, 1, 1), is_workday=False, name="元旦")
    assert refused.value.code == "year_not_published" and refused.value.field == "day"
    assert snapshot() == before and is_workday(date(2027, 1, 1))


@pytest.mark.django_db
def test_bad_lines_are_named_one_by_one_and_nothing_is_saved(persona):
    before = snapshot()
    client = signed_in(persona.sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    lines = "\n".join(
        [
            "2027-01-01 holiday 元旦",
            "2027-13-01 holiday 不存在",
            "2027-02-08 vacation 春节",
            "2028-01-03 holiday 元旦",
            "2027-01-01 workday 重复",
        ]
    )
    response = publish(client, lines)
    assert response.status_code == 200
    errors = response.context["publish_form"].errors["lines"]
    assert len(errors) == 4
    assert errors[0].startswith("Line 2 ") and "“2027-13-01” is not a date" in errors[0]
    assert errors[1].startswith("Line 3 ") and "“holiday” or “workday”" in errors[1]
    assert errors[2].startswith("Line 4 ") and "not in 2027" in errors[2]
    assert errors[3].startswith("Line 5 ") and "already on line 1" in errors[3]
    page = response.content.decode()
    assert "Line 2 (“2027-13-01 holiday 不存在”)" in page
    # The pasted text is kept, so the person corrects it instead of typing it again.
    assert "2028-01-03 holiday 元旦" in page
    assert snapshot() == before and not year_covered(2027)


@pytest.mark.django_db
def test_the_service_refuses_a_day_of_another_year(persona):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        calendar_year_publish(
            actor=persona.sam,
            year=2027,
            days=[(date(2027, 1, 1), False, "元旦"), (date(2028, 1, 3), False, "元旦")],
            note="",
        )
    assert refused.value.code == "day_outside_year" and "2028-01-03" in refused.value.message
    assert snapshot() == before


@pytest.mark.django_db
def test_clara_cannot_edit_the_calendar(persona):
    before = snapshot()
    client = signed_in(persona.clara)
    assert client.get(reverse("worktime:calendar")).status_code == 403
    assert publish(client, LINES_2027).status_code == 403
    response = client.post(
        reverse("worktime:calendar"),
        {"form": "day", "day-day": "2025-10-09", "day-status": "holiday", "day-name": "x"},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        calendar_day_set(actor=persona.clara, day=date(2025, 10, 9), is_workday=False, name="x")
    with pytest.raises(PermissionDenied):
        calendar_year_publish(actor=persona.clara, year=2027, days=[(date(2027, 1, 1), False, "")], note="")
    assert snapshot() == before and is_workday(date(2025, 10, 9))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["clara", "oliver", "olga", "chen", "li", "ines", "sam", "sue", "audrey"])
def test_only_the_system_administrator_opens_the_calendar(persona, who):
    status = signed_in(getattr(persona, who)).get(reverse("worktime:calendar")).status_code
    assert status == (200 if who == "sam" else 403)


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("worktime:calendar"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("org:signin"))
