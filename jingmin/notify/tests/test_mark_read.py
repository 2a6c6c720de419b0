"""Marking read touches only the actor's own unread notifications."""

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import signed_in
from jingmin.notify.models import Notification
from jingmin.notify.services import notification_mark_read


def _note(recipient, title="Notice"):
    return Notification.objects.create(recipient=recipient, kind="appeal.note", title=title)


@pytest.mark.django_db
def test_mark_all_read_leaves_others_alone(persona):
    mine = [_note(persona.oliver), _note(persona.oliver)]
    hers = _note(persona.olga)

    assert notification_mark_read(actor=persona.oliver) == 2

    assert all(Notification.objects.get(pk=n.pk).read_at is not None for n in mine)
    assert Notification.objects.get(pk=hers.pk).read_at is None


@pytest.mark.django_db
def test_mark_some_read_ignores_ids_of_others(persona):
    first, second = _note(persona.oliver), _note(persona.oliver)
    hers = _note(persona.olga)

    assert notification_mark_read(actor=persona.oliver, ids=[first.pk, hers.pk]) == 1

    first.refresh_from_db(), second.refresh_from_db(), hers.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None and hers.read_at is None


@pytest.mark.django_db
def test_marking_again_changes_nothing(persona):
    note = _note(persona.oliver)
    notification_mark_read(actor=persona.oliver)
    note.refresh_from_db()
    read_at = note.read_at

    assert notification_mark_read(actor=persona.oliver) == 0
    note.refresh_from_db()
    assert note.read_at == read_at


@pytest.mark.django_db
def test_the_mark_all_read_button(persona):
    _note(persona.oliver), _note(persona.oliver)
    hers = _note(persona.olga)
    client = signed_in(persona.oliver)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Mark all read" in client.get(reverse("notify:inbox")).content.decode()

    response = client.post(reverse("notify:mark_read"), {"all": "1"})

    assert response.status_code == 302 and response["Location"] == reverse("notify:inbox")
    assert not Notification.objects.filter(recipient=persona.oliver, read_at__isnull=True).exists()
    hers.refresh_from_db()
    assert hers.read_at is None


@pytest.mark.django_db
def test_the_mark_read_button_of_one_item(persona):
    first, second = _note(persona.oliver), _note(persona.oliver)
    hers = _note(persona.olga)

    response = signed_in(persona.oliver).post(
        reverse("notify:mark_read"), {"id": [first.pk, hers.pk], "page": "2"}
    )

    assert response["Location"] == reverse("notify:inbox") + "?page=2"
    first.refresh_from_db(), second.refresh_from_db(), hers.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None and hers.read_at is None


@pytest.mark.django_db
def test_marking_read_needs_a_post_with_a_csrf_token(persona):
    note = _note(persona.oliver)
    client = signed_in(persona.oliver)
    client.handler.enforce_csrf_checks = True

    assert client.get(reverse("notify:mark_read"), {"all": "1"}).status_code == 405
    assert client.post(reverse("notify:mark_read"), {"all": "1"}).status_code == 403

    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.django_db
def test_marking_read_needs_a_signed_in_user(client, persona):
    note = _note(persona.oliver)

    response = client.post(reverse("notify:mark_read"), {"all": "1"})

    assert response.status_code == 302 and response["Location"].startswith(reverse("org:signin"))
    note.refresh_from_db()
    assert note.read_at is None
