from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jingmin.audit.context import client_ip
from jingmin.core import http as core_http


def request_ip(request: HttpRequest) -> str:
    return core_http.client_ip(request)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(request_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
