"""Password rules apply to every password set in the product."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, signed_in
from jingmin.audit.models import AuditEntry
from jingmin.org.models import User


def change(client, new, old=PASSWORD):
    return client.post(
        reverse("org:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!", ("too short", "太短")),
        ("alllowercaseletters", ("at least 3", "至少")),
        ("1234567890123", ("entirely numeric", "只包含数字")),
        ("Password123", ("too common", "太常见")),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(persona, password, reason):
    client = signed_in(persona.oliver)
    old_hash = User.objects.get(pk=persona.oliver.pk).password
    page = change(client, password).content.decode()
    assert any(r in page for r in reason), re.findall(r'role="alert">([^<]*)', page)
    assert User.objects.get(pk=persona.oliver.pk).password == old_hash


@pytest.mark.django_db
def test_wrong_current_password_is_refused(persona):
    page = change(signed_in(persona.oliver), "Better#Pass2026", old="not-my-password").content.decode()
    assert "current password" in page or "当前密码" in page


@pytest.mark.django_db
def test_good_password_change_is_recorded(persona):
    client = signed_in(persona.oliver)
    assert change(client, "Better#Pass2026").status_code == 302
    assert User.objects.get(pk=persona.oliver.pk).check_password("Better#Pass2026")
    assert AuditEntry.objects.filter(action="org.password_change", actor_username="oliver").exists()
    # The session survives its own password change.
    assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_temporary_password_must_be_changed_first(persona):
    signed_in(persona.sue).post(
        reverse("org:staff_password_reset", args=[persona.oliver.pk]), {"password": "Temp#Pass2026"}
    )
    client = Client()
    client.post(reverse("org:signin"), {"username": "oliver", "password": "Temp#Pass2026"})
    response = client.get(reverse("org:units"))
    assert response["Location"] == reverse("org:password_change")
    assert change(client, "Mine#Pass2026", old="Temp#Pass2026").status_code == 302
    assert client.get(reverse("org:units")).status_code == 200
