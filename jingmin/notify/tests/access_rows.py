"""The permission matrix's rows for the inbox (see `jingmin/core/tests/access.py`): everyone's
own; each persona has an unread notification, so marking read changes something for each."""

from __future__ import annotations

from types import SimpleNamespace

from jingmin.core.tests.access import PERSONAS, SIGNED_IN, action, page
from jingmin.notify.services import notify_staff


def build(w):
    notify_staff(
        recipients=[getattr(w.p, name) for name in PERSONAS],
        kind="matrix",
        title="通知",
        body="权限矩阵的测试通知",
        url="/",
        email=False,
    )
    return SimpleNamespace()


ROWS = [
    page("notify:inbox", SIGNED_IN),
    # The person's own inbox: what they have read is no business of the audit log.
    action(
        "notify:mark_read",
        SIGNED_IN,
        body=lambda w: {"all": "1"},
        lands="notify:inbox",
        unaudited="one's own notifications",
    ),
]
