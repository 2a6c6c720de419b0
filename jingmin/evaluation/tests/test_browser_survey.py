"""In Debian's Chromium: Chen builds a three-question survey at his desk and publishes it; its
poster's QR code encodes the survey's public address; a resident opens that address on a 360-px
phone, answers anonymously, and Chen sees the answer in the result chart."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import segno
from django.utils import timezone

from conftest import PASSWORD
from jingmin.core.browser import PHONE, chromium
from jingmin.evaluation.models import Answer, Response, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def test_chen_builds_a_survey_a_phone_answers_it_through_its_qr_link_and_the_chart_shows_it(
    browser, live_server, persona
):
    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = desk.new_page()
    page.goto(f"{base}/signin/")
    page.fill("#id_username", "chen")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.mainnav", state="attached")

    page.goto(f"{base}/evaluation/surveys/new/")
    page.fill("#id_title", "东门社区群众满意度调查")
    page.select_option("#id_unit", str(persona.district_a1.pk))
    closes = timezone.localtime() + timedelta(days=14)
    page.fill("#id_closes_at", closes.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_q0_text", "您对社区民警的工作满意吗？")
    page.select_option("#id_q0_kind", "scale")
    page.check("#id_q0_required")
    page.check("#id_q0_satisfaction")
    page.fill("#id_q1_text", "您最关心哪些问题？")
    page.select_option("#id_q1_kind", "multiple")
    page.fill("#id_q1_options", "电信诈骗\n电动车被盗\n噪音扰民")
    page.fill("#id_q2_text", "您还有什么建议？")
    page.select_option("#id_q2_kind", "text")
    page.click("#survey-save")
    page.wait_for_selector(".msg.success")
    page.click("#survey-publish")
    page.wait_for_selector("#survey-poster")
    survey = Survey.objects.get()
    assert survey.state == "open" and survey.questions.count() == 3

    # The poster's QR code encodes the public address shown beneath it.
    page.click("#survey-poster")
    page.wait_for_selector("#survey-qr")
    url = page.inner_text(".url").strip()
    assert url == f"{base}/portal/s/{survey.code}/"
    qr = page.request.get(base + page.get_attribute("#survey-qr", "src"))
    # segno cannot decode: the image must be, byte for byte, the symbol segno makes for that address.
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="svg", scale=8, border=2, xmldecl=False)
    assert qr.ok and qr.headers["content-type"] == "image/svg+xml" and qr.body() == expected.getvalue()

    # A resident's cheap phone, no account.
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True).new_page()
    phone.goto(url)
    phone.wait_for_selector("#survey-form")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    scale, multiple, text = survey.questions.order_by("position")
    phone.check(f'input[name="q{scale.pk}"][value="5"]')
    fraud = multiple.options.get(text="电信诈骗")
    phone.check(f'input[name="q{multiple.pk}"][value="{fraud.pk}"]')
    phone.fill(f"#id_q{text.pk}", "希望夜间多巡逻")
    submit = phone.locator("#survey-submit")
    assert submit.bounding_box()["height"] >= 44
    submit.click()
    phone.wait_for_selector("#survey-thanks")
    assert Response.objects.count() == 1 and Answer.objects.count() == 3

    # Chen sees the answer in the chart of the satisfaction question.
    page.goto(f"{base}/evaluation/surveys/{survey.pk}/")
    page.wait_for_selector("#result-1 .chart.drawn svg")
    assert "1份答卷" in page.inner_text("h2")
    chart = page.locator("#result-1 .chart")
    assert '"values": [0, 0, 0, 0, 1]' in chart.get_attribute("data-chart")
    assert page.locator("#result-2 .chart.drawn svg").count() == 1
    assert "希望夜间多巡逻" in page.inner_text("#result-3")
