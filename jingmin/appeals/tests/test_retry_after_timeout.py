"""A portal submission and an Open311 POST sent again after a timeout — while the first request is
still inside its transaction — create one appeal. Each request runs on its own database
connection, as two server processes would; the first is held just after writing its appeal, so
the retry always arrives before it commits. Row locks and the unique submission key decide, so
this runs on PostgreSQL. A retry after the first one finished is shown in
portal/tests/test_submit.py (`test_a_double_tap_creates_one_appeal`) and
open311/tests/test_idempotency.py (`test_a_retry_creates_nothing_twice`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from jingmin.appeals.models import Appeal
from jingmin.appeals.services import appeal_register
from jingmin.open311.models import ServiceRequest
from jingmin.open311.services import partner_create
from jingmin.open311.tests.conftest import BASE, noise_post
from jingmin.portal.tests.conftest import form_data, submission_key

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def slow_first_registration(monkeypatch, module: str) -> None:
    """The first registration waits, its transaction open, long enough for the retry to arrive."""
    first = threading.Event()

    def register(**kwargs):
        result = appeal_register(**kwargs)
        if not first.is_set():
            first.set()
            time.sleep(0.8)
        return result

    monkeypatch.setattr(f"{module}.appeal_register", register)


def twice_at_once(send: Callable[[], Any]) -> list[Any]:
    answers: list[Any] = [None, None]

    def run(i: int) -> None:
        try:
            if i:
                time.sleep(0.3)  # the client's timeout: the retry leaves while the first is held
            answers[i] = send()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return answers


def test_a_portal_submission_sent_again_while_the_first_runs_creates_one_appeal(
    audit_guard_lifted, reference_data, persona, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    browser = Client()
    data = {**form_data(), "submission_key": submission_key(browser)}
    slow_first_registration(monkeypatch, "jingmin.portal.services")

    def send():
        client = Client()
        client.cookies = browser.cookies
        return client.post(reverse("portal:submit"), data)

    answers = twice_at_once(send)
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Appeal.objects.count() == 1


def test_an_open311_post_sent_again_while_the_first_runs_creates_one_request(
    audit_guard_lifted, reference_data, persona, monkeypatch
):
    _partner, key = partner_create(
        actor=persona.sam, name="12345市民服务热线", intake_unit=persona.station_a, contact="热线运维"
    )
    slow_first_registration(monkeypatch, "jingmin.open311.services")
    body = urlencode(noise_post(key), doseq=True)

    def send():
        return Client().generic(
            "POST",
            f"{BASE}requests.json",
            body,
            content_type="application/x-www-form-urlencoded",
            HTTP_IDEMPOTENCY_KEY="7d2f0c1e-5b44-4a8e-9c61-0e2a9f3b1d77",
        )

    answers = twice_at_once(send)
    assert [a.status_code for a in answers] == [200, 200], [a.content for a in answers]
    ids = [a.json()[0]["service_request_id"] for a in answers]
    assert ids[0] == ids[1]
    assert Appeal.objects.count() == 1 and ServiceRequest.objects.count() == 1
