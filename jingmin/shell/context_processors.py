from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from jingmin.org.roles import can
from jingmin.shell.navigation import NAV_ITEMS


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in NAV_ITEMS:
        if item.cap is None or can(user, item.cap):
            url = reverse(item.url_name)
            current = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"url": url, "label": item.label, "current": current})
    return {"nav_items": items}
