"""In Debian's Chromium: Li, the bureau leader, opens the bureau's indicators for March 2026,
finds station A in the table of stations, clicks its satisfaction rate and lands on the figure's
page listing the follow-ups it counted (a1, a2, a3, a7, a10) and the one left out (a9, unreasonable)."""

from __future__ import annotations

import pytest

from jingmin.core.browser import chromium
from jingmin.metrics.tests.conftest import build_station, signed_in_desktop_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


def test_li_opens_a_stations_satisfaction_rate_and_sees_the_follow_ups_counted(live_server, persona):
    station = build_station(persona)
    with chromium() as browser:
        page = signed_in_desktop_page(browser, live_server.url, "li")

        page.goto(f"{live_server.url}/metrics/?from=2026-03-01&to=2026-03-31")
        assert persona.bureau.name in page.inner_text("h1")
        # The charts are drawn from the page's data by the static script.
        page.wait_for_selector("[data-chart=bar] canvas")
        row = page.locator(f'#unit-table tr[data-unit="{persona.station_a.pk}"]')
        cell = row.locator('td[data-key="satisfaction"] a')
        assert cell.inner_text().startswith("60.0%")
        cell.click()

        page.wait_for_selector("#figure")
        assert page.get_attribute("#figure", "data-key") == "satisfaction"
        assert page.inner_text("#figure-numerator") == "3"
        assert page.inner_text("#figure-denominator") == "5"
        counted = page.locator("#records-denominator li").all_inner_texts()
        codes = {station.appeals[k].tracking_code for k in ("a1", "a2", "a3", "a7", "a10")}
        assert {c for c in codes if any(c in line for line in counted)} == codes
        assert len(counted) == 5
        left_out = page.inner_text("#records-excluded")
        assert station.appeals["a9"].tracking_code in left_out and "不合理" in left_out
        # Each follow-up opens its appeal.
        page.locator("#records-denominator li a").first.click()
        page.wait_for_url("**/appeals/*/")
