"""Sam keeps each service's questions on /open311/services/: adds, changes and removes them, each
change audited and seen at once by partners; nobody else may."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.open311.models import ServiceAttribute
from jingmin.open311.tests.conftest import call

PAGE = "open311:service_attributes"


def add(client, service="order-fight", **fields):
    data = {
        "form": "create",
        "new-code": "injured",
        "new-description": "有人受伤吗？",
        "new-datatype": "singlevaluelist",
        "new-order": 1,
        "new-required": "on",
        "new-variable": "on",
        "new-values": "yes = 有\nno = 没有",
    }
    data.update({f"new-{k}": v for k, v in fields.items()})
    return client.post(reverse(PAGE, args=[service]), {k: v for k, v in data.items() if v is not None})


def test_sam_sees_the_services_and_their_questions(persona):
    client = signed_in(persona.sam)
    listing = client.get(reverse("open311:services")).content.decode()
    assert 'data-service="order-noise"' in listing
    page = client.get(reverse(PAGE, args=["order-noise"])).content.decode()
    assert 'data-attribute="noise_source"' in page


@pytest.mark.parametrize("who", ["clara", "chen", "li", "ines", "sue", "audrey"])
def test_only_the_system_administrator_edits_questions(persona, who):
    client = signed_in(getattr(persona, who))
    assert client.get(reverse("open311:services")).status_code == 403
    assert client.get(reverse(PAGE, args=["order-noise"])).status_code == 403
    assert add(client).status_code == 403
    assert not ServiceAttribute.objects.filter(category__code="order-fight").exists()


def test_a_question_added_is_in_the_definition_at_once(persona, public):
    response = add(signed_in(persona.sam))
    assert response.status_code == 302
    row = ServiceAttribute.objects.get(category__code="order-fight")
    assert row.values == [{"key": "yes", "name": "有"}, {"key": "no", "name": "没有"}] and row.required
    definition = json.loads(call(public, "GET", "services/order-fight").content)
    assert [a["code"] for a in definition["attributes"]] == ["injured"]
    services = json.loads(call(public, "GET", "services").content)
    assert next(s for s in services if s["service_code"] == "order-fight")["metadata"] is True
    assert AuditEntry.objects.get(action="open311.attribute_create").actor_username == "sam"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "has space"}, "code"),
        ({"code": "attr[x]"}, "code"),
        ({"values": ""}, "values"),
        ({"values": "yes 有"}, "values"),
        ({"values": "yes = 有\nyes = 是"}, "values"),
        ({"datatype": "number"}, "values"),
        ({"description": ""}, "description"),
        ({"order": 0}, "order"),
    ],
)
def test_a_bad_question_is_shown_beside_its_field(persona, fields, field):
    response = add(signed_in(persona.sam), **fields)
    assert response.status_code == 400
    assert response.context["new_form"].errors[field]
    assert not ServiceAttribute.objects.filter(category__code="order-fight").exists()


def test_codes_and_places_are_unique_within_a_service(persona):
    client = signed_in(persona.sam)
    add(client)
    again = add(client, order=2)
    assert again.status_code == 400 and again.context["new_form"].errors["code"]
    same_place = add(client, code="weapon")
    assert same_place.status_code == 400 and same_place.context["new_form"].errors["order"]


def test_a_question_is_changed_but_not_its_code(persona):
    client = signed_in(persona.sam)
    row = ServiceAttribute.objects.get(category__code="order-noise", code="noise_since")
    url = reverse(PAGE, args=["order-noise"])
    prefix = f"a{row.pk}"
    data = {
        "form": "update",
        "attribute": row.pk,
        f"{prefix}-code": "noise_since",
        f"{prefix}-description": "噪音大约几点开始？",
        f"{prefix}-datatype": "datetime",
        f"{prefix}-order": row.order,
        f"{prefix}-variable": "on",
        f"{prefix}-required": "on",
    }
    assert client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.description == "噪音大约几点开始？" and row.required
    assert AuditEntry.objects.get(action="open311.attribute_update").detail["changes"]["required"] == [
        False,
        True,
    ]
    renamed = client.post(url, {**data, f"{prefix}-code": "started"})
    assert renamed.status_code == 400
    row.refresh_from_db()
    assert row.code == "noise_since"


def test_a_question_is_removed(persona):
    client = signed_in(persona.sam)
    row = ServiceAttribute.objects.get(category__code="order-noise", code="still_ongoing")
    response = client.post(reverse(PAGE, args=["order-noise"]), {"form": "delete", "attribute": row.pk})
    assert response.status_code == 302
    assert not ServiceAttribute.objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.get(action="open311.attribute_delete").detail["code"] == "still_ongoing"


def test_a_question_of_another_service_is_not_reached_through_this_one(persona):
    row = ServiceAttribute.objects.get(category__code="order-noise", code="still_ongoing")
    response = signed_in(persona.sam).post(
        reverse(PAGE, args=["traffic-parking"]), {"form": "delete", "attribute": row.pk}
    )
    assert response.status_code == 404
    assert ServiceAttribute.objects.filter(pk=row.pk).exists()
