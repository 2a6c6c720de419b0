"""One log line per request with its request id, method, path (no query, no secret), status, duration
and user; the id comes from a trusted proxy or is made, returned in a header, and carried to the
lines of the tasks the request queued."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_tasks import task

from conftest import signed_in
from jingmin.core.logging import ContextFilter, JsonFormatter, RequestLogMiddleware, TextFormatter, request_id

_seen: list[str] = []


@task()
def _log_something() -> None:
    logging.getLogger("jingmin.test").info("inside the task")
    _seen.append(request_id.get())


def _request_lines(caplog):
    return [r for r in caplog.records if r.name == "jingmin.request"]


@pytest.mark.django_db
def test_each_request_is_one_line_with_its_id_and_outcome(caplog, persona):
    caplog.set_level(logging.INFO)
    client = signed_in(persona.clara)
    response = client.get("/appeals/?q=%E5%BC%A0%E4%B8%89&phone=13900001111")
    assert response.status_code == 200
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    (line,) = _request_lines(caplog)
    assert line.method == "GET"
    assert line.path == "/appeals/"  # the query (what was searched) never reaches the log
    assert line.status == 200
    assert line.duration_ms >= 0
    assert line.user_id == persona.clara.pk
    assert "13900001111" not in caplog.text


@pytest.mark.django_db
def test_an_anonymous_request_logs_no_user_and_loads_no_session(caplog, client, django_assert_num_queries):
    caplog.set_level(logging.INFO)
    with django_assert_num_queries(0):
        client.get("/static/core/missing.css")
    (line,) = _request_lines(caplog)
    assert line.user_id is None
    assert line.status == 404


@pytest.mark.django_db
def test_a_tracking_code_in_the_path_is_not_logged(caplog, client):
    caplog.set_level(logging.INFO)
    client.get("/portal/track/ABCD2345EFGH/")
    (line,) = _request_lines(caplog)
    assert line.path == "/portal/track/<code>/"
    assert "ABCD2345EFGH" not in caplog.text


@pytest.mark.django_db
def test_the_request_id_of_a_trusted_proxy_is_kept(settings, caplog):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    caplog.set_level(logging.INFO)
    proxied = Client(REMOTE_ADDR="10.0.0.2")
    response = proxied.get("/portal/", HTTP_X_REQUEST_ID="5f2b9c0d4e6a7b8c9d0e1f2a3b4c5d6e")
    assert response["X-Request-ID"] == "5f2b9c0d4e6a7b8c9d0e1f2a3b4c5d6e"
    direct = Client(REMOTE_ADDR="203.0.113.9")
    response = direct.get("/portal/", HTTP_X_REQUEST_ID="chosen-by-the-client")
    assert response["X-Request-ID"] != "chosen-by-the-client"
    # From the proxy too, an id that is not a plain token is replaced, not written into the log.
    response = proxied.get("/portal/", HTTP_X_REQUEST_ID='x" level="ERROR')
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def _served(get_response, path="/somewhere/"):
    request = RequestFactory().get(path)
    return RequestLogMiddleware(get_response)(request)


def test_lines_written_while_serving_carry_the_request_id(caplog):
    caplog.set_level(logging.INFO)
    during = []

    def view(request):
        record = logging.makeLogRecord({"msg": "said while serving"})
        ContextFilter().filter(record)
        during.append(record.__dict__["request_id"])
        return HttpResponse("ok")

    response = _served(view)
    assert during == [response["X-Request-ID"]]
    assert request_id.get() == ""  # nothing leaks past the request


@pytest.mark.django_db
def test_a_task_queued_by_a_request_logs_with_its_request_id(caplog, run_tasks):
    caplog.set_level(logging.INFO)
    _seen.clear()

    def view(request):
        _log_something.enqueue()
        return HttpResponse("queued")

    response = _served(view)
    rid = response["X-Request-ID"]
    (queued,) = [r for r in caplog.records if r.getMessage().startswith("task queued")]
    assert queued.task.endswith("_log_something")
    run_tasks()
    # The worker found the request's id (through the cache) and logged the task's lines with it.
    assert _seen == [rid]
    started = [r for r in caplog.records if r.getMessage().startswith("task started")]
    finished = [r for r in caplog.records if r.getMessage().startswith("task finished")]
    assert len(started) == 1 and len(finished) == 1
    assert finished[0].task_status == "SUCCESSFUL"
    assert request_id.get() == ""


def test_a_failing_view_is_still_logged_with_status_500(caplog):
    caplog.set_level(logging.INFO)

    def broken(request):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        _served(broken)
    (line,) = _request_lines(caplog)
    assert line.status == 500 and line.levelname == "ERROR"


def test_django_request_lines_do_not_carry_secrets():
    """Django's own error line names the path; it is redacted, and the request object itself (with
    its query string) never reaches a JSON line."""
    from django.urls import resolve

    request = RequestFactory().get("/portal/track/ABCD2345EFGH/?phone=13900001111")
    request.resolver_match = resolve("/portal/track/ABCD2345EFGH/")
    record = logging.makeLogRecord(
        {
            "name": "django.request",
            "levelno": logging.ERROR,
            "levelname": "ERROR",
            "msg": "%s: %s",
            "args": ("Internal Server Error", request.path),
            "request": request,
            "status_code": 500,
        }
    )
    ContextFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "ABCD2345EFGH" not in line and "13900001111" not in line
    assert json.loads(line)["message"] == "Internal Server Error: /portal/track/<code>/"


def _record(**extra):
    record = logging.makeLogRecord(
        {
            "name": "jingmin.request",
            "levelno": logging.INFO,
            "levelname": "INFO",
            "msg": "GET %s",
            "args": ("/x",),
        }
    )
    record.__dict__.update(extra)
    ContextFilter().filter(record)
    return record


def test_json_lines_are_one_object_each():
    token = request_id.set("abc123")
    try:
        record = _record(status=200, duration_ms=1.5, user_id=7, path="/x")
    finally:
        request_id.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "GET /x"
    assert data["request_id"] == "abc123"
    assert data["status"] == 200 and data["user_id"] == 7 and data["duration_ms"] == 1.5
    assert data["level"] == "INFO" and data["logger"] == "jingmin.request"
    assert data["time"].endswith("+00:00")


def test_json_lines_carry_the_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = _record(exc_info=sys.exc_info())
    data = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in data["exception"]


def test_text_lines_name_the_ids_when_there_are_some():
    token = request_id.set("abc123")
    try:
        with_id = TextFormatter().format(_record())
    finally:
        request_id.reset(token)
    assert "[request_id=abc123] GET /x" in with_id
    assert "request_id" not in TextFormatter().format(_record())
