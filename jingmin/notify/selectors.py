"""Reads of notifications: always the acting user's own."""

from __future__ import annotations

from django.db.models import QuerySet

from jingmin.notify.models import Notification
from jingmin.org.models import User


def notification_list(*, actor: User, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=actor)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    # The id breaks ties between rows of one bulk insert, which share their creation time.
    return notifications.order_by("-created_at", "-id")


def unread_count(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()
