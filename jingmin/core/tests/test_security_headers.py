"""Every answer — staff pages, public pages, the API, Open311 — carries the security headers: an
enforced Content-Security-Policy with no inline script or style, a Permissions-Policy, and the
headers that stop sniffing, framing, leaking the address and sharing a window. No template holds
inline script, inline style or an event attribute (the browser walk shows the policy holds on every
page; this finds the offending template without a browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from conftest import signed_in

pytestmark = pytest.mark.django_db


def _assert_headers(response) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe" not in policy  # neither unsafe-inline nor unsafe-eval
    assert (
        "geolocation=(self)" in response["Permissions-Policy"]
        and "camera=()" in response["Permissions-Policy"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy-Report-Only" not in response


def test_staff_public_api_and_open311_answers_carry_the_headers(persona):
    _assert_headers(signed_in(persona.chen).get("/"))
    _assert_headers(signed_in(persona.chen).get("/appeals/"))
    _assert_headers(APIClient().get("/signin/"))
    _assert_headers(APIClient().get("/portal/"))
    _assert_headers(APIClient().get("/portal/submit/"))
    _assert_headers(APIClient().get("/api/v1/appeals/"))  # a 401, which carries them too
    _assert_headers(APIClient().get("/open311/v2/services.json"))


def test_a_configured_tile_server_is_the_one_other_image_source(settings):
    from jingmin.core.headers import content_security_policy

    settings.MAP_TILE_URL = "https://{s}.tiles.example.cn/{z}/{x}/{y}.png"
    assert "img-src 'self' data: blob: https://*.tiles.example.cn;" in content_security_policy()
    settings.MAP_TILE_URL = ""
    assert "img-src 'self' data: blob:;" in content_security_policy()


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+=", re.I),
    re.compile(r"javascript:", re.I),
]


def test_no_template_holds_inline_script_or_style():
    found = []
    for template in sorted(Path(settings.BASE_DIR, "jingmin").glob("*/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        found += [f"{template}: {m.group(0)}" for pattern in INLINE for m in pattern.finditer(text)]
    assert not found, "\n".join(found)
