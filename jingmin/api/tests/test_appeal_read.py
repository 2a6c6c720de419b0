"""What an appeal looks like through the API: its figures, the citizen masked, the steps the
person may take now, and its history."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from jingmin.api.tests.conftest import act, api_as
from jingmin.api.tests.test_field_errors import new_appeal
from jingmin.appeals.models import Appeal, State


def test_register_answers_201_with_the_appeal_at_the_persons_unit(persona):
    received = (timezone.now() - timedelta(hours=1)).replace(microsecond=0)
    body = new_appeal(
        urgency="urgent",
        address="东门小区3栋",
        latitude=30.2741234567,
        longitude=120.1551,
        district=persona.district_a1.pk,
        received_at=received.isoformat(),
    )
    response = api_as(persona.clara).post("/api/v1/appeals/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    appeal = Appeal.objects.get(pk=data["id"])
    assert appeal.created_by == persona.clara and appeal.unit == persona.station_a
    assert appeal.received_at == received
    assert appeal.district == persona.district_a1
    assert data["state"] == State.SUBMITTED
    assert data["tracking_code"] == appeal.tracking_code
    assert data["category"] == "order-noise" and data["urgency"] == "urgent" and data["channel"] == "phone"
    assert data["unit"] == persona.station_a.pk and data["unit_name"] == "城关派出所"
    # GPS readings with more digits than the column keeps are rounded, not refused.
    assert data["latitude"] == 30.274123 and data["longitude"] == 120.1551
    assert data["handler"] is None and data["handler_name"] is None
    assert data["conclude_by"] and data["due_at"] and data["overdue"] is False


def test_the_citizen_is_masked_and_the_full_phone_never_leaves(persona, register):
    appeal = register()
    client = api_as(persona.clara)
    detail = client.get(f"/api/v1/appeals/{appeal.pk}/")
    listing = client.get("/api/v1/appeals/")
    for response in (detail, listing):
        assert "13812345678" not in response.content.decode()
        assert "王小明" not in response.content.decode()
    data = detail.json()
    assert data["citizen_phone"] == "138****5678"
    assert data["citizen_name"] == "王**"
    assert data["anonymous"] is False


def test_allowed_actions_follow_the_state_the_role_and_the_unit(persona, register, walk):
    appeal = register()
    url = f"/api/v1/appeals/{appeal.pk}/"
    assert api_as(persona.clara).get(url).json()["allowed_actions"] == ["accept", "reject", "merge"]
    assert api_as(persona.chen).get(url).json()["allowed_actions"] == [
        "accept",
        "reject",
        "supervise",
        "merge",
    ]
    assert api_as(persona.li).get(url).json()["allowed_actions"] == ["supervise", "merge"]

    walk(appeal, State.DISPATCHED)
    assert api_as(persona.oliver).get(url).json()["allowed_actions"] == ["sign", "transfer", "return"]
    # Clara's station received it, but only the holding unit's steps are hers if she holds it.
    assert api_as(persona.clara).get(url).json()["allowed_actions"] == ["transfer", "merge"]


def test_the_history_lists_every_step(persona, register, walk):
    appeal = walk(register(), State.SIGNED)
    response = api_as(persona.oliver).get(f"/api/v1/appeals/{appeal.pk}/events/")
    assert response.status_code == 200
    events = response.json()
    assert [(e["seq"], e["action"], e["from_state"], e["to_state"]) for e in events] == [
        (1, "register", "", State.SUBMITTED),
        (2, "accept", State.SUBMITTED, State.ACCEPTED),
        (3, "dispatch", State.ACCEPTED, State.DISPATCHED),
        (4, "sign", State.DISPATCHED, State.SIGNED),
    ]
    dispatch, sign = events[2], events[3]
    assert dispatch["actor_name"] == "柯拉" and dispatch["actor_unit"] == persona.station_a.pk
    assert dispatch["actor_unit_name"] == "城关派出所"
    assert dispatch["unit"] == persona.district_a1.pk and dispatch["unit_name"] == "东门警务区"
    assert sign["actor_name"] == "欧立文" and sign["unit"] is None and sign["unit_name"] is None
    assert sign["data"]["on_time"] is True
    assert sign["at"]


def test_the_history_carries_the_notes(persona, register):
    appeal = register()
    act(api_as(persona.clara), appeal, "reject", {"reason": "非警务事项，已告知群众向城管反映"})
    events = api_as(persona.clara).get(f"/api/v1/appeals/{appeal.pk}/events/").json()
    assert events[-1]["note"] == "非警务事项，已告知群众向城管反映"


def test_categories_are_the_active_two_levels(persona):
    from jingmin.appeals.models import Category

    Category.objects.filter(code="order-gambling").update(is_active=False)
    data = api_as(persona.oliver).get("/api/v1/categories/").json()
    by_code = {c["code"]: c for c in data}
    assert by_code["order"] == {
        "code": "order",
        "name": "治安管理",
        "name_en": "Public order",
        "parent": None,
    }
    assert by_code["order-noise"]["parent"] == "order"
    assert "order-gambling" not in by_code
    assert len(by_code) == Category.objects.filter(is_active=True).count()


def test_units_carry_their_parent(persona):
    data = {u["code"]: u for u in api_as(persona.clara).get("/api/v1/units/").json()}
    assert data["TA11"] == {
        "id": persona.district_a1.pk,
        "code": "TA11",
        "name": "东门警务区",
        "kind": "district",
        "parent": persona.station_a.pk,
    }


def test_the_list_costs_the_same_queries_for_three_appeals_or_nine(persona, register, walk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(persona.clara)

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/appeals/").status_code == 200
        return len(captured)

    for _ in range(3):
        walk(register(), State.DISPATCHED)
    three = queries_for_list()
    for _ in range(6):
        walk(register(), State.DISPATCHED)
    assert queries_for_list() == three
