"""Answering a survey anonymously on the portal, within the portal's limits: per device (a cookie
of the browser) and per address, a captcha past the soft threshold, a refusal with the time to
come back at the hard one; a refused sheet is neither saved nor counted, a second tap counts once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from jingmin.evaluation.models import Response
from jingmin.evaluation.tests.conftest import open_survey
from jingmin.portal.models import RateCounter
from jingmin.portal.surveys import DEVICE_COOKIE
from jingmin.portal.tests.conftest import captcha_answer


@pytest.fixture
def tight(settings):
    settings.PORTAL_LIMITS = {
        **settings.PORTAL_LIMITS,
        "survey-ip": (3600, 100, 4),
        "survey-device": (86400, 2, 3),
    }


def _key(html: str) -> str:
    found = re.search(r'name="submission_key" value="([0-9a-f]+)"', html)
    assert found, "the page carries a submission key"
    return found.group(1)


def _sheet(client: Client, survey, **extra: str):
    url = reverse("portal:survey", args=[survey.code])
    html = client.get(url).content.decode()
    scale = survey.questions.get(position=1)
    return client.post(url, {"submission_key": _key(html), f"q{scale.pk}": "4", **extra}), html


def test_an_anonymous_sheet_is_saved_once_and_keeps_nothing_of_the_phone(persona):
    survey = open_survey(persona)
    phone = Client(REMOTE_ADDR="203.0.113.8")
    url = reverse("portal:survey", args=[survey.code])
    page = phone.get(url)
    assert page.status_code == 200 and DEVICE_COOKIE in page.cookies
    key = _key(page.content.decode())
    scale, multiple, text = survey.questions.order_by("position")
    body = {
        "submission_key": key,
        f"q{scale.pk}": "5",
        f"q{multiple.pk}": [str(o.pk) for o in multiple.options.all()[:2]],
        f"q{text.pk}": "多巡逻",
    }
    first = phone.post(url, body)
    assert first.status_code == 302 and first["Location"] == reverse("portal:survey_done", args=[survey.code])
    assert phone.post(url, body).status_code == 302  # a second tap
    [sheet] = Response.objects.all()
    assert sheet.answers.count() == 4
    # Counted once per address and once per device; only keyed hashes are kept.
    assert sorted(RateCounter.objects.values_list("scope", "count")) == [
        ("survey-device", 1),
        ("survey-ip", 1),
    ]
    assert not RateCounter.objects.filter(key_hash__contains="203.0").exists()


def test_a_required_question_left_out_is_refused_and_not_counted(persona):
    survey = open_survey(persona)
    phone = Client(REMOTE_ADDR="203.0.113.9")
    url = reverse("portal:survey", args=[survey.code])
    html = phone.get(url).content.decode()
    key = _key(html)
    response = phone.post(url, {"submission_key": key})
    assert response.status_code == 400
    assert "此题为必答题。" in response.content.decode()
    assert not Response.objects.exists() and not RateCounter.objects.exists()


def test_past_the_soft_limit_a_captcha_and_at_the_hard_limit_a_refusal(persona, tight):
    survey = open_survey(persona)
    phone = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(2):
        response, html = _sheet(phone, survey)
        assert response.status_code == 302 and 'name="captcha_1"' not in html
    # The device has answered twice: the third sheet needs the captcha.
    response, html = _sheet(phone, survey)
    assert 'name="captcha_1"' in html
    assert response.status_code == 400 and "captcha" in response.context["form"].errors
    assert Response.objects.count() == 2
    # The page that refused it carries a fresh captcha; answered right, the sheet goes through.
    html = response.content.decode()
    response = phone.post(
        reverse("portal:survey", args=[survey.code]),
        {
            "submission_key": _key(html),
            f"q{survey.questions.get(position=1).pk}": "3",
            **captcha_answer(html),
        },
    )
    assert response.status_code == 302 and Response.objects.count() == 3
    # The hard limit of the device: refused with the time to come back, nothing saved.
    response, _html = _sheet(phone, survey)
    assert response.status_code == 429 and "本机今日填写问卷已达上限" in response.content.decode()
    assert Response.objects.count() == 3
    # Another phone on the same network still answers, until the address's own limit.
    other = Client(REMOTE_ADDR="203.0.113.10")
    response, _html = _sheet(other, survey)
    assert response.status_code == 302 and Response.objects.count() == 4
    response, _html = _sheet(Client(REMOTE_ADDR="203.0.113.10"), survey)
    assert response.status_code == 429 and "您所在网络短时间内填写问卷过多" in response.content.decode()


def test_a_closed_survey_takes_no_answers(persona):
    from jingmin.evaluation import services

    survey = open_survey(persona)
    services.survey_step(actor=persona.chen, survey_id=survey.pk, step="close")
    page = Client().get(reverse("portal:survey", args=[survey.code]))
    assert page.status_code == 200 and "本问卷已结束" in page.content.decode()
