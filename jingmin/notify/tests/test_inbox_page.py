"""The inbox shows the signed-in user's own notifications, newest first, unread ones marked."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.notify.models import Notification
from jingmin.notify.views import PAGE_SIZE


def _in_english(user):
    # The page's own words are checked in English, the language of the msgids: the Chinese
    # catalog entries may arrive after these tests.
    client = signed_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _note(recipient, title, *, minutes_ago=0, read=False, url=""):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=recipient,
        kind="appeal.note",
        title=title,
        url=url,
        created_at=at,
        read_at=at if read else None,
    )


@pytest.mark.django_db
def test_the_inbox_shows_only_my_notifications_newest_first(persona):
    _note(persona.oliver, "Older, read", minutes_ago=30, read=True)
    _note(persona.oliver, "Newer, unread", minutes_ago=5, url="/appeals/7/")
    _note(persona.olga, "Olga's own")

    response = signed_in(persona.oliver).get(reverse("notify:inbox"))

    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["Newer, unread", "Older, read"]
    page = response.content.decode()
    assert "Olga&#x27;s own" not in page and "Olga's own" not in page
    assert '<a href="/appeals/7/">Newer, unread</a>' in page
    assert page.count('class="notify-item unread"') == 1
    assert page.index("Newer, unread") < page.index("Older, read")


@pytest.mark.django_db
def test_nothing_new_when_the_inbox_is_empty(persona):
    _note(persona.olga, "Olga's own")

    page = _in_english(persona.oliver).get(reverse("notify:inbox")).content.decode()

    assert "Nothing new" in page
    assert "Mark all read" not in page


@pytest.mark.django_db
def test_the_inbox_pages(persona):
    for i in range(PAGE_SIZE + 3):
        _note(persona.clara, f"Notice {i:02d}", minutes_ago=i)
    client = signed_in(persona.clara)

    first = client.get(reverse("notify:inbox"))
    second = client.get(reverse("notify:inbox"), {"page": 2})

    assert len(first.context["page"]) == PAGE_SIZE
    assert [n.title for n in second.context["page"]] == [
        f"Notice {i:02d}" for i in range(PAGE_SIZE, PAGE_SIZE + 3)
    ]


@pytest.mark.django_db
def test_the_inbox_needs_a_signed_in_user(client):
    response = client.get(reverse("notify:inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:signin"))
