"""Walking every page each actor may open, in Chromium, so that checks of whole pages plug in.

The pages are the permission matrix's own (`access.py`): every GET case of every app's
`access_rows.py` that the actor is allowed and that answers 200, on the matrix's world (station A
and district A1, built through the services). Each persona is signed in by its session cookie,
with a verified second factor where the role needs one; `anonymous` walks the public pages. What
is not a page (JSON, images, downloads) is passed over.

A test uses it like this:

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_no_page_breaks(browser, live_server, walk_world):
        for visit in walk(browser, live_server.url, walk_world):
            assert not visit.violations, visit.where

Each `Visit` carries the loaded page (still open: check anything on it), the status and headers
of its answer, the errors
the page wrote to the console, its uncaught script errors and the Content-Security-Policy
violations it reported (collected from the first byte, by a script the browser runs before the
page's own).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings

from jingmin.core.browser import DESKTOP
from jingmin.core.tests.access import (
    ACTORS,
    ANONYMOUS,
    World,
    all_rows,
    forget_process_caches,
    populated_world,
    rows_modules,
    url_of,
)

# Runs before any script of the page: every policy violation the document reports is kept.
_RECORDER = """
window.__jmViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__jmViolations.push({
    directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample
  });
}, true);
"""

# After the load event, one frame and one turn of the event loop: the deferred scripts have run
# and drawn (charts, maps) and what they reported has arrived.
_SETTLED = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))"


@dataclass
class Visit:
    actor: str
    name: str  # the URL pattern's name
    url: str
    page: Any  # Playwright's Page, loaded
    status: int
    headers: dict[str, str]  # the page's own answer's, names in lower case
    console_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.name} {self.url} as {self.actor}"


def page_urls(w: World, actor: str) -> list[tuple[str, str]]:
    """(URL name, URL) of every page the actor may open: the matrix's GET cases that let the
    actor in with a 200, other than the API's (programs read those)."""
    found: dict[str, str] = {}
    for row in all_rows().values():
        for case in row.cases:
            if case.method != "GET" or case.api or case.headers:
                continue  # what a program asks for (the API, a script's own request) is no page
            if actor not in case.allowed or 200 not in case.ok_of(actor):
                continue
            url = url_of(row, case, w)
            found.setdefault(url, row.name)
    return [(name, url) for url, name in found.items()]


def build_walk_world() -> World:
    """The matrix's world, committed (a live server reads it from another thread)."""
    modules = rows_modules()
    forget_process_caches(modules)
    return populated_world(modules)


@pytest.fixture
def walk_world(audit_guard_lifted, reference_data, settings, tmp_path) -> Iterator[World]:
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_walk_world()
    yield w
    forget_process_caches(rows_modules())


def walk(
    browser: Any,
    base: str,
    w: World,
    *,
    actors: Iterable[str] = ACTORS,
    viewport: dict[str, int] = DESKTOP,
    only: Iterable[str] = (),
) -> Iterator[Visit]:
    """Open every page of each actor in turn and yield it loaded (`only`: these URL names)."""
    from playwright.sync_api import Error

    wanted = set(only)
    for actor in actors:
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        context.add_init_script(_RECORDER)
        if actor != ANONYMOUS:
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": w.sessions[actor], "url": base}]
            )
        page = context.new_page()
        console: list[str] = []
        errors: list[str] = []
        page.on("console", lambda m, console=console: console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        try:
            for name, url in page_urls(w, actor):
                if wanted and name not in wanted:
                    continue
                console.clear()
                errors.clear()
                try:
                    response = page.goto(base + url, wait_until="load")
                except Error as error:
                    # A download (an export, a file) is no page to look at.
                    if "Download is starting" in str(error):
                        continue
                    raise
                if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                    continue
                page.evaluate(_SETTLED)
                yield Visit(
                    actor=actor,
                    name=name,
                    url=url,
                    page=page,
                    status=response.status,
                    headers=response.headers,
                    console_errors=list(console),
                    script_errors=list(errors),
                    violations=page.evaluate("window.__jmViolations || []"),
                )
        finally:
            context.close()


def walk_every_page(browser: Any, base: str, w: World, *, why: str) -> Iterator[Visit]:
    """Every page of every actor, for a check that does not depend on the database: walked on
    SQLite only (the walk takes minutes; `why` says why the check holds on PostgreSQL too), and
    failing when too few pages were walked to mean anything."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip(f"walked on SQLite; {why}")
    pages = 0
    for visit in walk(browser, base, w):
        pages += 1
        yield visit
    assert pages > 100, f"only {pages} pages walked: are the permission matrix's rows collected?"
