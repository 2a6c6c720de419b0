"""In Debian's Chromium: as Clara types a call into the intake form, the suggested category and
unit appear with their confidence and an earlier open appeal of the district is listed; one tap
applies each suggestion; the registration records that she took them."""

from __future__ import annotations

import pytest

from jingmin.appeals import services as appeals
from jingmin.appeals.models import Appeal, Category
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.appeals.tests.test_browser_walk import signed_in_page
from jingmin.core.browser import DESKTOP, chromium
from jingmin.routing.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


def test_clara_takes_the_suggestions_with_one_tap_each(live_server, persona, active_model):
    earlier, _ = appeals.appeal_register(
        actor=persona.clara,
        data=appeal_input(
            district=persona.district_a2,
            title="西门花园楼上深夜装修噪音",
            content="西门花园5栋楼上每天晚上11点以后还在敲打装修，吵得睡不着。",
        ),
    )
    noise = Category.objects.get(code="order-noise")
    base = live_server.url
    with chromium() as browser:
        page = signed_in_page(browser, base, "clara", DESKTOP)
        page.goto(f"{base}/appeals/new/")
        page.select_option("#id_district", str(persona.district_a2.pk))
        page.fill("#id_title", "楼上邻居深夜装修噪音扰民")
        page.fill("#id_content", "我住在西门花园5栋，每天晚上11点以后还在敲打，吵得睡不着。")
        page.wait_for_selector('.suggestion[data-kind="category"]')
        page.wait_for_selector(f'.duplicates li[data-appeal="{earlier.pk}"]')
        assert "%" in page.inner_text('.suggestion[data-kind="category"] .confidence')

        page.click('.suggestion[data-kind="category"] button.apply')
        assert page.input_value("#id_category") == str(noise.pk)
        page.click('.suggestion[data-kind="unit"] button.apply')
        assert page.input_value("#id_dispatch_to") == str(persona.district_a2.pk)

        page.fill("#id_citizen_phone", "13900002222")
        page.press("#id_citizen_phone", "Enter")
        page.wait_for_selector(".tracking-code")
        code = page.get_attribute(".tracking-code", "data-code")
        # The page after registering offers to merge it into the earlier appeal.
        assert (
            page.locator(
                f'.registered-duplicates input[name="merge-into"][value="{earlier.tracking_code}"]'
            ).count()
            == 1
        )
        page.context.close()

    appeal = Appeal.objects.get(tracking_code=code)
    assert appeal.category == noise and appeal.unit == persona.district_a2
    record = Suggestion.objects.get(appeal=appeal)
    assert record.category_taken is True and record.unit_taken is True and record.model == active_model
