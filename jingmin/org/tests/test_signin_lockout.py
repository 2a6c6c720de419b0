"""Repeated failed sign-ins lock the account; the lock is reported clearly and lifts with time or
by the security administrator."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, signed_in
from jingmin.audit.models import AuditEntry
from jingmin.org.models import User


def attempt(client, username, password):
    return client.post(reverse("org:signin"), {"username": username, "password": password})


@pytest.mark.django_db
def test_correct_password_signs_in_and_is_recorded(persona):
    client = Client()
    response = attempt(client, "oliver", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEntry.objects.filter(action="auth.signin", actor_username="oliver").count() == 1


@pytest.mark.django_db
def test_failures_count_then_lock(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 5
    client = Client()
    for _ in range(4):
        response = attempt(client, "oliver", "wrong-password")
        assert response.status_code == 200
        # The same words as for an unknown name: no count of attempts left.
        assert (
            "用户名或密码错误。" in response.content.decode() and "尝试机会" not in response.content.decode()
        )
    response = attempt(client, "oliver", "wrong-password")
    oliver = User.objects.get(pk=persona.oliver.pk)
    assert oliver.is_locked()
    page = response.content.decode()
    assert "该账号已锁定至" in page
    # The right password no longer opens a locked account.
    response = attempt(client, "oliver", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.signin_failed", actor_username="oliver").count() == 6
    assert AuditEntry.objects.filter(action="auth.locked", actor_username="oliver").count() == 1


@pytest.mark.django_db
def test_lock_lifts_after_the_lockout_period(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 3
    settings.SIGNIN_LOCKOUT_MINUTES = 30
    client = Client()
    for _ in range(3):
        attempt(client, "oliver", "wrong-password")
    assert User.objects.get(pk=persona.oliver.pk).is_locked()
    with time_machine.travel(timezone.now() + timedelta(minutes=29), tick=False):
        assert attempt(Client(), "oliver", PASSWORD).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        assert attempt(Client(), "oliver", PASSWORD).status_code == 302
    assert User.objects.get(pk=persona.oliver.pk).failed_signins == 0


@pytest.mark.django_db
def test_security_administrator_unlocks(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    for _ in range(2):
        attempt(Client(), "oliver", "wrong-password")
    assert User.objects.get(pk=persona.oliver.pk).is_locked()
    response = signed_in(persona.sue).post(reverse("org:staff_unlock", args=[persona.oliver.pk]))
    assert response.status_code == 302
    assert not User.objects.get(pk=persona.oliver.pk).is_locked()
    assert AuditEntry.objects.filter(
        action="auth.unlock", actor_username="sue", target_id=str(persona.oliver.pk)
    ).exists()
    assert attempt(Client(), "oliver", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_unknown_user_gets_the_same_message_and_is_recorded(persona):
    response = attempt(Client(), "nobody", "whatever-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码错误。" in page
    assert "尝试机会" not in page
    assert AuditEntry.objects.filter(action="auth.signin_failed", actor_username="nobody").exists()


@pytest.mark.django_db
def test_deactivated_account_is_refused_with_reason(persona):
    User.objects.filter(pk=persona.oliver.pk).update(is_active=False)
    response = attempt(Client(), "oliver", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "该账号已停用" in page
