"""In Debian's Chromium on a 360-px phone: a citizen submits an appeal with a photo and a
verified phone number, gets the tracking code, opens the tracking page by it; the officer
concludes the appeal (through the services); the citizen rates it with taps and is thanked."""

from __future__ import annotations

import pytest
from django.db import connections

from jingmin.appeals.models import Appeal, Attachment, FollowUp, FollowUpChannel, State
from jingmin.core.browser import PHONE, chromium
from jingmin.portal.tests.conftest import PHONE as CITIZEN_PHONE
from jingmin.portal.tests.conftest import PNG, code_for, concluded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def tall_enough(page, selector: str) -> bool:
    return page.locator(selector).first.bounding_box()["height"] >= 44


def test_a_citizen_submits_tracks_and_rates_on_a_phone(
    live_server, persona, settings, tmp_path, run_tasks, sms_outbox
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    photo = tmp_path / "lamp.png"
    photo.write_bytes(PNG)
    with chromium() as browser:
        page = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True).new_page()
        page.goto(f"{base}/portal/submit/")
        assert no_sideways_scroll(page)

        # Step 1: what.
        page.tap('label.choice:has(input[name="type"][value="complaint"])')
        page.select_option("#id_category", label="噪音扰民")
        page.fill("#id_content", "楼上每晚十二点后还在装修，敲打声很大。")
        # Step 2: where, with a photo.
        page.fill("#id_address", "东门小区3栋")
        page.select_option("#id_station", str(persona.station_a.pk))
        page.set_input_files("#id_photos", str(photo))
        # Step 3: who; the code comes by SMS without the page reloading.
        page.fill("#id_citizen_name", "张大爷")
        page.fill("#id_citizen_phone", CITIZEN_PHONE)
        assert tall_enough(page, "#send-code")
        page.tap("#send-code")
        page.wait_for_selector("#code-sent")
        assert page.input_value("#id_content").startswith("楼上每晚")  # the rest of the form stayed
        run_tasks()
        page.fill("#id_code", code_for(sms_outbox, CITIZEN_PHONE))
        page.tap('label.check:has(input[name="consent"])')
        assert no_sideways_scroll(page)
        page.tap("#submit")

        # The result page: the code, big and grouped.
        page.wait_for_selector("#tracking-code")
        code = page.get_attribute("#tracking-code", "data-code")
        assert page.inner_text("#tracking-code") == f"{code[:4]}-{code[4:8]}-{code[8:]}"
        assert page.locator("#tracking-code").bounding_box()["height"] >= 30
        appeal = Appeal.objects.get(tracking_code=code)
        assert appeal.phone_verified and appeal.intake_unit == persona.station_a
        assert Attachment.objects.filter(appeal=appeal).count() == 1

        # The tracking page, by the code.
        page.tap("#track-link")
        page.wait_for_selector('#state[data-state="submitted"]')
        assert page.locator("#rating").count() == 0

        # Staff do their part: Clara dispatches, Oliver signs, calls and concludes.
        concluded(persona, appeal)

        # The citizen looks again, types the code on the lookup form, and rates with taps.
        page.goto(f"{base}/portal/track/")
        page.fill("#id_code", f"{code[:4].lower()} {code[4:8]} {code[8:]}")
        page.tap("#track-form button[type=submit]")
        page.wait_for_selector('#state[data-state="concluded"]')
        assert page.locator('#timeline li[data-action="conclude"]').count() == 1
        assert persona.district_a1.name in page.inner_text("#timeline")
        page.tap('label.choice:has(input[name="resolved"][value="1"])')
        page.tap('label.choice:has(input[name="satisfaction"][value="5"])')
        assert tall_enough(page, 'label.choice:has(input[name="satisfaction"][value="5"])')
        page.tap("#send-rating")
        page.wait_for_selector("#thanks")
        assert page.locator("#rating").count() == 0
        assert no_sideways_scroll(page)

        # The large-text mode, one tap away.
        page.tap("#large-toggle")
        page.wait_for_selector("html.large")
        assert no_sideways_scroll(page)
        # Django keeps a connection per context, and inside Playwright's synchronous API this block
        # runs in a context of its own: the services called above opened a second connection,
        # closed here, or PostgreSQL keeps the test database busy and cannot drop it at the end.
        connections.close_all()

    follow_up = FollowUp.objects.get(appeal=appeal)
    assert (
        follow_up.channel == FollowUpChannel.LINK
        and follow_up.resolved is True
        and follow_up.satisfaction == 5
    )
    appeal.refresh_from_db()
    assert appeal.state == State.FOLLOWED_UP
