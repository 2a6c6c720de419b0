"""The SMS dispatch record's writes: created with the message, claimed before the gateway is
called, confirmed after it answered. Each is one statement committed at once (the worker runs in
autocommit), so a claim survives the worker being killed right after it."""

from __future__ import annotations

from django.utils import timezone

from jingmin.notify.models import SmsDispatch


def sms_dispatch_create(*, key: str) -> bool:
    """Record a message to send; False if one with this key was recorded before (a retried
    caller), in which case it must not be queued again."""
    _row, created = SmsDispatch.objects.get_or_create(key=key)
    return created


def sms_dispatch_claim(*, key: str) -> bool:
    """Take the right to call the gateway; only one run ever gets it (a conditional update)."""
    return (
        SmsDispatch.objects.filter(key=key, attempted_at__isnull=True).update(attempted_at=timezone.now())
        == 1
    )


def sms_dispatch_release(*, key: str) -> None:
    """The gateway refused: the next run may try again."""
    SmsDispatch.objects.filter(key=key, sent_at__isnull=True).update(attempted_at=None)


def sms_dispatch_sent(*, key: str) -> None:
    SmsDispatch.objects.filter(key=key).update(sent_at=timezone.now())
