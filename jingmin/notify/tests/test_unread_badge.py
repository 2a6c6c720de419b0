"""Every page shows the signed-in user's unread count as a badge on the Notifications entry."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from conftest import signed_in
from jingmin.notify.context_processors import unread
from jingmin.notify.models import Notification
from jingmin.notify.services import notification_mark_read


def _notes(recipient, n):
    Notification.objects.bulk_create(
        Notification(recipient=recipient, kind="appeal.note", title=f"Notice {i}") for i in range(n)
    )


def _inbox_entry(page):
    """The nav link to the inbox, whatever the language of its label."""
    nav = page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    entry = re.search(rf'<a href="{reverse("notify:inbox")}"[^>]*>.*?</a>', nav)
    assert entry is not None, "no inbox entry in the navigation"
    return entry.group(0)


@pytest.mark.django_db
def test_the_count_is_one_query_for_my_unread(persona, django_assert_num_queries):
    _notes(persona.oliver, 3)
    _notes(persona.olga, 2)
    notification_mark_read(
        actor=persona.oliver, ids=[Notification.objects.filter(recipient=persona.oliver)[0].pk]
    )
    request = RequestFactory().get("/")
    request.user = persona.oliver

    with django_assert_num_queries(1):
        assert unread(request) == {"unread_notifications": 2}


def test_no_count_for_an_anonymous_visitor():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    assert unread(request) == {}


@pytest.mark.django_db
def test_the_badge_is_on_every_page_and_goes_when_all_is_read(persona):
    _notes(persona.oliver, 3)
    _notes(persona.olga, 5)
    client = signed_in(persona.oliver)

    entry = _inbox_entry(client.get(reverse("core:home")).content.decode())
    assert '<span class="badge">3条未读</span>' in entry

    notification_mark_read(actor=persona.oliver)

    entry = _inbox_entry(client.get(reverse("core:home")).content.decode())
    assert "badge" not in entry
