"""A POST with an Idempotency-Key is done once: a retry gets the first answer back, a different
request under the same key is refused, and a refused request leaves the key free to use again."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from jingmin.api import idempotency
from jingmin.api.models import IdempotentRequest
from jingmin.api.tests.conftest import act, api_as
from jingmin.api.tests.test_field_errors import new_appeal
from jingmin.appeals.models import Action, Appeal, AppealEvent, State

APPEALS = "/api/v1/appeals/"
KEY = "3f1c9a0e-6a53-4e0b-9a57-9c1f3f1d2b7e"


def post(client, body, key=KEY):
    # The same bytes each time, as a client retrying a request it built once.
    return client.post(
        APPEALS, json.dumps(body), content_type="application/json", headers={"Idempotency-Key": key}
    )


def test_a_repeated_registration_creates_one_appeal_and_answers_the_same(persona):
    client = api_as(persona.clara)
    first = post(client, new_appeal())
    second = post(client, new_appeal())
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    appeal = Appeal.objects.get()
    assert appeal.pk == first.json()["id"]
    # The domain holds the key as well, per person, so even another path could not register it twice.
    assert appeal.submission_key == f"{persona.clara.pk}:{KEY}"
    stored = IdempotentRequest.objects.get(user=persona.clara, key=KEY)
    assert stored.status == 201 and stored.body == first.json()
    assert len(stored.fingerprint) == 64


def test_the_same_key_with_another_body_is_refused(persona):
    client = api_as(persona.clara)
    assert post(client, new_appeal()).status_code == 201
    response = post(client, new_appeal(title="另一件事"))
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert response.json()["detail"]
    assert Appeal.objects.count() == 1


def test_the_same_key_on_another_path_is_refused(persona, register):
    client = api_as(persona.clara)
    appeal = register()
    assert act(client, appeal, "accept", {}, **{"Idempotency-Key": KEY}).status_code == 200
    other = register(title="另一件")
    response = act(client, other, "accept", {}, **{"Idempotency-Key": KEY})
    assert response.status_code == 422
    other.refresh_from_db()
    assert other.state == State.SUBMITTED


def test_keys_belong_to_one_person(persona):
    assert post(api_as(persona.clara), new_appeal()).status_code == 201
    assert post(api_as(persona.chen), new_appeal()).status_code == 201
    assert Appeal.objects.count() == 2


def test_a_repeated_step_is_done_once(persona, register):
    appeal = register()
    client = api_as(persona.clara)
    first = act(client, appeal, "accept", {"note": "受理"}, **{"Idempotency-Key": KEY})
    second = act(client, appeal, "accept", {"note": "受理"}, **{"Idempotency-Key": KEY})
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert AppealEvent.objects.filter(appeal=appeal, action=Action.ACCEPT).count() == 1
    # Without a key the retry is a new request, and the appeal has moved on.
    assert act(client, appeal, "accept", {"note": "受理"}).status_code == 409


def test_a_refused_request_leaves_the_key_free(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    client = api_as(persona.clara)
    refused = act(client, appeal, "dispatch", {}, **{"Idempotency-Key": KEY})
    assert refused.status_code == 400
    assert not IdempotentRequest.objects.exists()
    corrected = act(client, appeal, "dispatch", {"unit": persona.district_a1.pk}, **{"Idempotency-Key": KEY})
    assert corrected.status_code == 200
    assert corrected.json()["state"] == State.DISPATCHED


def test_a_forbidden_request_stores_nothing(persona, register):
    appeal = register()
    response = act(api_as(persona.oliver), appeal, "accept", {}, **{"Idempotency-Key": KEY})
    assert response.status_code == 403
    assert not IdempotentRequest.objects.exists()


def test_a_twin_that_raced_past_the_lookup_gets_the_first_answer(persona):
    """Two identical requests at once: both miss the lookup, the second fails to insert its key
    once the first has committed, and answers with the first one's result."""
    client = api_as(persona.clara)
    first = post(client, new_appeal())
    real_filter = IdempotentRequest.objects.filter
    lookups = []

    def miss_first_lookup(*args, **kwargs):
        queryset = real_filter(*args, **kwargs)
        lookups.append(1)
        return queryset.none() if len(lookups) == 1 else queryset

    with mock.patch.object(IdempotentRequest.objects, "filter", side_effect=miss_first_lookup):
        second = post(client, new_appeal())

    assert len(lookups) == 2
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * (idempotency.MAX_KEY_LENGTH + 1), "含中文"])
def test_a_malformed_key_is_refused(persona, key):
    response = post(api_as(persona.clara), new_appeal(), key=key)
    assert response.status_code == 400
    assert response.json()["field"] == "Idempotency-Key"
    assert not Appeal.objects.exists()
