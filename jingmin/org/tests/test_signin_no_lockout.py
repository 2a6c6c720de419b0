"""No stranger can lock anyone out: failures for a name count per client address, and guessing
spread over many addresses only makes the page ask for the image sum. Chen, the chief, signs in
from his own desk whatever a stranger did to his name; the stranger's address is refused for that
name; the security administrator clears the counts."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, signed_in
from jingmin.audit.models import AuditEntry
from jingmin.org.models import User
from jingmin.portal.tests.conftest import captcha_answer

pytestmark = pytest.mark.django_db

CHENS_DESK = "10.0.0.7"


def attempt(client, username, password, **extra):
    return client.post(reverse("org:signin"), {"username": username, "password": password, **extra})


def attempt_solving(client, username, password):
    """A sign-in by someone who solves the image sum when the answer asks for it."""
    response = attempt(client, username, password)
    if response.status_code == 200 and "captcha" in response.context["form"].errors:
        response = attempt(client, username, password, **captcha_answer(response.content.decode()))
    return response


def errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def test_the_right_password_signs_in_and_is_recorded(persona):
    client = Client()
    response = attempt(client, "chen", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEntry.objects.filter(action="org.user_signin", actor_username="chen").count() == 1


def stranger_tries(address: str, username: str) -> None:
    """One guess by a stranger who solves the image sum whenever it is asked (the worst case)."""
    client = Client(REMOTE_ADDR=address)
    page = client.get(reverse("org:signin")).content.decode()
    answer = captcha_answer(page) if 'name="captcha_1"' in page else {}
    attempt(client, username, "guess-Pass#1", **answer)


@pytest.mark.parametrize(
    ("addresses", "asked"), [(1, False), (25, True)], ids=["from-one-address", "spread-over-25"]
)
def test_fifty_failures_by_a_stranger_do_not_keep_the_chief_out(persona, addresses, asked):
    for i in range(50):
        stranger_tries(f"203.0.113.{i % addresses + 1}", "chen")
    assert not User.objects.get(pk=persona.chen.pk).is_locked()
    assert AuditEntry.objects.filter(action="org.signin_fail", actor_username="chen").count() >= 5
    assert AuditEntry.objects.filter(action="org.user_lock").count() == 0

    desk = Client(REMOTE_ADDR=CHENS_DESK)
    first = attempt(desk, "chen", PASSWORD)
    if asked:
        # Failures for his name from everywhere: the page asks him for the sum. It only slows:
        # the right password with the sum solved signs him in.
        assert first.status_code == 200 and "_auth_user_id" not in desk.session
        assert "captcha" in first.context["form"].fields
        assert errors(first) == "请先计算图中算式的结果，再重新输入密码。"
        first = attempt(desk, "chen", PASSWORD, **captcha_answer(first.content.decode()))
    assert first.status_code == 302 and first["Location"] == reverse("core:home")
    assert desk.session["_auth_user_id"] == str(persona.chen.pk)


def test_a_stranger_with_few_tries_changes_nothing_for_the_owner(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 5
    for _ in range(5):
        stranger_tries("203.0.113.5", "chen")
    # Five failures for Chen's name from the stranger's address: refused there, right password too.
    stranger = Client(REMOTE_ADDR="203.0.113.5")
    refused = attempt_solving(stranger, "chen", PASSWORD)
    assert refused.status_code == 200 and "该账号在此地址登录失败次数过多" in errors(refused)
    assert "_auth_user_id" not in stranger.session
    # At his desk, no picture, no wait.
    desk = Client(REMOTE_ADDR=CHENS_DESK)
    assert attempt(desk, "chen", PASSWORD).status_code == 302


def test_the_refusal_at_one_address_ends_with_its_window(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 3
    settings.SIGNIN_CAPTCHA_AFTER = 100
    settings.SIGNIN_LOCKOUT_MINUTES = 30
    client = Client(REMOTE_ADDR="203.0.113.6")
    for _ in range(3):
        attempt(client, "oliver", "wrong-password")
    assert "该账号在此地址登录失败次数过多" in errors(attempt(client, "oliver", PASSWORD))
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        assert attempt(Client(REMOTE_ADDR="203.0.113.6"), "oliver", PASSWORD).status_code == 302


def test_the_security_administrator_clears_the_counts(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    settings.SIGNIN_CAPTCHA_AFTER = 100
    settings.SIGNIN_ACCOUNT_CAPTCHA_AFTER = 2
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(2):
        attempt(client, "oliver", "wrong-password")
    assert "该账号在此地址登录失败次数过多" in errors(attempt_solving(client, "oliver", PASSWORD))
    assert User.objects.get(pk=persona.oliver.pk).failed_signins == 2
    sue = signed_in(persona.sue)
    page = sue.get(reverse("org:staff_detail", args=[persona.oliver.pk])).content.decode()
    assert reverse("org:staff_unlock", args=[persona.oliver.pk]) in page  # offered: he has failures
    response = sue.post(reverse("org:staff_unlock", args=[persona.oliver.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="org.user_unlock", actor_username="sue", target_id=str(persona.oliver.pk)
    ).exists()
    assert User.objects.get(pk=persona.oliver.pk).failed_signins == 0
    # Neither the refusal at that address nor the picture asked everywhere is left.
    assert attempt(client, "oliver", PASSWORD).status_code == 302


def test_a_deactivated_account_is_refused_with_its_reason(persona):
    User.objects.filter(pk=persona.oliver.pk).update(is_active=False)
    response = attempt(Client(), "oliver", PASSWORD)
    assert response.status_code == 200
    assert "该账号已停用" in response.content.decode()
