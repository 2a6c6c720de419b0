"""Structured logs: one line per request, and a request id on every line written while serving it.

The id comes from `X-Request-ID` when one of `TRUSTED_PROXIES` sent it (nginx's `$request_id`, so the
proxy's access log and ours share it), or is made here; it goes back in the response's header.
Tasks queued by the request are logged with their task id beside the request id, and a worker
logs every line of a task with the task's id and, where the cache is shared (Redis), the request
id of the request that queued it.

`JINGMIN_LOG_FORMAT` picks `JsonFormatter` (one JSON object per line, for a log collector) or
`TextFormatter`. This module imports no Django at load time, so gunicorn's configuration can use the
formatters before Django is set up.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django_tasks import TaskResult

request_id: ContextVar[str] = ContextVar("request_id", default="")
task_id: ContextVar[str] = ContextVar("task_id", default="")

request_logger = logging.getLogger("jingmin.request")
task_logger = logging.getLogger("jingmin.tasks")

# What a proxy may send as a request id: nginx's is 32 hex digits; anything longer or stranger is
# replaced, so that a client cannot write arbitrary text into the logs through a proxy that passes
# the header on.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# URL parts that are secrets in themselves: the citizen's tracking code and follow-up token.
SECRET_PATH_KWARGS = frozenset({"code", "token"})
# How long the worker can still find the request id of a queued task (reminders wait for days, but
# a lookup after that is only a missing id on the task's lines).
TASK_REQUEST_SECONDS = 7 * 86400

# The attributes every LogRecord has; anything else on a record was passed with `extra=`. Django
# passes the request object itself (its query string and cookies are not for the log) and the
# development server its socket.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "task_id",
    "ids",
    "request",
    "server_time",
}


class ContextFilter(logging.Filter):
    """Puts the current request id and task id on every record (empty outside either), and takes
    the secrets out of the path in Django's own error lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        request = record.__dict__.get("request")
        if record.name == "django.request" and request is not None and isinstance(record.args, tuple):
            raw = getattr(request, "path", None)
            record.args = tuple(loggable_path(request) if arg == raw else arg for arg in record.args)
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "task_id"):
            value = getattr(record, key, "")
            if value:
                line[key] = value
        line.update(_extras(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(ids)s%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = [
            f"{key}={getattr(record, key)}" for key in ("request_id", "task_id") if getattr(record, key, "")
        ]
        record.ids = f"[{' '.join(ids)}] " if ids else ""
        return super().format(record)


def incoming_request_id(request: HttpRequest) -> str:
    from django.conf import settings

    sent = request.headers.get(settings.REQUEST_ID_HEADER, "")
    if sent and request.META.get("REMOTE_ADDR", "") in settings.TRUSTED_PROXIES and _REQUEST_ID.match(sent):
        return sent
    return uuid.uuid4().hex


def loggable_path(request: HttpRequest) -> str:
    """The path without the query string, and with secret URL parts (a tracking code, a follow-up
    token) replaced by their name."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return path
    for name in SECRET_PATH_KWARGS & set(match.kwargs):
        value = str(match.kwargs[name])
        if value:
            path = "/".join(f"<{name}>" if part == value else part for part in path.split("/"))
    return path


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in person's id, if this request looked at them: the log line must not load a
    session that the request itself never read."""
    from django.utils.functional import SimpleLazyObject, empty

    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user.__dict__.get("_wrapped", empty) is empty:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "pk", None)


class RequestLogMiddleware:
    """Gives the request its id and writes its line: method, path, status, duration, user id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        rid = incoming_request_id(request)
        token = request_id.set(rid)
        start = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[settings.REQUEST_ID_HEADER] = rid
            return response
        finally:
            duration = round((time.perf_counter() - start) * 1000, 1)
            path = loggable_path(request)
            user = _user_id(request)
            request_logger.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "%s %s %s %.1fms user=%s",
                request.method,
                path,
                status,
                duration,
                user if user is not None else "-",
                extra={
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": duration,
                    "user_id": user,
                },
            )
            request_id.reset(token)


def _task_request_key(task_result_id: str) -> str:
    return f"jingmin:task-request:{task_result_id}"


def on_task_enqueued(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    rid = request_id.get()
    task_logger.info(
        "task queued %s id=%s",
        task_result.task.module_path,
        task_result.id,
        extra={"task": task_result.task.module_path, "queued_task_id": str(task_result.id)},
    )
    if rid:
        from django.core.cache import cache

        try:
            cache.set(_task_request_key(str(task_result.id)), rid, TASK_REQUEST_SECONDS)
        except Exception:
            # Losing the link between a request and its task must never fail the request.
            task_logger.warning("request id of task %s not kept", task_result.id, exc_info=True)


_task_tokens: ContextVar[tuple[Any, Any, float] | None] = ContextVar("task_tokens", default=None)


def on_task_started(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    from django.core.cache import cache

    try:
        rid = cache.get(_task_request_key(str(task_result.id))) or ""
    except Exception:
        rid = ""
    _task_tokens.set((task_id.set(str(task_result.id)), request_id.set(str(rid)), time.perf_counter()))
    task_logger.info(
        "task started %s", task_result.task.module_path, extra={"task": task_result.task.module_path}
    )


def on_task_finished(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    tokens = _task_tokens.get()
    duration = round((time.perf_counter() - tokens[2]) * 1000, 1) if tokens else None
    task_logger.info(
        "task finished %s %s",
        task_result.task.module_path,
        task_result.status,
        extra={
            "task": task_result.task.module_path,
            "task_status": str(task_result.status),
            "duration_ms": duration,
        },
    )
    if tokens:
        task_id.reset(tokens[0])
        request_id.reset(tokens[1])
        _task_tokens.set(None)


def connect_task_signals() -> None:
    from django_tasks.signals import task_enqueued, task_finished, task_started

    task_enqueued.connect(on_task_enqueued, dispatch_uid="jingmin.core.logging.enqueued")
    task_started.connect(on_task_started, dispatch_uid="jingmin.core.logging.started")
    task_finished.connect(on_task_finished, dispatch_uid="jingmin.core.logging.finished")
