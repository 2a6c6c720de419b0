"""TOTP: required for the three administrators, available to everyone."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, signed_in, totp_now
from jingmin.audit.models import AuditEntry
from jingmin.org.models import User


def password_step(client, username):
    return client.post(reverse("org:signin"), {"username": username, "password": PASSWORD})


@pytest.mark.django_db
def test_administrator_must_enrol_before_anything(persona):
    client = Client()
    response = password_step(client, "audrey")
    assert response["Location"] == reverse("org:signin_enrol")
    # Not signed in yet: the home page still sends to sign-in.
    assert client.get(reverse("core:home")).status_code == 302
    page = client.get(reverse("org:signin_enrol")).content.decode()
    assert "<svg" in page
    shown = re.search(r"data-otp-secret>([A-Z2-7]+)<", page)
    assert shown is not None
    device = TOTPDevice.objects.get(user=persona.audrey, confirmed=False)
    # The key is shown for typing into an app without a camera, and it is the device's key.
    assert device.config_url.split("secret=")[1].startswith(shown.group(1))
    assert (
        client.post(
            reverse("org:signin_enrol"), {"token": "000000" if totp_now(device) != "000000" else "111111"}
        ).status_code
        == 200
    )
    # django-otp throttles a second try for a moment after a wrong code; a person takes longer.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        response = client.post(reverse("org:signin_enrol"), {"token": totp_now(device)})
    assert response.status_code == 302
    assert client.get(reverse("audit:log")).status_code == 200
    assert TOTPDevice.objects.get(user=persona.audrey).confirmed
    assert AuditEntry.objects.filter(
        action="org.user_signin", actor_username="audrey", detail__otp=True
    ).exists()


@pytest.mark.django_db
def test_enrolled_administrator_needs_a_code(persona):
    device = TOTPDevice.objects.create(user=persona.sue, name="phone", confirmed=True)
    client = Client()
    assert password_step(client, "sue")["Location"] == reverse("org:signin_otp")
    response = client.post(reverse("org:signin_otp"), {"token": totp_now(device)})
    assert response.status_code == 302
    assert client.get(reverse("org:staff")).status_code == 200


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_limit_at_that_address(persona, settings):
    settings.SIGNIN_MAX_FAILURES = 3
    device = TOTPDevice.objects.create(user=persona.sue, name="phone", confirmed=True)
    wrong = "123456" if totp_now(device) != "123456" else "654321"
    client = Client()
    password_step(client, "sue")
    for _ in range(2):
        assert client.post(reverse("org:signin_otp"), {"token": wrong}).status_code == 200
    response = client.post(reverse("org:signin_otp"), {"token": wrong})
    assert response["Location"] == reverse("org:signin")
    assert "该账号在此地址登录失败次数过多" in client.get(reverse("org:signin")).content.decode()
    assert not User.objects.get(pk=persona.sue.pk).is_locked()


@pytest.mark.django_db
def test_administrator_session_without_second_factor_is_refused(persona):
    client = Client()
    client.force_login(persona.sam)  # a session made some other way, no verified device
    response = client.get(reverse("org:units"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_officer_may_add_and_remove_a_second_factor(persona):
    client = signed_in(persona.oliver)
    assert client.get(reverse("org:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=persona.oliver, confirmed=False)
    assert client.post(reverse("org:otp_setup"), {"token": totp_now(device)}).status_code == 302
    assert TOTPDevice.objects.filter(user=persona.oliver, confirmed=True).count() == 1
    # From now on the code is asked at sign-in.
    fresh = Client()
    assert password_step(fresh, "oliver")["Location"] == reverse("org:signin_otp")
    client.post(reverse("org:otp_remove"))
    assert not TOTPDevice.objects.filter(user=persona.oliver).exists()


@pytest.mark.django_db
def test_administrator_cannot_remove_own_second_factor(persona):
    client = signed_in(persona.sam)
    client.post(reverse("org:otp_remove"))
    assert TOTPDevice.objects.filter(user=persona.sam, confirmed=True).exists()


@pytest.mark.django_db
def test_second_step_expires(persona):
    TOTPDevice.objects.create(user=persona.sue, name="phone", confirmed=True)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_step(client, "sue")
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        response = client.get(reverse("org:signin_otp"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("org:signin")
    assert "登录超时，请重新输入密码。" in response.content.decode()
