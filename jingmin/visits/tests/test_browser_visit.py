"""In Debian's Chromium on a 360-px phone: Oliver opens his district's coverage, sees 33%, taps
"record a visit" on the first household not yet visited, takes his position, records a birth and
an illness, and is back on the coverage page, which now says 44%."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from jingmin.core.browser import PHONE, chromium
from jingmin.visits.models import Visit, VisitItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = {"latitude": 31.2304, "longitude": 121.4737, "accuracy": 18}


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_oliver_records_a_birth_on_his_phone_and_sees_the_coverage_rise(
    browser, live_server, persona, world, record
):
    for household in world.a1[:3]:
        record(household=household.pk)
    base = live_server.url
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", geolocation=HERE, permissions=["geolocation"], has_touch=True
    )
    page = context.new_page()
    page.goto(f"{base}/signin/")
    page.fill("#id_username", "oliver")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.mainnav", state="attached")

    page.goto(f"{base}/visits/coverage/")
    assert page.get_attribute("#coverage-percent", "data-percent") == "33"
    assert page.inner_text("#coverage-percent") == "33%"
    page.wait_for_selector('#coverage-map[data-ready="1"]')
    assert page.get_attribute("#coverage-map", "data-points") == "9"
    assert no_sideways_scroll(page)

    first = page.locator('#coverage-list li[data-covered="0"]').first
    household = int(first.get_attribute("data-household"))
    assert household not in {h.pk for h in world.a1[:3]}
    button = first.locator("a.record")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_selector("#visit-form")
    assert no_sideways_scroll(page)
    assert page.is_checked('input[name="kind"][value="household"]')

    page.click("button[data-locate]")
    # Waited for through the locator, not a script string: the page's policy forbids eval.
    expect(page.locator("#id_latitude")).not_to_have_value("")
    page.fill("#id_summary", "入户走访，了解家庭近况，宣传反诈知识。")
    page.select_option("#id_items-0-kind", "birth")
    page.fill("#id_items-0-text", "家中添了一个女儿")
    page.click('button[data-add-row="items"]')
    page.select_option("#id_items-1-kind", "illness")
    page.fill("#id_items-1-text", "老人腿脚不便")
    submit = page.locator("#record-visit")
    assert submit.bounding_box()["height"] >= 44
    submit.click()

    page.wait_for_selector(".msg.success")
    assert "/visits/coverage/" in page.url
    assert page.get_attribute("#coverage-percent", "data-percent") == "44"
    assert no_sideways_scroll(page)

    visit = Visit.objects.get(household_id=household)
    assert visit.officer == persona.oliver and visit.kind == "household"
    assert visit.latitude is not None and float(visit.latitude) == pytest.approx(HERE["latitude"])
    assert visit.accuracy == 18
    assert list(VisitItem.objects.filter(visit=visit).order_by("id").values_list("kind", flat=True)) == [
        "birth",
        "illness",
    ]
    recorded = page.locator(f'#coverage-list li[data-household="{household}"]')
    assert recorded.get_attribute("data-covered") == "1"
    context.close()
