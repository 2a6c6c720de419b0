"""The shell: a service worker whose scope covers the app and whose first line names the version,
a manifest, and a page that holds nothing personal (it lives in the phone's Cache Storage)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import signed_in
from jingmin.field import shell

pytestmark = pytest.mark.django_db


def test_the_worker_is_served_with_its_scope_and_version(persona):
    response = Client().get(reverse("field:worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == reverse("field:app")
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert text.startswith(f"// Jingmin field app, shell {shell.version()}\n")
    for url in ("/static/field/app.js", "/static/vendor/idb/index.js", "/static/field/icon-192.png"):
        assert url in text


def test_the_version_follows_the_files(monkeypatch):
    shell.version.cache_clear()
    before = shell.version()
    real = shell._bytes
    monkeypatch.setattr(shell, "_bytes", lambda path: real(path) + (b"x" if path == "field/app.js" else b""))
    shell.version.cache_clear()
    try:
        assert shell.version() != before
    finally:
        monkeypatch.undo()
        shell.version.cache_clear()


def test_the_manifest_makes_the_app_installable(persona):
    response = Client().get(reverse("field:manifest"))
    assert response["Content-Type"].startswith("application/manifest+json")
    body = response.json()
    assert body["start_url"] == body["scope"] == reverse("field:app")
    assert body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}


def test_the_shell_names_nobody_and_has_no_inline_code(persona):
    response = signed_in(persona.oliver).get(reverse("field:app"))
    assert response.status_code == 200
    html = response.content.decode()
    assert persona.oliver.full_name not in html
    assert persona.district_a1.name not in html
    assert 'csrfmiddlewaretoken" value=""' in html
    assert "<style" not in html and " style=" not in html and " onclick=" not in html
    # The only script blocks are JSON data (json_script), which never runs.
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head
