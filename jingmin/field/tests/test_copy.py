"""What the phone may keep: the officer's own district only, names masked, a version per
household, never a persuasion visit, an expiry from the setting, and one audit row per copy."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.ledger.models import Person
from jingmin.visits import services as visit_services
from jingmin.visits.tests.conftest import visit_input

pytestmark = pytest.mark.django_db


def copy_of(user, **params):
    response = signed_in(user).get(reverse("field:copy"), params)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    return response.json()


def test_the_copy_holds_the_officers_district_only_with_masked_names(persona, world):
    body = copy_of(persona.oliver)
    assert body["district"]["id"] == persona.district_a1.pk
    ids = {h["id"] for h in body["households"]}
    assert ids == {h.pk for h in world.a1}
    assert not ids & {h.pk for h in world.a2 + world.b1}
    first = next(h for h in body["households"] if h["id"] == world.a1[0].pk)
    assert first["head"] == "王*"
    assert [m["name"] for m in first["members"]] == ["王*", "王**"]
    assert first["version"]
    text = str(body)
    # No full name, ID number or phone anywhere in it.
    for secret in ("王小芳", "110101199003071234", "13700001111"):
        assert secret not in text, secret


def test_a_chief_chooses_a_district_of_the_station_and_nothing_else(persona, world):
    body = copy_of(persona.chen, district=persona.district_a2.pk)
    assert {h["id"] for h in body["households"]} == {h.pk for h in world.a2}
    response = signed_in(persona.chen).get(reverse("field:copy"), {"district": persona.district_b1.pk})
    assert response.status_code == 404


def test_an_officer_cannot_take_another_district(persona, world):
    response = signed_in(persona.oliver).get(reverse("field:copy"), {"district": persona.district_a2.pk})
    assert response.status_code == 404


def test_persuasion_visits_and_their_tasks_are_never_in_the_copy(persona, world):
    household = world.a1[4]
    visit_services.visit_record(
        actor=persona.oliver,
        data=visit_input(
            kind="persuasion",
            household=household.pk,
            summary="规劝其子投案自首",
            follow_ups=[
                visit_services.FollowUpInput(
                    kind="task", text="下周再去劝说", due_on=timezone.localdate() + timedelta(days=3)
                )
            ],
        ),
    )
    body = copy_of(persona.oliver)
    text = str(body)
    assert "规劝" not in text and "劝说" not in text
    assert body["tasks"] == []
    card = next(h for h in body["households"] if h["id"] == household.pk)
    assert card["last_visit"] is None


def test_the_copy_expires_after_the_setting(persona, world, settings):
    settings.FIELD_CACHE_DAYS = 3
    body = copy_of(persona.oliver)
    made = datetime.fromisoformat(body["generated_at"])
    assert datetime.fromisoformat(body["expires_at"]) - made == timedelta(days=3)
    session = signed_in(persona.oliver).get(reverse("field:session")).json()
    assert session["cache_days"] == 3


def test_each_copy_is_audited_once(persona, world):
    before = AuditEntry.objects.filter(action="field.cache_fetch").count()
    copy_of(persona.oliver)
    entry = AuditEntry.objects.filter(action="field.cache_fetch").latest("pk")
    assert AuditEntry.objects.filter(action="field.cache_fetch").count() == before + 1
    assert entry.detail["households"] == len(world.a1)


def test_a_household_change_changes_its_version(persona, world):
    def version():
        body = copy_of(persona.oliver)
        return next(h["version"] for h in body["households"] if h["id"] == world.a1[0].pk)

    before = version()
    assert version() == before
    Person.objects.filter(pk=world.newborn_mother.pk).update(is_active=False, left_reason="moved_out")
    assert version() != before


def test_my_work_is_in_the_copy_with_the_citizen_masked(persona, register, walk):
    appeal = walk(register(), "dispatched")
    body = copy_of(persona.oliver)
    (item,) = body["work"]
    assert item["id"] == appeal.pk
    assert item["steps"] == ["sign"]
    assert "13812345678" not in str(body) and "王小明" not in str(body)
