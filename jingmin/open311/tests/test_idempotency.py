"""A partner that retries a post after a lost answer (same Idempotency-Key, same content) gets the
first request back and nothing is created twice; the same key with other content is refused;
keys of different partners never meet."""

from __future__ import annotations

import json

from jingmin.appeals.models import Appeal
from jingmin.open311.models import ServiceRequest
from jingmin.open311.services import partner_create
from jingmin.open311.tests.conftest import errors_of, noise_post, post_form

KEY = "3f7c2a1e-9b1d-4c55-8a0e-3d2b1c0f9e88"


def test_a_retry_creates_nothing_twice(persona, public, hotline):
    first = post_form(public, "json", noise_post(hotline.key), HTTP_IDEMPOTENCY_KEY=KEY)
    again = post_form(public, "json", noise_post(hotline.key), HTTP_IDEMPOTENCY_KEY=KEY)
    assert first.status_code == again.status_code == 200
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert (
        json.loads(first.content)[0]["service_request_id"]
        == json.loads(again.content)[0]["service_request_id"]
    )
    assert json.loads(first.content)[0]["token"] == json.loads(again.content)[0]["token"]
    assert Appeal.objects.count() == 1 and ServiceRequest.objects.count() == 1


def test_without_a_key_each_post_is_a_new_request(persona, public, hotline):
    post_form(public, "json", noise_post(hotline.key))
    post_form(public, "json", noise_post(hotline.key))
    assert Appeal.objects.count() == 2


def test_the_same_key_with_other_content_is_refused(persona, public, hotline):
    post_form(public, "json", noise_post(hotline.key), HTTP_IDEMPOTENCY_KEY=KEY)
    response = post_form(
        public, "xml", noise_post(hotline.key, description="另一件事"), HTTP_IDEMPOTENCY_KEY=KEY
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in errors_of(response, "xml")[0]
    assert Appeal.objects.count() == 1


def test_partners_keys_do_not_meet(persona, public, hotline):
    _other, other_key = partner_create(actor=persona.sam, name="某某App", intake_unit=persona.station_a)
    post_form(public, "json", noise_post(hotline.key), HTTP_IDEMPOTENCY_KEY=KEY)
    post_form(public, "json", noise_post(other_key), HTTP_IDEMPOTENCY_KEY=KEY)
    assert Appeal.objects.count() == 2
    assert set(Appeal.objects.values_list("source", flat=True)) == {"12345市民服务热线", "某某App"}


def test_a_refused_post_leaves_the_key_free(persona, public, hotline):
    bad = post_form(public, "json", noise_post(hotline.key, lat="north"), HTTP_IDEMPOTENCY_KEY=KEY)
    assert bad.status_code == 400
    good = post_form(public, "json", noise_post(hotline.key), HTTP_IDEMPOTENCY_KEY=KEY)
    assert good.status_code == 200 and Appeal.objects.count() == 1


def test_a_malformed_idempotency_key_is_400(persona, public, hotline):
    response = post_form(public, "json", noise_post(hotline.key), HTTP_IDEMPOTENCY_KEY="x" * 65)
    assert response.status_code == 400
    assert "Idempotency-Key" in errors_of(response, "json")[0]
    assert not Appeal.objects.exists()
