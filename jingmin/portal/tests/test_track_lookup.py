"""Looking up an appeal by its tracking code: however it is typed, an unknown code says so, and an
address that tries many codes that do not exist is asked for the captcha and then refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jingmin.portal import limits
from jingmin.portal.tests.conftest import captcha_answer, registered


@pytest.fixture
def tight(settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "track-miss-ip": (3600, 2, 4)}


def unknown_code(appeal) -> str:
    code = "23456789ABCD"
    return code if code != appeal.tracking_code else "ABCD23456789"


@pytest.mark.parametrize("typed", ["{c}", "{l}", "{c4}-{c8}-{c12}", " {l4} {l8} {l12} ", "{c4}_{c8}.{c12}"])
def test_the_code_is_found_however_it_is_typed(persona, citizen, typed):
    appeal = registered(persona)
    c = appeal.tracking_code
    text = typed.format(
        c=c,
        l=c.lower(),
        c4=c[:4],
        c8=c[4:8],
        c12=c[8:],
        l4=c[:4].lower(),
        l8=c[4:8].lower(),
        l12=c[8:].lower(),
    )
    response = citizen.post(reverse("portal:track"), {"code": text})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track_detail", args=[c])


def test_a_code_in_the_address_is_put_in_its_plain_form(persona, citizen):
    appeal = registered(persona)
    c = appeal.tracking_code
    response = citizen.get(reverse("portal:track_detail", args=[f"{c[:4]}-{c[4:8]}-{c[8:]}".lower()]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:track_detail", args=[c])


def test_an_unknown_code_says_so_and_counts(persona, citizen):
    appeal = registered(persona)
    response = citizen.post(reverse("portal:track"), {"code": unknown_code(appeal)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error"' in html and unknown_code(appeal) in html
    assert limits.peek("track-miss-ip", "203.0.113.7").count == 1
    # The same through the address.
    assert citizen.get(reverse("portal:track_detail", args=[unknown_code(appeal)])).status_code == 404
    assert limits.peek("track-miss-ip", "203.0.113.7").count == 2


def test_a_malformed_code_is_explained_and_not_looked_up(persona, citizen):
    response = citizen.post(reverse("portal:track"), {"code": "ABC0O1IL"})
    assert response.status_code == 400
    assert "12" in response.context["errors"]["code"][0]
    assert limits.peek("track-miss-ip", "203.0.113.7").count == 0


def test_guessing_codes_meets_the_captcha_then_a_refusal(persona, tight):
    appeal = registered(persona)
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(2):
        assert guesser.post(reverse("portal:track"), {"code": unknown_code(appeal)}).status_code == 400
    # Past the soft limit: the form asks for the captcha; without it, even the right code is not looked up.
    page = guesser.get(reverse("portal:track")).content.decode()
    assert 'name="captcha_1"' in page
    response = guesser.post(reverse("portal:track"), {"code": appeal.tracking_code})
    assert response.status_code == 400 and "captcha" in response.context["errors"]
    # A link with the code goes to the form first.
    link = guesser.get(reverse("portal:track_detail", args=[appeal.tracking_code]))
    assert link.status_code == 302 and link["Location"].startswith(reverse("portal:track"))
    # A wrong captcha answer is refused too.
    wrong = guesser.post(
        reverse("portal:track"), {"code": appeal.tracking_code, **captcha_answer(page), "captcha_1": "999"}
    )
    assert wrong.status_code == 400 and "captcha" in wrong.context["errors"]

    # The guesser goes on, answering the captcha, until the hard limit.
    for _ in range(2):
        html = guesser.get(reverse("portal:track")).content.decode()
        answer = captcha_answer(html) if 'name="captcha_0"' in html else {}
        guesser.post(reverse("portal:track"), {"code": unknown_code(appeal), **answer})
    refused = guesser.post(reverse("portal:track"), {"code": appeal.tracking_code})
    assert refused.status_code == 429 and 'id="limited"' in refused.content.decode()
    assert guesser.get(reverse("portal:track_detail", args=[appeal.tracking_code])).status_code == 429
    # Another address still finds its appeal.
    assert (
        Client(REMOTE_ADDR="203.0.113.99")
        .get(reverse("portal:track_detail", args=[appeal.tracking_code]))
        .status_code
        == 200
    )
