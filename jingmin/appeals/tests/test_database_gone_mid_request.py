"""The database goes away in the middle of a request: the person or program gets a clean error in
their interface's shape, and an appeal whose transaction committed is not lost — nor registered a
second time when the request is sent again.

The hardest moment is simulated: the commit reaches the database, and the connection dies before
its acknowledgement comes back, so the application sees an OperationalError for a transaction that
did commit. On PostgreSQL a second test kills the request's own server process
(`pg_terminate_backend`, from another connection) before a page is read."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from conftest import signed_in
from jingmin.appeals.models import Appeal, AppealEvent
from jingmin.audit.models import AuditEntry
from jingmin.portal.tests.conftest import form_data, submission_key

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def gone_after_the_appeal_commits() -> Iterator[dict[str, bool]]:
    """The first commit after an appeal row was written succeeds in the database and then raises,
    as when the connection drops before the database's answer arrives."""
    seen = {"inserted": False, "fired": False}
    db: Any = connection  # the back-end's own commit, below the public API
    real_commit = db._commit

    def watch(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('INSERT INTO "APPEALS_APPEAL"'):
            seen["inserted"] = True
        return execute(sql, params, many, context)

    def commit() -> None:
        real_commit()
        if seen["inserted"] and not seen["fired"]:
            seen["fired"] = True
            raise OperationalError("server closed the connection unexpectedly")

    db._commit = commit
    try:
        with connection.execute_wrapper(watch):
            yield seen
    finally:
        del db._commit


def test_the_api_answers_its_error_shape_and_the_retry_finds_the_committed_appeal(
    audit_guard_lifted, reference_data, persona
):
    client = signed_in(persona.clara)
    client.raise_request_exception = False
    key = str(uuid.uuid4())
    body = {
        "channel": "phone",
        "type": "help",
        "category": "order-noise",
        "title": "楼上深夜噪音扰民",
        "content": "东门小区3栋楼上每晚12点后装修噪音。",
    }

    def post():
        return client.post(
            "/api/v1/appeals/", json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
        )

    with gone_after_the_appeal_commits() as seen:
        failed = post()
    assert seen["fired"]
    assert failed.status_code == 500 and failed["Content-Type"] == "application/json"
    assert failed.json() == {"detail": "服务暂时无法应答，请稍后再试。", "code": "unavailable"}
    # Committed, with its event and its audit row: nothing lost.
    appeal = Appeal.objects.get()
    assert AppealEvent.objects.filter(appeal=appeal).count() == 1
    assert AuditEntry.objects.filter(target_type="appeals.appeal", target_id=str(appeal.pk)).exists()
    # The program sends the same request again: the same appeal, not a second one.
    again = post()
    assert again.status_code in (200, 201) and again.json()["id"] == appeal.pk
    assert Appeal.objects.count() == 1


def test_the_portal_shows_the_chinese_error_page_and_the_retry_finds_the_committed_appeal(
    audit_guard_lifted, reference_data, persona, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = Client(raise_request_exception=False)
    data = {**form_data(), "submission_key": submission_key(client)}
    with gone_after_the_appeal_commits() as seen:
        failed = client.post(reverse("portal:submit"), data)
    assert seen["fired"]
    assert failed.status_code == 500 and "系统出错" in failed.content.decode()
    assert Appeal.objects.count() == 1
    # The citizen taps "submit" again (the browser resends the same form): still one appeal.
    again = client.post(reverse("portal:submit"), data)
    assert again.status_code == 302
    assert Appeal.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend: PostgreSQL")
def test_a_page_whose_database_connection_was_killed_answers_the_error_page(
    audit_guard_lifted, reference_data, persona
):
    client = signed_in(persona.clara)
    client.raise_request_exception = False
    assert client.get(reverse("appeals:queue")).status_code == 200
    pid = connection.cursor().connection.info.backend_pid
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    killed = client.get(reverse("appeals:queue"))
    assert killed.status_code == 500 and "系统出错" in killed.content.decode()
    # The next request, on a new connection, is served again.
    connection.close()
    assert client.get(reverse("appeals:queue")).status_code == 200
