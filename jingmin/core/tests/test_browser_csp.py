"""In Debian's Chromium, every page each role may open (and the public ones, signed out), walked
under the enforced Content-Security-Policy: not one violation reported, not one script error."""

from __future__ import annotations

import pytest

from jingmin.core.browser import chromium
from jingmin.core.tests.walk import walk_every_page, walk_world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def test_no_page_of_any_role_breaks_the_content_security_policy(browser, live_server, walk_world):  # noqa: F811
    # The policy and the pages' scripts do not depend on the database, and the walk takes minutes:
    # it runs on SQLite only. Every page's answer on PostgreSQL is checked by the permission matrix.
    broken: list[str] = []
    for visit in walk_every_page(
        browser, live_server.url, walk_world, why="the policy does not depend on the database"
    ):
        # Enforced, not only reported: the answer carries the policy itself.
        if "script-src 'self'" not in visit.headers.get("content-security-policy", ""):
            broken.append(f"{visit.where}: no Content-Security-Policy")
        csp_console = [m for m in visit.console_errors if "Content Security Policy" in m]
        broken += [
            f"{visit.where}: {problem}" for problem in (*visit.violations, *csp_console, *visit.script_errors)
        ]
    assert not broken, "\n".join(broken)
