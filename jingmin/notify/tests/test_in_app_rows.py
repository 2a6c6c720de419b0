"""notify_staff creates one in-app row per active recipient, and a dedupe key makes it idempotent."""

import pytest
from django.db import IntegrityError, transaction

from jingmin.notify.models import Notification
from jingmin.notify.services import notify_staff


@pytest.mark.django_db
def test_each_active_recipient_gets_one_row(persona):
    persona.chen.is_active = False
    persona.chen.save()

    created = notify_staff(
        recipients=[persona.oliver, persona.clara, persona.chen, persona.oliver],
        kind="appeal.dispatched",
        title="Appeal 2026-001 dispatched to you",
        body="Please sign for it.",
        url="/appeals/1/",
        email=False,
    )

    assert created == 2
    rows = Notification.objects.order_by("recipient__username")
    assert [row.recipient for row in rows] == [persona.clara, persona.oliver]
    assert all(row.kind == "appeal.dispatched" and row.url == "/appeals/1/" for row in rows)
    assert all(row.read_at is None for row in rows)


@pytest.mark.django_db
def test_the_same_dedupe_key_creates_nothing_twice(persona):
    first = notify_staff(
        recipients=[persona.oliver], kind="appeal.due", title="Due soon", body="", dedupe_key="appeal:1:due"
    )
    # A retried run of the same reminder, now also naming Clara.
    second = notify_staff(
        recipients=[persona.oliver, persona.clara],
        kind="appeal.due",
        title="Due soon",
        body="",
        dedupe_key="appeal:1:due",
    )

    assert (first, second) == (1, 1)
    assert Notification.objects.filter(recipient=persona.oliver).count() == 1
    assert Notification.objects.filter(recipient=persona.clara).count() == 1


@pytest.mark.django_db
def test_without_a_dedupe_key_every_call_notifies(persona):
    for _ in range(2):
        notify_staff(recipients=[persona.oliver], kind="appeal.note", title="New note", body="", email=False)

    assert Notification.objects.filter(recipient=persona.oliver).count() == 2


@pytest.mark.django_db
def test_the_database_refuses_a_second_row_with_the_same_key(persona):
    Notification.objects.create(recipient=persona.oliver, kind="k", title="t", dedupe_key="same")

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=persona.oliver, kind="k", title="t", dedupe_key="same")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]
)
def test_a_link_must_be_a_path_on_this_site(persona, url):
    with pytest.raises(ValueError):
        notify_staff(recipients=[persona.oliver], kind="k", title="t", body="", url=url)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=persona.oliver, kind="k", title="t", url=url)

    assert not Notification.objects.exists()
