"""A receipt by SMS, with the tracking code, to a phone the citizen confirmed; every link sent by
SMS is built on the configured public address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingmin.appeals import services
from jingmin.appeals.models import Appeal, State
from jingmin.appeals.tests.conftest import appeal_input, walk_to
from jingmin.portal.tests.conftest import PHONE, portal_post, submission_key

PUBLIC = "https://jingmin.example.gov.cn"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.PUBLIC_BASE_URL = PUBLIC


def test_a_confirmed_phone_gets_the_tracking_code_and_the_page_to_follow_it(
    persona, citizen, request_code, sms_outbox, django_capture_on_commit_callbacks, run_tasks
):
    _response, code = request_code(citizen)
    key = submission_key(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        assert portal_post(citizen, key=key, citizen_phone=PHONE, code=code).status_code == 302
    run_tasks()
    appeal = Appeal.objects.get()
    receipts = [m for m in sms_outbox if appeal.tracking_code in m.text]
    assert len(receipts) == 1
    assert receipts[0].phone == PHONE
    assert PUBLIC + reverse("portal:track_detail", args=[appeal.tracking_code]) in receipts[0].text

    # The same form sent again registers nothing and sends no second receipt.
    with django_capture_on_commit_callbacks(execute=True):
        portal_post(citizen, key=key, citizen_phone=PHONE, code=code)
    run_tasks()
    assert len([m for m in sms_outbox if appeal.tracking_code in m.text]) == 1


def test_no_receipt_without_a_confirmed_phone(
    persona, citizen, sms_outbox, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert portal_post(citizen).status_code == 302
    run_tasks()
    assert sms_outbox == []


def test_the_follow_up_link_uses_the_public_address(
    persona, sms_outbox, django_capture_on_commit_callbacks, run_tasks
):
    appeal, _ = services.appeal_register(actor=persona.clara, data=appeal_input())
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(persona, appeal, State.CONCLUDED)
    run_tasks()
    links = [m.text for m in sms_outbox if "/appeals/f/" in m.text]
    assert links and all(f"{PUBLIC}/appeals/f/" in text for text in links)
