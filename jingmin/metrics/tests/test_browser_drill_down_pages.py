"""In Debian's Chromium: Chen, the chief of station A, opens the satisfaction rate of March 2026,
two records a page; the counted follow-ups say they are five, he clicks "next" in that list and
sees the next two, without the page reloading, and the list of those left out stays as it was."""

from __future__ import annotations

import pytest

from jingmin.core.browser import chromium
from jingmin.metrics import registry
from jingmin.metrics.tests.conftest import build_station, signed_in_desktop_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


def test_chen_pages_through_the_follow_ups_counted(live_server, persona, monkeypatch):
    monkeypatch.setattr(registry, "PAGE_SIZE", 2)
    station = build_station(persona)
    with chromium() as browser:
        page = signed_in_desktop_page(browser, live_server.url, "chen")

        page.goto(f"{live_server.url}/metrics/figure/satisfaction/?from=2026-03-01&to=2026-03-31")
        counted = page.locator("#records-denominator")
        assert counted.get_attribute("data-total") == "5"
        first = counted.locator("li").evaluate_all("items => items.map(i => i.dataset.record)")
        assert len(first) == 2
        page.evaluate("window.__samePage = true")
        counted.locator("[data-pager=next]").click()
        page.wait_for_selector('#records-denominator[data-page="2"]')
        second = page.locator("#records-denominator li").evaluate_all(
            "items => items.map(i => i.dataset.record)"
        )
        assert len(second) == 2 and not set(first) & set(second)
        # Only the list was swapped: the page was not loaded again, the other lists stay.
        assert page.evaluate("window.__samePage") is True
        assert "denominator=2" in page.url
        left_out = page.inner_text("#records-excluded")
        assert station.appeals["a9"].tracking_code in left_out
