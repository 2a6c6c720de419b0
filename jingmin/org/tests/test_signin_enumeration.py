"""Sign-in tells no one which user names exist, and a client address that keeps failing is turned
away: the page and the token endpoint answer an unknown name exactly as a wrong password (no count
of attempts left), and after SIGNIN_ADDRESS_MAX_FAILURES failures from one address, that address is
refused whatever the name — while a colleague at another address still signs in."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _page_error(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_the_page_answers_an_unknown_name_as_a_wrong_password(persona):
    real = Client().post(reverse("org:signin"), {"username": "chen", "password": "wrong-Pass#1"})
    unknown = Client().post(reverse("org:signin"), {"username": "nobody", "password": "wrong-Pass#1"})
    assert real.status_code == unknown.status_code == 200
    assert _page_error(real) == _page_error(unknown) == "用户名或密码错误。"
    assert "次" not in _page_error(real)


def test_the_token_endpoint_answers_an_unknown_name_as_a_wrong_password(persona):
    def ask(username):
        return APIClient().post(
            "/api/v1/auth/token/",
            json.dumps({"username": username, "password": "wrong-Pass#1"}),
            content_type="application/json",
        )

    real, unknown = ask("chen"), ask("nobody")
    assert real.status_code == unknown.status_code == 400
    assert real.json() == unknown.json()
    assert real.json()["code"] == "bad_credentials"


def test_an_address_that_keeps_failing_is_refused_and_others_are_not(persona, settings):
    settings.SIGNIN_ADDRESS_MAX_FAILURES = 5
    settings.SIGNIN_CAPTCHA_AFTER = 100  # the picture is test_signin_captcha.py's
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(5):
        attacker.post(reverse("org:signin"), {"username": f"guess{i}", "password": "x"})
    # Now even the right password is refused from that address, on the page and on the API ...
    refused = attacker.post(reverse("org:signin"), {"username": "chen", "password": PASSWORD})
    assert refused.status_code == 200 and "登录失败次数过多" in _page_error(refused)
    api = APIClient(REMOTE_ADDR="203.0.113.9").post(
        "/api/v1/auth/token/",
        json.dumps({"username": "chen", "password": PASSWORD}),
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["code"] == "throttled" and api["Retry-After"]
    # ... while Chen, at his own desk, signs in.
    desk = Client(REMOTE_ADDR="10.0.0.7").post(
        reverse("org:signin"), {"username": "chen", "password": PASSWORD}
    )
    assert desk.status_code == 302


def test_the_address_window_ends(persona, settings):
    settings.SIGNIN_ADDRESS_MAX_FAILURES = 2
    settings.SIGNIN_CAPTCHA_AFTER = 100
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(2):
        client.post(reverse("org:signin"), {"username": "nobody", "password": "x"})
    assert "登录失败次数过多" in _page_error(
        client.post(reverse("org:signin"), {"username": "chen", "password": PASSWORD})
    )
    cache.delete("signin-failures:203.0.113.10")  # the window's end
    assert client.post(reverse("org:signin"), {"username": "chen", "password": PASSWORD}).status_code == 302


def _answers_for(username, settings) -> list[tuple[int, str, bool]]:
    """What the page answers to the same seven wrong tries for one name, each from its own client."""
    answers = []
    for i in range(7):
        response = Client(REMOTE_ADDR=f"192.0.2.{i % 2 + 1}").post(
            reverse("org:signin"), {"username": username, "password": "wrong-Pass#1"}
        )
        answers.append(
            (response.status_code, _page_error(response), "captcha" in response.context["form"].fields)
        )
    return answers


def test_the_limits_treat_an_unknown_name_as_a_real_one(persona, settings):
    # Every limit counts the name as typed: the picture asked for a name and the refusal of a name
    # at an address come at the same tries for "chen" and for "nobody".
    settings.SIGNIN_MAX_FAILURES = 3
    settings.SIGNIN_CAPTCHA_AFTER = 100
    settings.SIGNIN_ACCOUNT_CAPTCHA_AFTER = 5
    real = _answers_for("chen", settings)
    cache.clear()
    unknown = _answers_for("nobody", settings)
    assert real == unknown
    assert {error for _, error, _ in real} >= {
        "用户名或密码错误。",
        "请先计算图中算式的结果，再重新输入密码。",
    }


def test_the_token_endpoint_limits_treat_an_unknown_name_as_a_real_one(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    settings.SIGNIN_CAPTCHA_AFTER = 100

    def answers(username):
        client = APIClient(REMOTE_ADDR="192.0.2.9")
        return [
            (r.status_code, r.json(), r.get("Retry-After"))
            for r in (
                client.post(
                    "/api/v1/auth/token/",
                    json.dumps({"username": username, "password": "wrong-Pass#1"}),
                    content_type="application/json",
                )
                for _ in range(3)
            )
        ]

    real = answers("chen")
    cache.clear()
    assert real == answers("nobody")
    assert [status for status, _, _ in real] == [400, 400, 429]
