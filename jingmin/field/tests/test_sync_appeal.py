"""Appeals an officer registers in the field: the intake form's rules, the channel "visit", and
one appeal however often the phone sends it."""

from __future__ import annotations

import uuid

import pytest

from conftest import signed_in
from jingmin.appeals.models import Appeal, Category

pytestmark = pytest.mark.django_db


def appeal_fields(**overrides):
    fields = {
        "record": "appeal",
        "type": "help",
        "category": Category.objects.get(code="order-noise").pk,
        "urgency": "general",
        "title": "村口路灯坏了",
        "content": "村口的路灯坏了一个月，晚上看不见路。",
        "address": "幸福路口",
        "citizen_name": "王大爷",
        "citizen_phone": "13812345678",
        "received_at": "",
    }
    fields.update(overrides)
    return fields


def test_an_appeal_sent_twice_is_registered_once_on_the_channel_visit(persona, send):
    client = signed_in(persona.oliver)
    client_id = str(uuid.uuid4())
    first = send(client, appeal_fields(district=persona.district_a1.pk), client_id)
    assert first.status_code == 201, first.content
    again = send(client, appeal_fields(district=persona.district_a1.pk), client_id)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    appeal = Appeal.objects.get()
    assert appeal.channel == "visit"
    assert appeal.created_by == persona.oliver
    assert appeal.intake_unit == persona.district_a1
    assert appeal.submission_key == f"field:{persona.oliver.pk}:{client_id}"


def test_the_channel_is_always_visit_whatever_the_phone_says(persona, send):
    client = signed_in(persona.oliver)
    response = send(client, appeal_fields(channel="window"))
    assert response.status_code == 201
    assert Appeal.objects.get().channel == "visit"


def test_a_refused_appeal_names_the_field(persona, send):
    client = signed_in(persona.oliver)
    response = send(client, appeal_fields(title=""))
    assert response.status_code == 400
    assert response.json()["field"] == "title"
    assert not Appeal.objects.exists()


def test_an_anonymous_appeal_with_a_name_is_refused_by_the_service(persona, send):
    client = signed_in(persona.oliver)
    response = send(client, appeal_fields(anonymous="on"))
    assert response.status_code == 400
    assert response.json()["field"] == "citizen_name"
    assert not Appeal.objects.exists()


def test_a_district_of_another_station_is_refused(persona, send):
    client = signed_in(persona.oliver)
    response = send(client, appeal_fields(district=persona.district_b1.pk))
    assert response.status_code == 400
    assert response.json()["field"] == "district"
    assert not Appeal.objects.exists()
