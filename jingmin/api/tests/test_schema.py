"""The OpenAPI schema generates cleanly, and its docs page loads nothing from outside."""

from __future__ import annotations

import html
import re

import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from conftest import signed_in
from jingmin.api.serializers import API_ACTIONS
from jingmin.api.tests.conftest import api_as


def test_the_schema_describes_every_endpoint(persona):
    response = api_as(persona.clara).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/v1/auth/token/", "/api/v1/categories/", "/api/v1/units/", "/api/v1/appeals/"} <= paths
    assert {"/api/v1/appeals/{id}/", "/api/v1/appeals/{id}/events/"} <= paths
    assert {f"/api/v1/appeals/{{id}}/{action}/" for action in API_ACTIONS} <= paths
    conclude = schema["paths"]["/api/v1/appeals/{id}/conclude/"]["post"]
    assert conclude["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/Conclude")
    assert {"200", "400", "403", "404", "409", "422"} <= set(conclude["responses"])


def test_the_schema_is_for_staff(persona):
    assert APIClient().get("/api/schema/").status_code == 401


def test_the_schema_generates_without_warnings(tmp_path):
    # The same check as `manage.py spectacular --validate --fail-on-warn`: a warning fails it.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 0


def test_the_docs_page_loads_only_local_assets(persona):
    client = signed_in(persona.clara)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    # No inline script or style: the starting script is an answer of its own.
    assert "<style" not in page and re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assets = [html.unescape(a) for a in re.findall(r'(?:src|href)="([^"]+)"', page)]
    assert len(assets) >= 6  # css twice, bundle, preset, favicon and the starting script
    script = [a for a in assets if a.startswith("/api/docs/?")]
    assert len(script) == 1, assets
    for asset in set(assets) - set(script):
        assert asset.startswith(("/static/vendor/swagger-ui/", "/static/api/")), asset
        # And it is really there, from the npm package or the app.
        assert finders.find(asset.removeprefix("/static/")), asset
    starter = client.get(script[0])
    assert starter.status_code == 200 and starter["Content-Type"].startswith("application/javascript")
    code = starter.content.decode()
    # No address outside the site anywhere on the page or in its script, and Swagger UI's own
    # default call to validator.swagger.io is switched off.
    assert re.findall(r"https?://", page + code) == []
    assert '"validatorUrl": null' in code
    assert 'url: "/api/schema/"' in code


def test_the_docs_page_is_for_staff(persona):
    assert APIClient().get("/api/docs/").status_code == 401
