"""Visits sent from the phone: recorded once however often they are sent, refused with the
reason and the field, out of scope a 404, persuasion never, and news about a household that
changed since the copy answered with a conflict that the officer resolves."""

from __future__ import annotations

import uuid

import pytest

from conftest import signed_in
from jingmin.field.selectors import household_now
from jingmin.field.tests.conftest import jpeg, visit_fields
from jingmin.ledger.models import Person
from jingmin.visits.models import Visit, VisitItem, VisitPhoto

pytestmark = pytest.mark.django_db


def version(persona, household) -> str:
    return household_now(actor=persona.oliver, household_id=household.pk)["version"]


def test_a_visit_sent_twice_is_recorded_once(persona, world, send):
    client = signed_in(persona.oliver)
    household = world.a1[1]
    client_id = str(uuid.uuid4())
    fields = visit_fields(household.pk, version(persona, household))
    first = send(client, fields, client_id)
    assert first.status_code == 201, first.content
    again = send(client, fields, client_id)
    assert again.status_code == 200
    assert again.json()["status"] == "already"
    assert again.json()["id"] == first.json()["id"]
    visit = Visit.objects.get(household=household)
    assert visit.submission_key == f"field:{persona.oliver.pk}:{client_id}"
    assert visit.officer == persona.oliver


def test_a_visit_with_news_and_a_photo(persona, world, send, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(persona.oliver)
    household = world.a1[0]
    fields = visit_fields(
        household.pk,
        version(persona, household),
        items=[{"kind": "illness", "text": "老人腿脚不便", "person": household.head_id}],
    )
    response = send(client, {**fields, "photos": jpeg()})
    assert response.status_code == 201, response.content
    visit = Visit.objects.get(pk=response.json()["id"])
    assert list(VisitItem.objects.filter(visit=visit).values_list("kind", "person_id")) == [
        ("illness", household.head_id)
    ]
    assert VisitPhoto.objects.filter(visit=visit).count() == 1


def test_a_refused_visit_names_the_field_and_records_nothing(persona, world, send):
    client = signed_in(persona.oliver)
    household = world.a1[1]
    response = send(client, visit_fields(household.pk, version(persona, household), summary="  "))
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "refused"
    assert body["field"] == "summary"
    assert body["detail"]
    assert not Visit.objects.exists()


def test_the_service_refusal_comes_back_with_its_field(persona, world, send):
    """The form lets a future time through; the visit service refuses it, as on the page."""
    client = signed_in(persona.oliver)
    household = world.a1[1]
    fields = visit_fields(household.pk, version(persona, household), visited_at="2099-01-01T10:00:00+08:00")
    response = send(client, fields)
    assert response.status_code == 400
    assert response.json()["field"] == "visited_at"
    assert not Visit.objects.exists()


def test_another_districts_household_is_not_found(persona, world, send):
    client = signed_in(persona.oliver)
    response = send(client, visit_fields(world.b1[0].pk, "any"))
    assert response.status_code == 404
    assert response.json()["status"] == "refused"
    assert not Visit.objects.exists()


def test_persuasion_is_never_recorded_from_the_phone(persona, world, send):
    client = signed_in(persona.oliver)
    household = world.a1[1]
    response = send(client, visit_fields(household.pk, version(persona, household), kind="persuasion"))
    assert response.status_code == 400
    assert response.json()["code"] == "restricted_kind"
    assert not Visit.objects.exists()


def test_news_about_a_household_that_changed_is_a_conflict_until_the_officer_decides(persona, world, send):
    client = signed_in(persona.oliver)
    household = world.a1[2]
    seen = version(persona, household)
    # Meanwhile the household gains a member in the ledger.
    Person.objects.create(
        name="王新生",
        household=household,
        relation="child",
        house=household.house,
        district=persona.district_a1,
        district_path=persona.district_a1.path,
    )
    client_id = str(uuid.uuid4())
    fields = visit_fields(household.pk, seen, items=[{"kind": "birth", "text": "家中添了一个儿子"}])
    response = send(client, fields, client_id)
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "conflict"
    assert body["code"] == "household_changed"
    current = body["current"]
    assert current["version"] != seen
    assert [m["name"] for m in current["members"]] == ["王*", "王**"]
    assert not Visit.objects.exists()

    # The officer saw the household as it is now and sends the news again, against that version.
    resolved = send(client, {**fields, "household_version": current["version"]}, client_id)
    assert resolved.status_code == 201
    assert Visit.objects.filter(household=household).count() == 1


def test_a_visit_without_news_about_members_is_not_held_up_by_a_change(persona, world, send):
    client = signed_in(persona.oliver)
    household = world.a1[3]
    seen = version(persona, household)
    household.number = "H903"
    household.save(update_fields=["number"])
    response = send(client, visit_fields(household.pk, seen, items=[{"kind": "illness", "text": "感冒"}]))
    assert response.status_code == 201


def test_a_record_without_its_own_id_is_refused(persona, world):
    from django.urls import reverse

    client = signed_in(persona.oliver)
    household = world.a1[1]
    response = client.post(reverse("field:sync"), visit_fields(household.pk, "x"))
    assert response.status_code == 400
    assert response.json()["field"] == "client_id"
    assert not Visit.objects.exists()


def test_a_signed_out_phone_is_told_so(world, send):
    from django.test import Client

    response = send(Client(), visit_fields(world.a1[1].pk, "x"))
    assert response.status_code == 401
    assert response.json()["status"] == "signed_out"
