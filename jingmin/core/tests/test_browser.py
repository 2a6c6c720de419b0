"""In Debian's Chromium: sign-in, the home page on a 360-px phone, htmx filtering, and an
administrator setting up the second factor from the key the page shows."""

import base64

import pytest
from django_otp.oath import TOTP

from conftest import PASSWORD
from jingmin.core.browser import DESKTOP, PHONE, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _audit_guard(audit_guard_lifted):
    pass


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def sign_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_chief_on_a_phone(browser, live_server, persona):
    # Playwright evaluates a string predicate in the page, which the enforced policy forbids; the policy
    # itself is walked page by page in jingmin/core/tests/test_browser_csp.py.
    page = browser.new_page(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    sign_in(page, live_server.url, "chen")
    page.wait_for_selector("h1:has-text('陈所长')")
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".card").count() >= 3
    # The menu is folded on a phone: one tap opens it.
    assert not page.is_visible("nav.mainnav")
    page.click("details.navmenu > summary")
    page.click("nav.mainnav >> text=人员")
    page.wait_for_selector("#staff-table")
    assert page.locator("#staff-table tbody tr").count() == 3
    page.fill("#id_q", "欧立文")
    page.wait_for_function("document.querySelectorAll('#staff-table tbody tr').length === 1")
    assert "欧立文" in page.inner_text("#staff-table")
    assert "q=" in page.url  # the filter is in the address, so it survives a reload or a shared link
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()


def test_large_text_and_english(browser, live_server, persona):
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, live_server.url, "oliver")
    page.wait_for_selector(".cards")
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.click("[data-toggle-large]")
    after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after > before
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('large')")
    page.click("button[value=en]")
    page.wait_for_selector("text=Sign out")
    assert "Hello" in page.inner_text("h1")
    page.close()


def test_auditor_sets_up_the_second_factor(browser, live_server, persona):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, live_server.url, "audrey")
    page.wait_for_selector("[data-otp-secret]")
    secret = page.inner_text("[data-otp-secret]").strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_token", f"{TOTP(key).token():06d}")
    page.click("button[type=submit]")
    page.wait_for_selector("nav.mainnav >> text=审计日志", state="attached")
    page.click("details.navmenu > summary")
    page.click("nav.mainnav >> text=审计日志")
    page.wait_for_selector("#audit-rows")
    assert "设置第二重验证" in page.inner_text("#audit-rows") or "audrey" in page.inner_text("#audit-rows")
    page.close()
