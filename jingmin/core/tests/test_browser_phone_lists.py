"""On a 360-px phone every list is a column of cards: the main text of each row (an appeal's
title, a person's name, an audit action) keeps at least 8 characters a line, and no list page
scrolls sideways. Measured in Debian's Chromium with the boxes of the text itself."""

# ruff: noqa: F811 (pytest injects the imported fixtures by parameter name)
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import signed_in
from jingmin.appeals.models import Appeal
from jingmin.appeals.tests.conftest import register, walk_to  # noqa: F401 (the fixture)
from jingmin.core.browser import PHONE
from jingmin.core.tests.layout import cramped, main_text_lines
from jingmin.ledger.tests.conftest import ledger_a1  # noqa: F401 (the fixture)

# The ledger's phone test seeds what a transactional test emptied (care tags included) and keeps
# one browser for the module; the same fixtures serve here.
from jingmin.ledger.tests.test_browser_phone import _seeded, browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "小区东门外烧烤摊每晚营业到凌晨两点油烟和噪音严重影响居民休息"

# (who, path): every list page, as the person whose list it is.
LISTS = [
    ("clara", "/appeals/"),
    ("oliver", "/appeals/mine/"),
    ("chen", "/appeals/supervision/"),
    ("clara", "/appeals/follow-ups/"),
    ("oliver", "/ledger/"),
    ("audrey", "/audit/"),
]


def phone_page(browser, base: str, user):
    # The session of a signed-in client (with the second factor where the role needs one).
    session = signed_in(user).cookies["sessionid"].value
    # Playwright evaluates a string predicate in the page, which the enforced policy forbids; the policy
    # itself is walked page by page in jingmin/core/tests/test_browser_csp.py.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return context.new_page()


@pytest.fixture
def lists(persona, register, ledger_a1):
    for i in range(3):
        walk_to(persona, register(title=f"{LONG}{i}"), "dispatched")
    concluded = walk_to(persona, register(title=f"{LONG}（已办结）"), "concluded")
    Appeal.objects.filter(state="dispatched").update(due_at=timezone.now() + timedelta(hours=2))
    return concluded


def test_every_list_is_cards_with_readable_lines_on_a_phone(browser, live_server, persona, lists):
    base = live_server.url
    for who, path in LISTS:
        page = phone_page(browser, base, getattr(persona, who))
        page.goto(f"{base}{path}")
        measures = main_text_lines(page)
        assert measures, f"{path}: no list rows shown"
        assert not cramped(measures), f"{path}: {cramped(measures)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.context.close()


def test_the_measure_catches_a_cramped_column(browser, live_server, persona, lists):
    # The same queue with its title column squeezed, as a wide table left it on a phone.
    page = phone_page(browser, live_server.url, persona.clara)
    page.goto(f"{live_server.url}/appeals/")
    page.add_style_tag(content=".list-main { display: inline-block; width: 3em; }")
    assert cramped(main_text_lines(page))
    page.context.close()
