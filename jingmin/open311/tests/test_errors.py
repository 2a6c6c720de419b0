"""Errors are the specification's list of code and description, in the format asked for: 403 for
a missing, unknown or revoked key, 404 for what does not exist, 405 for a wrong method, 400 for
what cannot be served."""

from __future__ import annotations

import pytest

from jingmin.appeals.models import Appeal
from jingmin.open311.services import partner_revoke
from jingmin.open311.tests.conftest import (
    BASE,
    call,
    errors_of,
    json_errors,
    noise_post,
    post_form,
    xml_errors,
)

FORMATS = ["json", "xml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_without_a_key_is_403(persona, public, hotline, fmt):
    response = post_form(public, fmt, noise_post("", api_key=None))
    assert response.status_code == 403
    [description] = errors_of(response, fmt)
    assert "api_key" in description
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_with_an_unknown_key_is_403(persona, public, hotline, fmt):
    response = post_form(public, fmt, noise_post("0" * 48))
    assert response.status_code == 403
    assert errors_of(response, fmt)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_post_with_a_revoked_key_is_403(persona, public, hotline, fmt):
    partner_revoke(actor=persona.sam, partner=hotline.partner)
    response = post_form(public, fmt, noise_post(hotline.key))
    assert response.status_code == 403
    [description] = errors_of(response, fmt)
    assert "revoked" in description
    assert not Appeal.objects.exists()


def test_the_key_is_checked_before_the_content(persona, public):
    # Nothing about the service is told to a caller without a key.
    response = post_form(public, "json", {"api_key": "wrong", "service_code": "no-such"})
    assert response.status_code == 403


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_bad_key_when_reading_is_403_too(persona, public, hotline, fmt):
    partner_revoke(actor=persona.sam, partner=hotline.partner)
    response = call(public, "GET", "requests", fmt, {"api_key": hotline.key})
    assert response.status_code == 403
    assert errors_of(response, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "path", ["requests/999999", "requests/abc", "tokens/no-such-token", "services/no-such"]
)
def test_what_does_not_exist_is_404(db, public, fmt, path):
    response = call(public, "GET", path, fmt)
    assert response.status_code == 404
    assert errors_of(response, fmt)


def test_an_unknown_resource_is_404_in_the_format_asked(db, public):
    as_json = public.get(f"{BASE}nothing/here.json")
    assert as_json.status_code == 404 and json_errors(as_json)
    as_xml = public.get(f"{BASE}nothing/here.xml")
    assert as_xml.status_code == 404 and xml_errors(as_xml)


def test_an_unknown_format_is_400_in_xml(db, public):
    response = public.get(f"{BASE}services.html")
    assert response.status_code == 400
    [(code, description)] = xml_errors(response)
    assert code == "400" and ".json" in description


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "services", "GET, HEAD"),
        ("DELETE", "requests", "GET, HEAD, POST"),
        ("PUT", "requests/1", "GET, HEAD"),
        ("POST", "discovery", "GET, HEAD"),
        ("POST", "tokens/abc", "GET, HEAD"),
        ("POST", "services/order-noise", "GET, HEAD"),
    ],
)
def test_a_wrong_method_is_405(db, public, fmt, method, path, allowed):
    response = call(public, method, path, fmt)
    assert response.status_code == 405
    assert response["Allow"] == allowed
    [description] = errors_of(response, fmt)
    assert method in description
