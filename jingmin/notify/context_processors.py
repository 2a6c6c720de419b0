from __future__ import annotations

from django.http import HttpRequest

from jingmin.notify.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, int]:
    """The signed-in user's unread count, for the badge in the navigation on every page.

    One COUNT served by the partial index of unread rows.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(actor=user)}
