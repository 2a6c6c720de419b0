"""In Debian's Chromium, every step on a 360-px phone: a citizen submits an appeal without naming
a station and marks it urgent; it lands on the command centre's desk, where Cora confirms the
urgency, accepts it and dispatches it to district A1; Oliver signs for it and concludes it; Cora,
not Oliver, records the follow-up (not resolved); the citizen's tracking page shows that answer
as given."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from jingmin.appeals.models import Appeal, State, Urgency
from jingmin.core.browser import PHONE, chromium
from jingmin.portal.tests.conftest import PHONE as CITIZEN_PHONE
from jingmin.portal.tests.conftest import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def staff_phone(browser, base: str, username: str):
    page = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True).new_page()
    page.goto(f"{base}/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.mainnav", state="attached")
    return page


def step(page, action: str):
    page.click(f'details[data-action="{action}"] > summary')
    return page.locator(f'details[data-action="{action}"] form')


def test_a_portal_appeal_without_a_station_walks_from_the_desk_to_the_citizens_answer(
    live_server, persona, centre, run_tasks, sms_outbox
):
    base = live_server.url
    with chromium() as browser:
        citizen = browser.new_context(
            viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True
        ).new_page()
        citizen.goto(f"{base}/portal/submit/")
        assert citizen.locator('#danger-first a[href="tel:110"]').count() == 1
        citizen.tap('label.check:has(input[name="urgent"])')
        citizen.tap('label.choice:has(input[name="type"][value="help"])')
        citizen.select_option("#id_category", label="老人儿童救助")
        citizen.fill("#id_content", "我父亲78岁，早上出门买菜一直没回来，手机也没带。")
        citizen.fill("#id_address", "人民路菜市场附近")
        # The station is left at its default: 不确定.
        citizen.fill("#id_citizen_phone", CITIZEN_PHONE)
        citizen.tap("#send-code")
        citizen.wait_for_selector("#code-sent")
        run_tasks()
        citizen.fill("#id_code", code_for(sms_outbox, CITIZEN_PHONE))
        citizen.tap('label.check:has(input[name="consent"])')
        assert no_sideways_scroll(citizen)
        citizen.tap("#submit")
        citizen.wait_for_selector("#tracking-code")
        code = citizen.get_attribute("#tracking-code", "data-code")
        appeal = Appeal.objects.get(tracking_code=code)
        assert appeal.unit == centre.unit
        assert appeal.urgency_suggested == Urgency.URGENT
        run_tasks()
        assert any(code in m.text for m in sms_outbox if m.phone == CITIZEN_PHONE)  # the receipt

        # Cora, the command centre's clerk: the appeal waits at the top of her queue.
        cora = staff_phone(browser, base, "cora")
        cora.goto(f"{base}/appeals/")
        assert cora.locator(".desk-list li").first.get_attribute("data-appeal") == str(appeal.pk)
        assert no_sideways_scroll(cora)
        cora.click(f'.desk-list li[data-appeal="{appeal.pk}"] a')
        cora.wait_for_selector("#urgency-suggested")
        form = step(cora, "urgency")
        form.locator('input[name="urgency-confirm"][value="1"]').check()
        form.locator("button[type=submit]").click()
        cora.wait_for_selector(".msg.success")
        assert cora.locator("#urgency-suggested").count() == 0
        step(cora, "accept").locator("button[type=submit]").click()
        cora.wait_for_selector('.badge.state[data-state="accepted"]')
        form = step(cora, "dispatch")
        form.locator('select[name="dispatch-unit"]').select_option(str(persona.district_a1.pk))
        form.locator("button[type=submit]").click()
        cora.wait_for_selector('.badge.state[data-state="dispatched"]')
        assert no_sideways_scroll(cora)

        # Oliver signs for it and concludes it; the follow-up is not his to record.
        oliver = staff_phone(browser, base, "oliver")
        oliver.goto(f"{base}/appeals/{appeal.pk}/")
        oliver.click('form[data-action="sign"] button[type=submit]')
        oliver.wait_for_selector('.badge.state[data-state="signed"]')
        form = step(oliver, "conclude")
        form.locator('input[name="conclude-result"][value="solved"]').check()
        form.locator('textarea[name="conclude-note"]').fill("已在菜市场附近找到老人，送回家中")
        form.locator("button[type=submit]").click()
        oliver.wait_for_selector('.badge.state[data-state="concluded"]')
        assert oliver.locator('details[data-action="follow-up"]').count() == 0

        # Cora calls the family back: not resolved in their eyes, dissatisfied.
        cora.goto(f"{base}/appeals/{appeal.pk}/")
        form = step(cora, "follow-up")
        form.locator('input[name="follow-up-resolved"][value="0"]').check()
        form.locator('input[name="follow-up-satisfaction"][value="2"]').check()
        form.locator("button[type=submit]").click()
        cora.wait_for_selector('.badge.state[data-state="followed_up"]')

        # The citizen's tracking page shows the answer as given.
        citizen.goto(f"{base}/portal/track/{code}/")
        citizen.wait_for_selector('#answer[data-resolved="no"]')
        status = citizen.inner_text('section[aria-labelledby="status-h"]')
        assert "未解决" in status and "不满意" in status
        assert "已解决" not in status and "回访已完成" not in status
        assert no_sideways_scroll(citizen)
        appeal.refresh_from_db()
        assert appeal.state == State.FOLLOWED_UP and appeal.urgency == Urgency.URGENT
