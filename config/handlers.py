"""The project's answers when no view answers (no URL matched, or a view failed): a program on
the API or Open311 gets its interface's error shape, a person gets the page.

An API path that matches no pattern (`/api/v1/appeals/-1/sign/`) would otherwise be Django's HTML
"Not Found"; a failure with the database away, Django's HTML "Server Error".
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from jingmin.core.codes import CommonError
from jingmin.open311.wire import Open311Error, error_response


def _program_answer(request: HttpRequest, status: int, message: str, code: str) -> HttpResponse | None:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=status)
    if request.path.startswith("/open311/"):
        fmt = "json" if request.path.endswith(".json") else "xml"
        return error_response(fmt, Open311Error(status, message))
    return None


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    answer = _program_answer(request, 404, _("Not found."), CommonError.NOT_FOUND)
    # Rendered without the request, like the 500 page: the context processors read the account
    # and its session, and a missing page must answer even when the database does not.
    return answer or HttpResponseNotFound(loader.get_template("404.html").render({}))


def server_error(request: HttpRequest) -> HttpResponse:
    answer = _program_answer(
        request, 500, _("The service could not answer. Try again in a moment."), CommonError.UNAVAILABLE
    )
    return answer or defaults.server_error(request)
