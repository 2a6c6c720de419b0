"""The public pages: no sign-in and no staff menu; Chinese first with English one tap away; the
large-text, high-contrast mode one tap away on every page, kept in a cookie, with no script."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingmin.portal.views import LARGE_COOKIE

PAGES = ["portal:home", "portal:submit", "portal:track", "portal:notices", "portal:stats", "portal:privacy"]


@pytest.mark.parametrize("name", PAGES)
def test_every_public_page_opens_without_an_account(persona, citizen, name):
    response = citizen.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "mainnav" not in html and "signout" not in html
    assert 'id="large-toggle"' in html and 'action="/portal/display/"' in html
    # Plain pages: the staff scripts are not loaded, and only the submit page loads any script.
    assert "core/app.js" not in html
    assert ("<script" in html) == (name == "portal:submit")


def test_large_text_is_one_tap_and_stays(persona, citizen):
    response = citizen.post(reverse("portal:display"), {"large": "1", "next": reverse("portal:track")})
    assert response.status_code == 302 and response["Location"] == reverse("portal:track")
    assert citizen.cookies[LARGE_COOKIE].value == "1"
    html = citizen.get(reverse("portal:stats")).content.decode()
    assert 'class="large"' in html and 'aria-pressed="true"' in html
    citizen.post(reverse("portal:display"), {"large": "0", "next": reverse("portal:home")})
    assert 'class="large"' not in citizen.get(reverse("portal:home")).content.decode()


def test_the_display_switch_goes_back_only_to_this_site(citizen):
    response = citizen.post(reverse("portal:display"), {"large": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:home")


def test_english_on_request(persona, citizen):
    citizen.post(reverse("set_language"), {"language": "en", "next": reverse("portal:home")})
    html = citizen.get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in html and "Submit an appeal" in html
