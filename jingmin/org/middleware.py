"""Session rules applied on every request of a signed-in person."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from jingmin.org.roles import requires_second_factor
from jingmin.org.signin import signout_recorded

LAST_SEEN_KEY = "jm_last_seen"
# Writing the session on every request would cost a database write per click; a minute is fine
# against a timeout counted in tens of minutes.
TOUCH_INTERVAL_SECONDS = 60

EXEMPT_PREFIXES = ("/static/", "/i18n/")


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY, now)
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
            signout_recorded(user=user, reason="idle_timeout")
            logout(request)
            messages.warning(
                request,
                _("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
                % {"minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES},
            )
            return self._to_signin(request)
        if requires_second_factor(user.role) and not getattr(user, "is_verified", lambda: False)():
            # An administrator's session without a verified second factor is never accepted,
            # even if one was created some other way.
            signout_recorded(user=user, reason="second_factor_missing")
            logout(request)
            return self._to_signin(request)
        if now - last_seen >= TOUCH_INTERVAL_SECONDS or LAST_SEEN_KEY not in request.session:
            request.session[LAST_SEEN_KEY] = now
        if user.password_change_required and request.path not in self._password_paths():
            messages.info(request, _("Please choose a new password before you continue."))
            return redirect("org:password_change")
        return self.get_response(request)

    @staticmethod
    def _password_paths() -> set[str]:
        return {reverse("org:password_change"), reverse("org:signout")}

    @staticmethod
    def _to_signin(request: HttpRequest) -> HttpResponse:
        target = reverse(settings.LOGIN_URL)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(f"{target}?next={request.path}")
