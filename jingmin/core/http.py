from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    # Only an annotation: `core` is what every domain imports, and depends on none of them.
    from jingmin.org.models import User


class StaffRequest(HttpRequest):
    """The request of a view behind `login_required`: its user is a staff account, never anonymous."""

    user: User


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as far as our own proxies vouch for it.

    REMOTE_ADDR, unless it is one of `TRUSTED_PROXIES`: then the right-most address of
    X-Forwarded-For that is not a trusted proxy. The left-most entries are whatever the client
    chose to send; believing them would let anyone forge the audit log's address or escape the
    portal's rate limits.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.TRUSTED_PROXIES)
    if remote in trusted:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):
            if hop not in trusted:
                return hop[:45]
    return remote[:45]


def safe_next(request: HttpRequest, default: str, *, candidate: str | None = None) -> str:
    """Where to go after a form: `candidate` (by default the request's `next`, posted or in the
    query) if it is a page of this site, else `default`. A `next` pointing elsewhere would make
    the site an open redirect."""
    if candidate is None:
        candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
