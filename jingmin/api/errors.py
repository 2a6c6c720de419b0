"""One shape for every error the API answers: `{"detail": message, "code": code}`, plus the field.

A client reads `code` (stable, English) to decide what to do and shows `detail` (in the person's
language) to the person; when one input is at fault, `field` names it and the field's own key
carries its messages, the way DRF's validation errors always have.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from jingmin.api.codes import ErrorCode
from jingmin.appeals.services import TransitionNotAllowed
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.disputes.services import StepNotAllowed


def error_response(
    http_status: int,
    message: str,
    code: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    return Response(error_body(message, code, field=field, **extra), status=http_status, headers=headers)


def error_body(message: str, code: str, *, field: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": message, "code": code}
    if field is not None:
        body["field"] = field
        body[field] = [message]
    body.update(extra)
    return body


def validation_error_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    """DRF's validation errors in the one shape: the first message and code on top, every field's
    messages under its own key."""
    field, message = _first_error(exc.detail)
    errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    return {
        "detail": message,
        "code": _first_code(exc.get_codes()),
        "field": field.split(".")[0] or None,
        **errors,
    }


def _first_error(detail: Any, path: str = "") -> tuple[str, str]:
    """The first (field, message) of DRF's nested error detail, for the summary at the top."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if not path else f"{path}.{key}"
            return _first_error(value, name)
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], path)
    return path, str(detail)


def _first_code(codes: Any) -> str:
    if isinstance(codes, dict):
        return _first_code(next(iter(codes.values()), CommonError.INVALID))
    if isinstance(codes, list):
        return _first_code(codes[0]) if codes else CommonError.INVALID
    return str(codes)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        # Django's own refusal of an oversized body would be its HTML "Bad Request" page.
        return error_response(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            _("The request body is larger than %(limit)d bytes.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            CommonError.TOO_LARGE,
        )
    if isinstance(exc, SuspiciousOperation):
        return error_response(
            status.HTTP_400_BAD_REQUEST, _("The request is malformed."), CommonError.PARSE_ERROR
        )
    if isinstance(exc, TransitionNotAllowed | StepNotAllowed):
        # The request is well formed and allowed, but the appeal has moved on: a conflict.
        set_rollback()
        return error_response(status.HTTP_409_CONFLICT, exc.message, exc.code)
    if isinstance(exc, ServiceError):
        set_rollback()
        return error_response(status.HTTP_400_BAD_REQUEST, exc.message, exc.code, field=exc.field)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_error_body(exc)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "detail": str(exc.detail),
            "code": codes if isinstance(codes, str) else ErrorCode.ERROR,
        }
    else:
        # Django's Http404 and PermissionDenied, which DRF has already turned into its own answer.
        code = (
            CommonError.NOT_FOUND
            if response.status_code == status.HTTP_404_NOT_FOUND
            else CommonError.PERMISSION_DENIED
        )
        response.data = {"detail": str(response.data.get("detail", "")), "code": code}
    return response
