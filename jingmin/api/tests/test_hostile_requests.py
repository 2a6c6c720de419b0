"""Requests a program should not send still get the documented answers: OPTIONS describes every
endpoint (it was a 500), and an oversized or malformed body gets the API's error shape or
Open311's error list — never Django's HTML "Bad Request" page."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jingmin.core.codes import CommonError

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(persona):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=persona.clara).key}")
    return client


def _too_big(settings) -> str:
    return json.dumps({"title": "噪" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})


@pytest.mark.parametrize(
    "path", ["/api/v1/appeals/", "/api/v1/categories/", "/api/v1/units/", "/api/v1/auth/token/"]
)
def test_options_describes_the_endpoint(api, path):
    response = api.options(path)
    assert response.status_code == 200, response.content
    assert (
        response.json()["renders"] == ["application/json"] or "application/json" in response.json()["renders"]
    )
    assert response.json()["schema"] == "/api/schema/"


def test_options_of_a_step_answers_too(api):
    assert api.options("/api/v1/appeals/1/sign/").status_code in (200, 404)


@pytest.mark.parametrize("path", ["/api/v1/appeals/", "/api/v1/auth/token/"])
def test_an_oversized_body_gets_the_error_shape(api, settings, path):
    response = api.post(path, _too_big(settings), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == CommonError.TOO_LARGE and response.json()["detail"]


@pytest.mark.parametrize("body", ["{bad", "[1, 2", "\xff\xfe", '{"title": "\\ud800"'])
def test_a_malformed_body_gets_the_error_shape(api, body):
    response = api.post(
        "/api/v1/appeals/", body.encode("utf-8", "surrogatepass"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == CommonError.PARSE_ERROR


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_an_oversized_body_with_its_error_list(persona, settings, fmt):
    body = "description=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = APIClient().post(
        reverse("open311:v2_requests", kwargs={"fmt": fmt}),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    if fmt == "json":
        assert response.json()[0]["code"] == 413
    else:
        assert b"<errors><error><code>413</code>" in response.content


def test_open311_answers_too_many_fields_with_its_error_list(persona, settings):
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = APIClient().post(
        reverse("open311:v2_requests", kwargs={"fmt": "json"}),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413 and response.json()[0]["code"] == 413
