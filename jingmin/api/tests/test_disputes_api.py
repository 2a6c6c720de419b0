"""The disputes and signals of the API: scoped, steps by name, a retried write taken once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jingmin.api.tests.conftest import api_as
from jingmin.appeals import services as appeal_services
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.disputes.models import Dispute
from jingmin.warnings import services as warning_services

pytestmark = pytest.mark.django_db


def _body(persona, **overrides):
    body = {
        "title": "欠薪纠纷",
        "description": "工人讨要工资未果。",
        "place": "东门工地",
        "district": persona.district_a1.pk,
        "type": "wages",
        "grade": "orange",
        "parties": [{"name": "王五", "phone": "13912345678"}, {"name": "某建筑公司", "role": "respondent"}],
    }
    body.update(overrides)
    return body


def test_a_dispute_is_registered_once_per_idempotency_key(persona):
    client = api_as(persona.oliver)
    first = client.post(
        "/api/v1/disputes/", _body(persona), format="json", headers={"Idempotency-Key": "d-1"}
    )
    again = client.post(
        "/api/v1/disputes/", _body(persona), format="json", headers={"Idempotency-Key": "d-1"}
    )
    assert first.status_code == 201 and again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and first.json()["id"] == again.json()["id"]
    assert Dispute.objects.count() == 1
    assert first.json()["parties"][0]["phone_masked"] == "139****5678"
    other = client.post(
        "/api/v1/disputes/", _body(persona, title="另一起"), format="json", headers={"Idempotency-Key": "d-1"}
    )
    assert other.status_code == 422


def test_steps_by_name_and_a_closed_dispute_answers_409(persona):
    client = api_as(persona.oliver)
    pk = client.post("/api/v1/disputes/", _body(persona), format="json").json()["id"]
    answer = client.post(
        f"/api/v1/disputes/{pk}/mediate/", {"with_whom": "双方", "what": "调解"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["state"] == "mediating"
    assert (
        client.post(f"/api/v1/disputes/{pk}/resolve/", {"outcome": "和解"}, format="json").json()["state"]
        == "resolved"
    )
    late = client.post(f"/api/v1/disputes/{pk}/contain/", {"note": "x"}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "dispute_state"
    assert client.post(f"/api/v1/disputes/{pk}/explode/", {}, format="json").status_code == 404
    bad = client.post(f"/api/v1/disputes/{pk}/regrade/", {"grade": "purple", "reason": "x"}, format="json")
    assert bad.status_code == 400


def test_another_station_does_not_see_the_dispute(persona):
    pk = api_as(persona.oliver).post("/api/v1/disputes/", _body(persona), format="json").json()["id"]
    olga = api_as(persona.olga)
    assert olga.get(f"/api/v1/disputes/{pk}/").status_code == 404
    assert olga.get("/api/v1/disputes/").json()["results"] == []
    assert [
        d["id"] for d in api_as(persona.chen).get("/api/v1/disputes/?grade=orange").json()["results"]
    ] == [pk]


def test_signals_filter_by_state_kind_and_evidence(persona):
    appeal, _ = appeal_services.appeal_register(
        actor=persona.clara, data=appeal_input(district=persona.district_a1, content="他扬言要放火。")
    )
    warning_services.signals_scan_record(record_type="appeal", record_id=appeal.pk, now=timezone.now())
    client = api_as(persona.chen)
    rows = client.get("/api/v1/signals/?state=open&kind=risk_words").json()["results"]
    assert len(rows) == 1 and rows[0]["evidence"][0] == {
        "record_type": "appeal",
        "record_id": appeal.pk,
        "mark": "",
        "added_at": rows[0]["evidence"][0]["added_at"],
    }
    assert rows[0]["unit"] == persona.district_a1.pk and rows[0]["severity"] == "high"
    by_record = client.get(f"/api/v1/signals/?record_type=appeal&record_id={appeal.pk}").json()["results"]
    assert len(by_record) == 1
    assert client.get("/api/v1/signals/", {"kind": "spike"}).json()["results"] == []
    assert api_as(persona.olga).get("/api/v1/signals/").json()["results"] == []
    assert api_as(persona.sam).get("/api/v1/signals/").status_code == 403
