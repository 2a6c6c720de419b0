"""`Idempotency-Key`: a client may retry a POST without fear of doing the thing twice.

The first request with a key runs inside one transaction together with the row that records its
answer, so the step and the record commit or vanish together. A second request with the same key
either finds that row (and gets the same answer back) or, if it ran at the same moment, fails to
insert its own row on the unique constraint once the first commits, and then finds it. Only
successful answers are kept: a refused request changed nothing, so the client may correct it and
try again with the same key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from jingmin.api.codes import ErrorCode
from jingmin.api.errors import error_response
from jingmin.api.models import IdempotentRequest
from jingmin.core.writes import composing, write_service
from jingmin.org.models import User

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Room for the user id in front of it within the appeal's submission key (80 characters).
MAX_KEY_LENGTH = 64
_KEY = re.compile(rf"^[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}$")


def valid_key(key: str) -> bool:
    return bool(_KEY.match(key))


def idempotency_key(request: Request) -> str | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not valid_key(key):
        raise exceptions.ValidationError(
            {
                HEADER: [
                    _("The Idempotency-Key must be 1 to %(max)d visible ASCII characters, such as a UUID.")
                    % {"max": MAX_KEY_LENGTH}
                ]
            },
            code=ErrorCode.INVALID_IDEMPOTENCY_KEY,
        )
    return key


def request_fingerprint(request: Request) -> str:
    try:
        body = request.body
    except RawPostDataException as exc:
        # Only a form post signed in by session reads the stream early (for its CSRF token); the
        # API speaks JSON, so that request would be refused anyway.
        raise exceptions.UnsupportedMediaType(request.content_type) from exc
    digest = hashlib.sha256()
    digest.update(f"{request.method}\n{request.path}\n".encode() + body)
    return digest.hexdigest()


def _stored_answer(stored: IdempotentRequest, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        return error_response(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            _(
                "This Idempotency-Key was already used for a different request. "
                "Send a new key with each new request."
            ),
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
        )
    return Response(stored.body, status=stored.status, headers={REPLAYED_HEADER: "true"})


def _as_json(data: Any) -> Any:
    # What the client received, exactly: dates and decimals as the renderer wrote them.
    return json.loads(json.dumps(data, cls=JSONEncoder))


def idempotent(request: Request, execute: Callable[[str | None], Response]) -> Response:
    """Run `execute(key)` at most once per (user, key); without a key, simply run it."""
    key = idempotency_key(request)
    if key is None:
        return execute(None)
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated
    fingerprint = request_fingerprint(request)
    stored = IdempotentRequest.objects.filter(user=user, key=key).first()
    if stored is not None:
        return _stored_answer(stored, fingerprint)
    try:
        # The step's services run as savepoints of this one transaction, with the record.
        with composing():
            # Taking the key first makes a concurrent twin wait on the unique constraint instead of
            # repeating the step; the placeholder answer is never visible outside this transaction.
            record = IdempotentRequest.objects.create(
                user=user, key=key, fingerprint=fingerprint, status=0, body={}
            )
            response = execute(key)
            if status.is_success(response.status_code):
                record.status = response.status_code
                record.body = _as_json(response.data)
                record.save(update_fields=["status", "body"])
            else:
                transaction.set_rollback(True)
            return response
    except IntegrityError:
        stored = IdempotentRequest.objects.filter(user=user, key=key).first()
        if stored is None:
            raise
        return _stored_answer(stored, fingerprint)


@write_service
def _answer_keep(*, user: User, key: str, fingerprint: str, response: Response) -> None:
    """The answer of a durable service, kept in a durable transaction of its own after it."""
    IdempotentRequest.objects.create(
        user=user, key=key, fingerprint=fingerprint, status=response.status_code, body=_as_json(response.data)
    )


def idempotent_durable(request: Request, execute: Callable[[str | None], Response]) -> Response:
    """`idempotent` for a service that runs its own durable transaction and is itself idempotent
    by the key (a domain submission key): the step runs outside any transaction of ours, and its
    answer is kept after. A twin sent at the same moment runs the service, which takes the step
    once and answers with the same record; whichever stores the answer first is the one replayed.
    """
    key = idempotency_key(request)
    if key is None:
        return execute(None)
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated
    fingerprint = request_fingerprint(request)
    stored = IdempotentRequest.objects.filter(user=user, key=key).first()
    if stored is not None:
        return _stored_answer(stored, fingerprint)
    response = execute(key)
    if status.is_success(response.status_code):
        try:
            _answer_keep(user=user, key=key, fingerprint=fingerprint, response=response)
        except IntegrityError:
            stored = IdempotentRequest.objects.filter(user=user, key=key).first()
            if stored is not None:
                return _stored_answer(stored, fingerprint)
            raise
    return response
