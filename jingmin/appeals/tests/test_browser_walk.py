"""In Debian's Chromium, one appeal's whole walk through the pages: Clara registers it and
dispatches it to district A1; Oliver, on a 360-px phone, signs for it, records the contact and
concludes it with a photo; Clara records a dissatisfied follow-up; Ines finds the demand
reasonable, which reopens it; Oliver concludes it again."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from jingmin.appeals.models import (
    Appeal,
    AppealEvent,
    FollowUp,
    ReviewOutcome,
    State,
)
from jingmin.core.browser import DESKTOP, PHONE, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def signed_in_page(browser, base: str, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.mainnav", state="attached")
    return page


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def open_step(page, action: str):
    """Open the step's form on the appeal page (each step folds away under its button)."""
    page.click(f'details[data-action="{action}"] > summary')
    return page.locator(f'details[data-action="{action}"] form')


def conclude(page, base: str, pk: int, note: str, photo=None) -> None:
    page.goto(f"{base}/appeals/{pk}/")
    form = open_step(page, "conclude")
    form.locator('input[name="conclude-result"][value="solved"]').check()
    form.locator('textarea[name="conclude-note"]').fill(note)
    if photo is not None:
        form.locator('input[name="conclude-files"]').set_input_files(photo)
    form.locator("button[type=submit]").click()
    page.wait_for_selector('.badge.state[data-state="concluded"]')


def test_an_appeal_walks_from_intake_through_a_reopening_to_its_second_conclusion(
    browser, live_server, persona, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    photo = tmp_path / "after.png"
    photo.write_bytes(PNG)

    # Clara, at her desk, registers the call and dispatches it to district A1 in one go.
    clara = signed_in_page(browser, base, "clara", DESKTOP)
    clara.goto(f"{base}/appeals/new/")
    assert clara.evaluate("document.activeElement.name") == "channel"
    clara.select_option("#id_channel", "phone")
    clara.select_option("#id_type", "complaint")
    clara.select_option("#id_category", label="噪音扰民")
    clara.fill("#id_title", "楼上深夜装修噪音")
    clara.fill("#id_content", "东门小区3栋楼上每晚12点后装修，影响休息。")
    clara.fill("#id_citizen_phone", "13812345678")
    clara.fill("#id_citizen_name", "王小明")
    clara.fill("#id_address", "东门小区3栋2单元")
    clara.select_option("#id_dispatch_to", str(persona.district_a1.pk))
    # Enter in a one-line field sends the form: the keyboard alone is enough.
    clara.press("#id_address", "Enter")
    clara.wait_for_selector(".tracking-code")
    code = clara.get_attribute(".tracking-code", "data-code")
    appeal = Appeal.objects.get(tracking_code=code)
    assert appeal.state == State.DISPATCHED and appeal.unit == persona.district_a1
    assert clara.inner_text(".tracking-code").replace(" ", "") == code

    # Oliver, on his phone: the appeal is on his list; one tap signs for it.
    oliver = signed_in_page(browser, base, "oliver", PHONE)
    oliver.goto(f"{base}/appeals/mine/")
    item = f"#appeal-{appeal.pk}"
    oliver.wait_for_selector(f'{item}[data-state="dispatched"]')
    assert no_sideways_scroll(oliver)
    assert oliver.locator(f"{item} button.sign").bounding_box()["height"] >= 44
    oliver.click(f"{item} button.sign")
    oliver.wait_for_selector(f'{item}[data-state="signed"]')
    assert "/appeals/mine/" in oliver.url  # swapped in place, no page load
    # Calling: the number appears only when asked for, as a tel: link.
    assert oliver.locator(f'{item} a[href^="tel:"]').count() == 0
    oliver.click(f"{item} button.call")
    oliver.wait_for_selector(f'{item} a[href="tel:13812345678"]')

    # He records the contact and concludes with a photo.
    oliver.goto(f"{base}/appeals/{appeal.pk}/")
    assert no_sideways_scroll(oliver)
    form = open_step(oliver, "contact")
    form.locator('textarea[name="contact-note"]').fill("已电话联系，今晚上门")
    form.locator("button[type=submit]").click()
    oliver.wait_for_selector('.badge.state[data-state="handling"]')
    conclude(oliver, base, appeal.pk, "已上门协调，业主承诺夜间停工", photo=str(photo))
    assert oliver.locator(".files a").count() == 1
    assert no_sideways_scroll(oliver)

    # Clara calls the citizen back: not resolved, dissatisfied.
    clara.goto(f"{base}/appeals/follow-ups/")
    follow_up = FollowUp.objects.get(appeal=appeal)
    row = f"#follow-up-{follow_up.pk}"
    clara.click(f"{row} details > summary")
    clara.check(f'{row} input[name="follow-up-resolved"][value="0"]')
    clara.check(f'{row} input[name="follow-up-satisfaction"][value="2"]')
    clara.fill(f'{row} textarea[name="follow-up-note"]', "晚上还是很吵")
    clara.click(f"{row} details form button[type=submit]")
    clara.wait_for_selector(".msg.success")
    assert clara.locator(row).count() == 0
    follow_up.refresh_from_db()
    assert follow_up.review == ReviewOutcome.PENDING

    # Ines (an inspector: a business role, no second factor) finds the demand reasonable.
    ines = signed_in_page(browser, base, "ines", DESKTOP)
    ines.goto(f"{base}/appeals/reviews/")
    review = f"#review-{follow_up.pk}"
    assert "晚上还是很吵" in ines.inner_text(review)
    ines.click(f"{review} details > summary")
    ines.check(f'{review} input[name="review-reasonable"][value="1"]')
    ines.fill(f'{review} textarea[name="review-note"]', "噪音确未解决，诉求合理")
    ines.click(f"{review} details form button[type=submit]")
    ines.wait_for_selector(".msg.success")
    assert ines.locator(review).count() == 0
    ines.goto(f"{base}/appeals/{appeal.pk}/")
    assert ines.get_attribute(".badge.state", "data-state") == "handling"
    assert ines.locator('#timeline li[data-action="reopen"]').count() == 1

    # Back on Oliver's list; he concludes it again.
    oliver.goto(f"{base}/appeals/mine/")
    oliver.wait_for_selector(f'{item}[data-state="handling"]')
    conclude(oliver, base, appeal.pk, "再次上门，已停止夜间施工")
    timeline = oliver.locator("#timeline li").evaluate_all("items => items.map(i => i.dataset.action)")
    assert timeline == [
        "register",
        "accept",
        "dispatch",
        "sign",
        "contact",
        "conclude",
        "follow-up",
        "review",
        "reopen",
        "conclude",
    ]
    appeal.refresh_from_db()
    assert appeal.state == State.CONCLUDED and appeal.reopen_count == 1
    assert AppealEvent.objects.filter(appeal=appeal, action="conclude", actor=persona.oliver).count() == 2
    assert FollowUp.objects.filter(appeal=appeal).count() == 2  # a new follow-up is owed
    for page in (clara, oliver, ines):
        page.context.close()
