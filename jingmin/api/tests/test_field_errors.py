"""A refused input answers 400 naming the field, whether the serializer or the domain refused it,
in the person's language, and changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from jingmin.api.tests.conftest import act, api_as
from jingmin.appeals.models import Appeal, AppealEvent, State

APPEALS = "/api/v1/appeals/"


def new_appeal(**overrides):
    body = {
        "channel": "phone",
        "type": "help",
        "category": "order-noise",
        "title": "楼上深夜噪音扰民",
        "content": "东门小区3栋楼上每晚12点后装修噪音，影响休息。",
        "citizen_name": "王小明",
        "citizen_phone": "13812345678",
    }
    body.update(overrides)
    return body


def assert_names(response, field, code=None):
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["field"] == field
    assert body[field] and isinstance(body[field], list)
    assert body["detail"] == str(body[field][0])
    if code is not None:
        assert body["code"] == code
    return body


def test_conclude_with_a_result_that_does_not_exist(persona, register, walk):
    appeal = walk(register(), State.HANDLING)
    response = act(api_as(persona.oliver), appeal, "conclude", {"result": "done", "note": "已处理"})
    assert_names(response, "result", "invalid_choice")
    appeal.refresh_from_db()
    assert appeal.state == State.HANDLING


def test_conclude_without_saying_what_was_done_is_the_domains_refusal(persona, register, walk):
    appeal = walk(register(), State.HANDLING)
    events = AppealEvent.objects.filter(appeal=appeal).count()
    response = act(api_as(persona.oliver), appeal, "conclude", {"result": "solved", "note": "  "})
    assert_names(response, "note", "required")
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


def test_register_received_in_the_future(persona):
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    response = api_as(persona.clara).post(APPEALS, new_appeal(received_at=future), format="json")
    assert_names(response, "received_at", "invalid")
    assert not Appeal.objects.exists()


def test_register_under_a_first_level_category(persona):
    response = api_as(persona.clara).post(APPEALS, new_appeal(category="order"), format="json")
    assert_names(response, "category")
    assert not Appeal.objects.exists()


def test_register_with_an_unknown_category(persona):
    response = api_as(persona.clara).post(APPEALS, new_appeal(category="no-such-thing"), format="json")
    assert_names(response, "category", "does_not_exist")


def test_an_anonymous_appeal_carries_no_name(persona):
    response = api_as(persona.clara).post(APPEALS, new_appeal(anonymous=True), format="json")
    assert_names(response, "citizen_name")


def test_dispatch_without_a_unit(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    response = act(api_as(persona.clara), appeal, "dispatch", {"assist_units": []})
    assert_names(response, "unit", "required")
    appeal.refresh_from_db()
    assert appeal.state == State.ACCEPTED


def test_dispatch_to_the_bureau_itself(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    response = act(api_as(persona.clara), appeal, "dispatch", {"unit": persona.bureau.pk})
    assert_names(response, "unit", "bad_unit")


def test_dispatch_with_an_assisting_unit_that_does_not_exist(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    response = act(
        api_as(persona.clara), appeal, "dispatch", {"unit": persona.district_a1.pk, "assist_units": [999999]}
    )
    assert_names(response, "assist_units", "required")


def test_follow_up_satisfaction_out_of_range(persona, register, walk):
    appeal = walk(register(), State.CONCLUDED)
    response = act(api_as(persona.clara), appeal, "follow-up", {"resolved": True, "satisfaction": 6})
    assert_names(response, "satisfaction", "max_value")


def test_supervise_needs_a_note(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    response = act(api_as(persona.chen), appeal, "supervise", {})
    assert_names(response, "note", "required")


def test_merge_into_itself(persona, register):
    appeal = register()
    response = act(api_as(persona.clara), appeal, "merge", {"into": appeal.pk})
    assert_names(response, "into")
    appeal.refresh_from_db()
    assert appeal.state == State.SUBMITTED


def test_messages_are_chinese_unless_english_was_chosen(persona, register, walk, settings):
    appeal = walk(register(), State.ACCEPTED)
    client = api_as(persona.clara)
    assert act(client, appeal, "dispatch", {}).json()["detail"] == "该字段是必填项。"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert act(client, appeal, "dispatch", {}).json()["detail"] == "This field is required."


def test_a_body_that_is_not_json(persona, register):
    appeal = register()
    client = api_as(persona.clara)
    url = f"/api/v1/appeals/{appeal.pk}/accept/"
    response = client.post(url, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    response = client.post(url, {"note": "x"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_no_credentials_answers_401_with_the_scheme(persona):
    response = APIClient().get(APPEALS)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_answers_401(persona):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get(APPEALS)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
