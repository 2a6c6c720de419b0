"""In Debian's Chromium on a 360-px phone: the calendar fits, and a bad pasted line is named."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from conftest import signed_in
from jingmin.core.browser import PHONE, chromium
from jingmin.worktime.models import CalendarYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _audit_guard(audit_guard_lifted):
    pass


def test_calendar_on_a_phone(live_server, persona):
    # An earlier transactional test may have emptied the tables the migration filled.
    call_command("calendar_seed", "--year", "2025", stdout=StringIO())
    session = signed_in(persona.sam).cookies[settings.SESSION_COOKIE_NAME].value
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/calendar/?year=2025")
        page.wait_for_selector("table.month")
        assert page.locator("table.month").count() == 12
        assert (
            page.locator("table.month td.holiday").count()
            == page.locator(".special-days .badge.danger").count()
        )
        # Nothing wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.fill("#id_publish-year", "2027")
        page.fill("#id_publish-lines", "2027-01-01 holiday 元旦\n2027-02-30 holiday 春节")
        page.click("form:has(input[value=publish]) button[type=submit]")
        page.wait_for_selector(".has-error")
        assert "2027-02-30" in page.inner_text(".has-error .error")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        context.close()
    assert not CalendarYear.objects.filter(year=2027).exists()
