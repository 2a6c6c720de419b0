"""The citizen on the portal, and what the tests of the portal share.

`portal_post(client, **fields)` submits the form as a phone's browser would: it opens the page
first (which gives the form's own submission key), then posts the fields over the defaults of a
noise complaint. `code_for(phone)` reads the code of the last SMS sent to a phone.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from jingmin.appeals.models import Category

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The statistics are cached: a test must not read the figures of another.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def submission_key(client: Client) -> str:
    html = client.get(reverse("portal:submit")).content.decode()
    match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert match, "the form carries its own submission key"
    return match.group(1)


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "complaint",
        "category": str(Category.objects.get(code="order-noise").pk),
        "content": "楼上每晚十二点后还在装修，敲打声很大，影响休息。",
        "address": "东门小区3栋",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def portal_post(client: Client, *, key: str | None = None, **overrides: Any):
    data = form_data(**overrides)
    data["submission_key"] = key or submission_key(client)
    return client.post(reverse("portal:submit"), data)


def send_code(client: Client, phone: str = PHONE, **extra: Any):
    return client.post(reverse("portal:submit"), {"send_code": "1", "citizen_phone": phone, **extra})


def captcha_answer(html: str) -> dict[str, str]:
    """The right answer to the captcha on the page, read from the library's own store."""
    from captcha.models import CaptchaStore  # type: ignore[import-untyped]

    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html)
    assert key, "the page asks for the captcha"
    return {"captcha_0": key.group(1), "captcha_1": CaptchaStore.objects.get(hashkey=key.group(1)).response}


def code_for(outbox, phone: str = PHONE) -> str:
    """The six digits of the newest SMS to `phone`."""
    texts = [m.text for m in outbox if m.phone == phone]
    assert texts, f"no SMS went to {phone}"
    match = re.search(r"(?<!\d)(\d{6})(?!\d)", texts[-1])
    assert match
    return match.group(1)


@pytest.fixture
def citizen() -> Client:
    return Client(REMOTE_ADDR="203.0.113.7")


@pytest.fixture
def request_code(django_capture_on_commit_callbacks, run_tasks, sms_outbox):
    """Tap "send code" and let the worker send the SMS; returns the response and the code."""

    def ask(client: Client, phone: str = PHONE, **extra: Any) -> tuple[Any, str | None]:
        before = len(sms_outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = send_code(client, phone, **extra)
        run_tasks()
        sent = len(sms_outbox) > before
        return response, code_for(sms_outbox, normalised(phone)) if sent else None

    return ask


def normalised(phone: str) -> str:
    from jingmin.portal.services import normalise_mobile

    return normalise_mobile(phone)


# ---------------------------------------------------------------------------------------------
# Appeals moved along by staff, through the appeal services (the officer persona's steps)


def registered(persona, **overrides: Any):
    """An appeal as Clara registers it from a phone call (the citizen's data included)."""
    from jingmin.appeals import services

    fields: dict[str, Any] = {
        "channel": "phone",
        "type": "help",
        "category": Category.objects.get(code="order-noise"),
        "title": "楼上深夜噪音扰民",
        "content": "东门小区3栋楼上每晚12点后装修噪音，影响休息。",
        "address": "东门小区3栋2单元",
        "citizen_name": "王小明",
        "citizen_phone": "13812345678",
    }
    fields.update(overrides)
    appeal, _created = services.appeal_register(actor=persona.clara, data=services.AppealInput(**fields))
    return appeal


def concluded(persona, appeal, *, result: str = "solved", note: str = "已上门调解，噪音停止"):
    """Clara accepts and dispatches to district A1; Oliver signs, calls and concludes."""
    from jingmin.appeals import services

    pk = appeal.pk
    if appeal.state == "submitted":
        services.appeal_accept(actor=persona.clara, appeal_id=pk)
        services.appeal_dispatch(actor=persona.clara, appeal_id=pk, unit=persona.district_a1)
    services.appeal_sign(actor=persona.oliver, appeal_id=pk)
    services.appeal_contact(actor=persona.oliver, appeal_id=pk, note="电话联系了王小明，约定今晚上门")
    return services.appeal_conclude(actor=persona.oliver, appeal_id=pk, result=result, note=note)
