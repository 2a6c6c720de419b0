"""A program gets a token by the same sign-in policy as a person at the sign-in page: failures
count with the page's, past a limit the answer is `429 throttled` in the API's error shape (the
page would ask for the image sum, which a program cannot solve), a deactivated account is refused,
and whoever has a second factor (every administrator, anyone who set one up) must send its code."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import PASSWORD, totp_now
from jingmin.audit.models import AuditEntry
from jingmin.org.models import User

URL = "/api/v1/auth/token/"


def ask(username, password, **extra):
    return APIClient().post(URL, {"username": username, "password": password, **extra}, format="json")


def wrong_code(device):
    return "000000" if totp_now(device) != "000000" else "111111"


def test_the_url_is_the_documented_one():
    assert reverse("api:token") == URL


def test_right_password_gives_a_token_that_opens_the_api(persona):
    response = ask("oliver", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=persona.oliver).key
    assert response["Cache-Control"] == "no-store"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/categories/").status_code == 200
    # The same "signed in" row as the page writes, marked as the API's.
    entry = AuditEntry.objects.get(action="org.user_signin", actor_username="oliver")
    assert entry.detail == {"otp": False, "via": "api"}


def test_asking_again_returns_the_same_token(persona):
    first = ask("clara", PASSWORD).json()["token"]
    assert ask("clara", PASSWORD).json()["token"] == first
    assert Token.objects.filter(user=persona.clara).count() == 1


def test_wrong_password_counts_without_saying_so_in_the_persons_language(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 5
    response = ask("oliver", "wrong-password")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_credentials"
    # No count of attempts left: it would tell that the name exists (test_signin_enumeration.py).
    assert body["detail"] == "用户名或密码错误。"
    assert "token" not in body
    assert User.objects.get(pk=persona.oliver.pk).failed_signins == 1
    assert AuditEntry.objects.filter(action="org.signin_fail", actor_username="oliver").count() == 1


def ask_from(address, username, password, **extra):
    return APIClient(REMOTE_ADDR=address).post(
        URL, {"username": username, "password": password, **extra}, format="json"
    )


def assert_throttled(response, minutes):
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"detail", "code"} and body["code"] == "throttled"
    assert response["Retry-After"] == str(minutes * 60)
    assert response["Cache-Control"] == "no-store"
    assert "token" not in body


def test_api_and_page_failures_add_up_to_the_limit_of_the_name_at_that_address(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 4
    settings.SIGNIN_CAPTCHA_AFTER = 100
    settings.SIGNIN_LOCKOUT_MINUTES = 30
    for _ in range(2):
        Client(REMOTE_ADDR="203.0.113.20").post(
            reverse("org:signin"), {"username": "oliver", "password": "wrong-password"}
        )
    for _ in range(2):
        assert ask_from("203.0.113.20", "oliver", "wrong-password").status_code == 400
    # Refused from there, the right password too, and it says so in the person's language ...
    response = ask_from("203.0.113.20", "oliver", PASSWORD)
    assert_throttled(response, 30)
    assert "该账号在此地址登录失败次数过多" in response.json()["detail"]
    # ... while his own desk gets a token: the account is not locked.
    assert ask_from("10.0.0.8", "oliver", PASSWORD).status_code == 200
    assert not User.objects.get(pk=persona.oliver.pk).is_locked()


def test_where_the_page_would_ask_for_the_sum_the_api_says_throttled(persona, settings):
    settings.SIGNIN_CAPTCHA_AFTER = 3
    settings.SIGNIN_LOCKOUT_MINUTES = 30
    for name in ("a", "b", "c"):
        assert ask_from("203.0.113.21", name, "wrong-password").status_code == 400
    response = ask_from("203.0.113.21", "oliver", PASSWORD)
    assert_throttled(response, 30)
    assert "请在网页上登录" in response.json()["detail"]
    assert not Token.objects.filter(user=persona.oliver).exists()


def test_the_address_limit_answers_throttled_for_any_name(persona, settings):
    settings.SIGNIN_ADDRESS_MAX_FAILURES = 3
    settings.SIGNIN_CAPTCHA_AFTER = 100
    settings.SIGNIN_ADDRESS_WINDOW_MINUTES = 15
    for name in ("a", "b", "c"):
        ask_from("203.0.113.22", name, "wrong-password")
    assert_throttled(ask_from("203.0.113.22", "nobody", "x"), 15)
    assert_throttled(ask_from("203.0.113.22", "oliver", PASSWORD), 15)


def test_deactivated_account_is_refused_and_its_old_token_stops_working(persona):
    old = Token.objects.create(user=persona.oliver)
    User.objects.filter(pk=persona.oliver.pk).update(is_active=False)
    response = ask("oliver", PASSWORD)
    assert response.status_code == 403
    assert response.json()["code"] == "inactive"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old.key}")
    assert client.get("/api/v1/categories/").status_code == 401


def test_unknown_name_gets_the_plain_message(persona):
    response = ask("nobody", "whatever-password")
    assert response.status_code == 400
    assert response.json() == {"detail": "用户名或密码错误。", "code": "bad_credentials"}


def test_missing_password_names_the_field(persona):
    response = APIClient().post(URL, {"username": "oliver"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "password"
    assert User.objects.get(pk=persona.oliver.pk).failed_signins == 0


def test_administrator_without_an_authenticator_must_set_it_up_on_the_page_first(persona):
    response = ask("sam", PASSWORD)
    assert response.status_code == 403
    assert response.json()["code"] == "otp_enrolment_required"
    assert not Token.objects.filter(user=persona.sam).exists()


def test_administrator_needs_the_code_and_a_wrong_one_counts_as_a_failure(persona):
    device = TOTPDevice.objects.create(user=persona.sam, name="phone", confirmed=True)

    response = ask("sam", PASSWORD)
    assert response.status_code == 400
    assert response.json()["code"] == "otp_required" and response.json()["field"] == "otp"
    assert User.objects.get(pk=persona.sam.pk).failed_signins == 0

    response = ask("sam", PASSWORD, otp=wrong_code(device))
    assert response.status_code == 400
    assert response.json()["code"] == "bad_otp"
    assert User.objects.get(pk=persona.sam.pk).failed_signins == 1
    assert not Token.objects.filter(user=persona.sam).exists()

    # django-otp refuses any code for a moment after a wrong one; a program retrying waits too.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = ask("sam", PASSWORD, otp=totp_now(device))
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=persona.sam).key
    assert User.objects.get(pk=persona.sam.pk).failed_signins == 0
    assert AuditEntry.objects.filter(
        action="org.user_signin", actor_username="sam", detail__otp=True
    ).exists()


def test_wrong_codes_count_to_the_limit_at_that_address(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    settings.SIGNIN_LOCKOUT_MINUTES = 30
    device = TOTPDevice.objects.create(user=persona.audrey, name="phone", confirmed=True)
    assert ask("audrey", PASSWORD, otp=wrong_code(device)).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        assert_throttled(ask("audrey", PASSWORD, otp=wrong_code(device)), 30)
    assert not User.objects.get(pk=persona.audrey.pk).is_locked()


def test_a_voluntary_authenticator_is_asked_for_too(persona):
    device = TOTPDevice.objects.create(user=persona.oliver, name="phone", confirmed=True)
    assert ask("oliver", PASSWORD).json()["code"] == "otp_required"
    response = ask("oliver", PASSWORD, otp=totp_now(device))
    assert response.status_code == 200


def test_an_administrator_token_opens_no_appeal_endpoint(persona):
    device = TOTPDevice.objects.create(user=persona.sam, name="phone", confirmed=True)
    token = ask("sam", PASSWORD, otp=totp_now(device)).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/appeals/").status_code == 403
    assert client.get("/api/v1/units/").status_code == 200


def test_a_password_to_be_replaced_gives_no_token(persona):
    User.objects.filter(pk=persona.oliver.pk).update(password_change_required=True)
    response = ask("oliver", PASSWORD)
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    assert not Token.objects.filter(user=persona.oliver).exists()


def test_a_session_cookie_is_not_needed_and_not_looked_at(persona):
    # A browser signed in as Clara posting someone else's credentials gets that person's token,
    # and no CSRF token is asked for: the request carries its own credentials.
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(persona.clara)
    response = client.post(URL, {"username": "oliver", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=persona.oliver).key
