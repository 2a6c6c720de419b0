"""Writes of notifications: create them (and queue their e-mails and SMS) and mark them read."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jingmin.core.writes import write_service
from jingmin.notify.dispatch import sms_dispatch_create
from jingmin.notify.models import Notification
from jingmin.notify.tasks import send_email, send_sms
from jingmin.org.models import User


def _is_local_path(url: str) -> bool:
    # Mirrors the model's check constraint; checked here too because SQLite's INSERT OR IGNORE
    # (used for deduplication) silently drops a row that breaks a check constraint.
    return url == "" or (url.startswith("/") and not url.startswith(("//", "/\\")))


@write_service
def notify_staff(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str,
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> int:
    """Notify staff in the app and, where they have an address, by e-mail; return the new rows.

    `title` and `body` are stored as given: translate them before calling. With a `dedupe_key`, a
    recipient who already has a notification with that key gets nothing new (no row, no e-mail),
    so a task that calls this and is retried notifies nobody twice. Inactive accounts are skipped.
    The e-mails are queued only once the surrounding transaction commits.
    """
    if not _is_local_path(url):
        raise ValueError(f"A notification links to a path on this site, not {url!r}")
    # A dict keyed by id: a recipient named twice (say, as officer and as chief) is notified once.
    active = {user.pk: user for user in recipients if user.is_active}
    if dedupe_key:
        already = set(
            Notification.objects.filter(recipient_id__in=active, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        fresh = [user for pk, user in active.items() if pk not in already]
    else:
        fresh = list(active.values())
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                url=url,
                dedupe_key=dedupe_key,
                created_at=now,
            )
            for user in fresh
        ],
        # Two runs racing past the check above: the unique constraint keeps one row, and the
        # other run must not fail for it. (The loser may still queue a second e-mail; the
        # window is a few milliseconds of two concurrent retries.)
        ignore_conflicts=bool(dedupe_key),
    )
    if email:
        for user in fresh:
            if user.email:
                # Only after commit: a rolled-back change must not have told anyone, and the
                # worker must find the committed rows when it runs.
                transaction.on_commit(
                    partial(send_email.enqueue, user_id=user.pk, subject=title, body=body or title)
                )
    return len(fresh)


def public_link(path: str) -> str:
    """The address a citizen opens from a message: the configured public address
    (`JINGMIN_PUBLIC_URL`) and a path of this site, never the host a request came in on (the
    worker has no request, and staff may reach the site by an internal name)."""
    return settings.PUBLIC_BASE_URL + path


@write_service
def sms_notify(*, phone: str, text: str, key: str = "") -> None:
    """Queue one SMS, sent by the worker after the surrounding transaction commits.

    Its dispatch record, written in the caller's transaction, lets the task send it at most once;
    a caller that may run twice passes the same `key` each time and queues it once."""
    if not phone:
        raise ValueError("An SMS needs a phone number")
    key = key or uuid.uuid4().hex
    if not sms_dispatch_create(key=key):
        return
    # The phone number is personal data, and it is stored in the task's arguments (the
    # django_tasks_db result row) until that row is deleted. It is needed only until the message
    # is sent: finished results are pruned with the minutely heartbeat (`task_results_prune`,
    # TASK_RESULTS_KEEP_DAYS), and nothing else should keep the number.
    transaction.on_commit(partial(send_sms.enqueue, phone=phone, text=text, dispatch_key=key))


def notification_mark_read(*, actor: User, ids: list[int] | None = None) -> int:
    """Mark the actor's own unread notifications read (the listed ones, or all); return how many.

    Ids of someone else's notifications are ignored, not refused: the answer reveals nothing
    about them.
    """
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
