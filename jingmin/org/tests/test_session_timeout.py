"""An idle session ends after the configured minutes; activity keeps it alive."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from jingmin.audit.models import AuditEntry


def sign_in(client):
    assert client.post(reverse("org:signin"), {"username": "chen", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_idle_session_times_out(persona, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = Client()
        sign_in(client)
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(reverse("org:units"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("org:signin"))
        follow = client.get(response["Location"])
        page = follow.content.decode()
        assert "您已连续30分钟无操作" in page
        assert client.get(reverse("core:home")).status_code == 302
    row = AuditEntry.objects.filter(action="org.user_signout", actor_username="chen").get()
    assert row.detail == {"reason": "idle_timeout"}


@pytest.mark.django_db
def test_activity_keeps_the_session_alive(persona, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        sign_in(client)
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_htmx_request_after_timeout_is_redirected_whole_page(persona, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        sign_in(client)
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        response = client.get(reverse("org:staff"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("org:signin")
