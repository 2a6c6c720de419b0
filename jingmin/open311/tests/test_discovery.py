"""The discovery document says where the endpoint is, which specification it speaks, in which
formats, and when its services last changed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jingmin.appeals import services_settings
from jingmin.appeals.models import Category
from jingmin.open311.tests.conftest import BASE, W3C, as_xml, call


@pytest.fixture
def site(settings):
    settings.PUBLIC_BASE_URL = "https://jingmin.example"


def test_discovery_in_json(db, public, site):
    response = call(public, "GET", "discovery", "json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert set(document) == {"changeset", "contact", "key_service", "endpoints"}
    assert document["contact"] and document["key_service"]
    assert W3C.match(document["changeset"])
    [endpoint] = document["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "https://jingmin.example/open311/v2/",
        "changeset": document["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }


def test_discovery_in_xml(db, public, site):
    root = as_xml(call(public, "GET", "discovery", "xml"))
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoints = root.findall("endpoints/endpoint")
    assert len(endpoints) == 1
    endpoint = endpoints[0]
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "https://jingmin.example/open311/v2/"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_the_bare_endpoint_shows_the_discovery_document(db, public):
    response = public.get(BASE)
    assert response.status_code == 200
    assert as_xml(response).tag == "discovery"


def test_the_changeset_moves_when_a_service_changes(persona, public):
    before = json.loads(call(public, "GET", "discovery").content)["changeset"]
    category = Category.objects.get(code="order-noise")
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        services_settings.category_update(actor=persona.sam, category=category, name="夜间噪音", position=0)
    after = json.loads(call(public, "GET", "discovery").content)["changeset"]
    assert after > before
