"""Rate limits per client address and per phone number, counted in the database: past the soft
threshold the image captcha is asked for (a wrong answer is refused), at the hard limit the portal
refuses with the time to come back, and nothing of a refused submission is saved."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jingmin.appeals.models import Appeal, Attachment
from jingmin.portal import limits
from jingmin.portal.models import PhoneCode, RateCounter
from jingmin.portal.tests.conftest import PHONE, PNG, captcha_answer, form_data, portal_post, submission_key

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 30, 10, 20, tzinfo=SHANGHAI)


@pytest.fixture
def tight(settings):
    settings.PORTAL_LIMITS = {
        **settings.PORTAL_LIMITS,
        "submit-ip": (3600, 2, 3),
        "submit-phone": (86400, 5, 1),
        "code-ip": (3600, 10, 20),
        "code-phone": (86400, 10, 2),
    }


def test_the_counter_counts_in_windows(db):
    with time_machine.travel(T0, tick=False):
        assert limits.peek("submit-ip", "198.51.100.1").count == 0
        assert [limits.hit("submit-ip", "198.51.100.1").count for _ in range(3)] == [1, 2, 3]
        assert limits.hit("submit-ip", "198.51.100.2").count == 1
        assert limits.peek("submit-ip", "198.51.100.1").count == 3
        window_end = limits.peek("submit-ip", "198.51.100.1").window_end
    assert window_end == datetime(2026, 11, 30, 11, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2026, 11, 30, 11, 0, 1, tzinfo=SHANGHAI), tick=False):
        assert limits.peek("submit-ip", "198.51.100.1").count == 0
    # Only keyed hashes are stored, never the address.
    assert not RateCounter.objects.filter(key_hash__contains="198.51").exists()
    assert RateCounter.objects.count() == 2


def test_past_the_soft_limit_the_captcha_is_asked_and_a_wrong_answer_refused(persona, tight):
    citizen = Client(REMOTE_ADDR="203.0.113.8")
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            assert portal_post(citizen).status_code == 302
        page = citizen.get(reverse("portal:submit")).content.decode()
        assert 'name="captcha_1"' in page and "/captcha/image/" in page

        # Without the answer: refused beside the captcha, nothing saved.
        response = portal_post(citizen)
        assert response.status_code == 400 and list(response.context["form"].errors) == ["captcha"]
        # A wrong answer: the same.
        key = submission_key(citizen)
        html = citizen.get(reverse("portal:submit")).content.decode()
        wrong = {**captcha_answer(html), "captcha_1": "999"}
        response = citizen.post(reverse("portal:submit"), {**form_data(), "submission_key": key, **wrong})
        assert response.status_code == 400 and "captcha" in response.context["form"].errors
        assert Appeal.objects.count() == 2

        # The right answer lets it through.
        html = response.content.decode()
        response = citizen.post(
            reverse("portal:submit"), {**form_data(), "submission_key": key, **captcha_answer(html)}
        )
        assert response.status_code == 302
        assert Appeal.objects.count() == 3

        # Someone else, on another network, is not asked.
        other = Client(REMOTE_ADDR="198.51.100.9")
        assert 'name="captcha_1"' not in other.get(reverse("portal:submit")).content.decode()


def test_at_the_hard_limit_the_portal_refuses_and_says_when(persona, tight):
    citizen = Client(REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            assert portal_post(citizen).status_code == 302
        html = citizen.get(reverse("portal:submit")).content.decode()
        key = submission_key(citizen)
        response = citizen.post(
            reverse("portal:submit"), {**form_data(), "submission_key": key, **captcha_answer(html)}
        )
        assert response.status_code == 302

        photo = SimpleUploadedFile("street.png", PNG, "image/png")
        response = citizen.post(
            reverse("portal:submit"),
            {**form_data(), "submission_key": submission_key(citizen), "photos": photo},
        )
    assert response.status_code == 429
    message = response.context["form"].non_field_errors()[0]
    assert "2026年11月30日 11:00" in message and "110" in message
    assert 'id="form-error"' in response.content.decode()
    # Nothing half-saved: no fourth appeal, no stray file.
    assert Appeal.objects.count() == 3
    assert Attachment.objects.count() == 0
    assert limits.peek("submit-ip", "203.0.113.9", now=T0).count == 3


def test_one_phone_is_limited_across_networks_and_its_code_is_not_spent(persona, tight, request_code):
    first, second = Client(REMOTE_ADDR="203.0.113.10"), Client(REMOTE_ADDR="198.51.100.10")
    _response, code = request_code(first)
    assert portal_post(first, citizen_phone=PHONE, code=code).status_code == 302

    # Past the resend cool-down, from another network.
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        _response, code = request_code(second)
        assert code is not None
        response = portal_post(second, citizen_phone=PHONE, code=code)
    assert response.status_code == 429
    assert Appeal.objects.count() == 1
    # The refused submission rolled back the use of its code as well.
    assert PhoneCode.objects.order_by("-created_at")[0].used_at is None


def test_codes_per_phone_are_limited(persona, tight, request_code):
    citizen = Client(REMOTE_ADDR="203.0.113.11")
    now = timezone.now()
    sent = []
    for i in range(3):
        with time_machine.travel(now + timedelta(minutes=2 * i), tick=False):
            response, code = request_code(citizen)
            sent.append((response.status_code, code is not None))
    assert sent == [(200, True), (200, True), (429, False)]
    assert PhoneCode.objects.count() == 2
    assert 'id="code-error"' in response.content.decode()


def test_the_client_address_behind_a_trusted_proxy(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    # Not a trusted proxy: its header is ignored.
    assert limits.client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    # The right-most address the proxy saw; what the client put first is not believed.
    assert limits.client_address(request) == "203.0.113.5"
    v6 = rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert limits.client_address(v6) == "2001:db8:1:2::/64"
