"""In Debian's Chromium on a 360-px phone: Oliver finds a person of his district and adds a member
to the household from the address tree; Chen reveals an ID number with one tap; no ledger page
scrolls sideways."""

from __future__ import annotations

import os

import pytest

from conftest import PASSWORD
from jingmin.audit.models import AuditEntry
from jingmin.core.browser import PHONE, chromium
from jingmin.ledger.models import Person
from jingmin.ledger.tests.conftest import make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set to a folder to keep a screenshot of each page (for reviewing the layout).
SHOTS = os.environ.get("JINGMIN_LEDGER_SHOTS", "")


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    from jingmin.ledger.models import Tag
    from jingmin.ledger.tags import seed_tags

    seed_tags(Tag)


@pytest.fixture(scope="module")
def browser():
    # One browser for the module, started before the test's database work (as in the appeals'
    # browser test): started inside the test, it left a database connection open at the end.
    with chromium() as browser:
        yield browser


def _phone(browser, base: str, username: str):
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    page.goto(f"{base}/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.mainnav", state="attached")
    return page


def _fits(page, name: str) -> bool:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"ledger-{name}.png"), full_page=True)
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_oliver_adds_a_member_on_his_phone_and_chen_reveals_an_id(browser, live_server, persona, ledger_a1):
    base = live_server.url
    person = ledger_a1["person"]
    oliver = _phone(browser, base, "oliver")
    oliver.goto(f"{base}/ledger/")
    oliver.fill("#id_q", "张")
    # The search runs as he types: its answer replaces the table and the page's address.
    oliver.wait_for_url("**/ledger/?q=*")
    oliver.wait_for_selector(f'tr[data-person="{person.pk}"]')
    assert _fits(oliver, "persons")
    oliver.click(f'tr[data-person="{person.pk}"] a')
    oliver.wait_for_selector("#id-number")
    assert person.id_number not in oliver.content() and _fits(oliver, "person")

    oliver.goto(f"{base}/ledger/addresses/")
    for name in ("城关镇", "东门社区", "东门路", "8号"):
        oliver.get_by_role("link", name=name, exact=True).click()
    oliver.click(f'a[href="/ledger/houses/{ledger_a1["house"].pk}/"]')
    assert _fits(oliver, "house")
    oliver.click(f'li[data-household="{ledger_a1["household"].pk}"] a')
    oliver.click(f'a[href="/ledger/persons/new/?household={ledger_a1["household"].pk}"]')
    oliver.fill("#id_name", "张小")
    good = make_id(seq=7)
    oliver.fill("#id_id_number", good[:17] + ("0" if good[17] != "0" else "1"))
    oliver.select_option("#id_relation", "child")
    oliver.click("button.primary")
    assert oliver.locator("p.error").count() >= 1 and _fits(oliver, "person-form-error")
    oliver.fill("#id_id_number", good)
    oliver.click("button.primary")
    oliver.wait_for_selector("#history")
    added = Person.objects.get(name="张小")
    assert added.household == ledger_a1["household"] and added.relation == "child"

    chen = _phone(browser, base, "chen")
    chen.goto(f"{base}/ledger/persons/{person.pk}/")
    chen.click('button[data-reveal="id_number"]')
    chen.wait_for_selector("[data-revealed]")
    assert person.id_number in chen.locator("#id-number").inner_text()
    assert AuditEntry.objects.filter(action="ledger.identifier_reveal", actor_username="chen").count() == 1

    chen.goto(f"{base}/ledger/imports/")
    assert _fits(chen, "imports")
    for page in (oliver, chen):
        page.context.close()
