"""The batch intake: several appeals in one request and one transaction, each with its own key and
its own result; a batch sent again registers nothing twice; an oversized batch is refused whole;
who may send one is who may register one."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from jingmin.api.tests.conftest import api_as
from jingmin.api.tests.test_field_errors import new_appeal
from jingmin.appeals.models import Appeal, AppealEvent
from jingmin.audit.models import AuditEntry
from jingmin.audit.services import audit_seal

BATCH = "/api/v1/appeals/batch/"


def send(client, items):
    return client.post(BATCH, json.dumps({"appeals": items}), content_type="application/json")


def test_a_mixed_batch_answers_each_item_and_registers_the_good_ones(persona):
    client = api_as(persona.clara)
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    items = [
        {"key": "hotline-1", **new_appeal(title="路灯不亮")},
        {"key": "hotline-2", **new_appeal(category="no-such-category")},
        {"key": "hotline-3", **new_appeal(received_at=future)},
        new_appeal(title="没有键"),
        {"key": "hotline-5", **new_appeal(title="噪音扰民")},
    ]
    response = send(client, items)
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "refused", "refused", "refused", "created"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert [r["key"] for r in results] == ["hotline-1", "hotline-2", "hotline-3", None, "hotline-5"]
    # Refusals in the shape of every error of the API, naming the field at fault.
    bad_category, future_time, no_key = (results[i]["error"] for i in (1, 2, 3))
    assert bad_category["field"] == "category" and bad_category["code"] == "does_not_exist"
    assert future_time["field"] == "received_at" and future_time["detail"] == future_time["received_at"][0]
    assert no_key["field"] == "key" and no_key["code"] == "required"
    assert all(results[i]["appeal"] is None for i in (1, 2, 3))
    # The good ones are registered at the person's unit, as a single registration would be.
    created = Appeal.objects.order_by("pk")
    assert [a.title for a in created] == ["路灯不亮", "噪音扰民"]
    assert {a.intake_unit for a in created} == {persona.clara.unit}
    assert [results[0]["appeal"]["id"], results[4]["appeal"]["id"]] == [a.pk for a in created]
    assert results[0]["appeal"] == client.get(f"/api/v1/appeals/{created[0].pk}/").json()
    assert AppealEvent.objects.filter(action="register").count() == 2
    assert AuditEntry.objects.filter(action="appeals.appeal_register").count() == 2
    # Written together at the end of the batch, sealed in the order registered, and the chain proves.
    audit_seal()
    rows = AuditEntry.objects.filter(action="appeals.appeal_register").order_by("seq")
    assert [r.target_id for r in rows] == [str(a.pk) for a in created]
    call_command("audit_verify", stdout=StringIO())


def test_a_batch_sent_again_registers_nothing_twice(persona):
    client = api_as(persona.clara)
    items = [{"key": f"partner-{i}", **new_appeal(title=f"第{i}件")} for i in range(3)]
    first = send(client, items).json()["results"]
    again = send(client, items).json()["results"]
    assert [r["status"] for r in first] == ["created"] * 3
    assert [r["status"] for r in again] == ["replayed"] * 3
    assert [r["appeal"]["id"] for r in again] == [r["appeal"]["id"] for r in first]
    assert Appeal.objects.count() == 3
    # The same key as a single registration's Idempotency-Key is the same appeal too.
    single = client.post(
        "/api/v1/appeals/",
        json.dumps(new_appeal(title="第0件")),
        content_type="application/json",
        headers={"Idempotency-Key": "partner-0"},
    )
    assert single.status_code == 200 and single.json()["id"] == first[0]["appeal"]["id"]
    # Twice in one batch: the second is the first's replay.
    twice = send(client, [{"key": "dup", **new_appeal()}, {"key": "dup", **new_appeal()}]).json()["results"]
    assert [r["status"] for r in twice] == ["created", "replayed"]
    assert Appeal.objects.count() == 4


def test_an_oversized_or_empty_batch_is_refused_whole(persona, settings):
    settings.APPEAL_BATCH_MAX = 3
    client = api_as(persona.clara)
    response = send(client, [{"key": f"k{i}", **new_appeal()} for i in range(4)])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_large" and body["field"] == "appeals" and "3" in body["detail"]
    assert send(client, []).json()["code"] == "required"
    not_a_list = client.post(BATCH, json.dumps({"appeals": "x"}), content_type="application/json")
    assert not_a_list.status_code == 400 and not_a_list.json()["field"] == "appeals"
    assert Appeal.objects.count() == 0


def test_only_those_who_may_register_may_send_a_batch(persona):
    items = [{"key": "k1", **new_appeal()}]
    for user in (persona.sam, persona.audrey):
        response = send(api_as(user), items)
        assert response.status_code == 403, user.username
        assert response.json()["code"] == "permission_denied"
    assert send(APIClient(), items).status_code == 401
    assert Appeal.objects.count() == 0
    # An officer does not register (a single registration answers 403 too); his chief does, at
    # the chief's own unit.
    officer = send(api_as(persona.oliver), items)
    single = api_as(persona.oliver).post(
        "/api/v1/appeals/", json.dumps(new_appeal()), content_type="application/json"
    )
    assert officer.status_code == single.status_code == 403
    assert Appeal.objects.count() == 0
    [result] = send(api_as(persona.chen), items).json()["results"]
    assert Appeal.objects.get(pk=result["appeal"]["id"]).intake_unit == persona.chen.unit
