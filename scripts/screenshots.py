"""Take the README's screenshots from a running demo (`make demo` in another terminal).

make screenshots            # or: python scripts/screenshots.py --url http://127.0.0.1:8000

`--only portal` takes only the public portal's shots. The tracking page shown is that of a demo
appeal awaiting the citizen's rating, found in the demo's database: run the script with the same
DATABASE_URL (and JINGMIN_DEBUG) as the server, or name one with `--tracking-code`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jingmin.core.browser import DESKTOP, PHONE, chromium  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="chief")
    parser.add_argument("--password", default=os.environ.get("JINGMIN_DEMO_PASSWORD", "Jingmin@2026"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", choices=["all", "portal"], default="all", help="which shots to take")
    parser.add_argument("--tracking-code", default="", help="the appeal shown on the portal's tracking page")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # Looked up before the browser starts: Django refuses queries inside Playwright's event loop.
    tracking_code = args.tracking_code or demo_tracking_code()
    if args.only == "portal":
        with chromium() as browser:
            portal_shots(browser, args.url, out, tracking_code)
        return
    # (file, account, path, viewport): the home page, an officer's work on a phone, a clerk's
    # queue at the desk and as cards on a phone.
    shots = [
        ("home.png", args.user, "/", DESKTOP),
        ("home-phone.png", args.user, "/", PHONE),
        ("my-work-phone.png", "officer", "/appeals/mine/", PHONE),
        ("queue.png", "clerk", "/appeals/", DESKTOP),
        ("queue-phone.png", "clerk", "/appeals/", PHONE),
        # The leader's dashboard, the chief's disputes and surveys, the officer's field app.
        ("dashboard.png", "leader", "/metrics/", DESKTOP),
        ("disputes-phone.png", "chief", "/disputes/", PHONE),
        ("surveys.png", "chief", "/evaluation/surveys/", DESKTOP),
        ("field-phone.png", "officer", "/field/", PHONE),
    ]
    # A phone's long list is shown as its first screen; a desk page whole.
    first_screen = {"my-work-phone.png", "queue-phone.png", "disputes-phone.png", "field-phone.png"}
    with chromium() as browser:
        for name, user, path, viewport in shots:
            page = browser.new_page(viewport=viewport)
            page.goto(f"{args.url}/signin/")
            page.fill("#id_username", user)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_selector("nav.mainnav", state="attached")
            page.goto(f"{args.url}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / name), full_page=name not in first_screen)
            print(out / name)
            page.close()
        # The first appeal of the officer's list, on the phone: clocks, actions and history.
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{args.url}/signin/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", args.password)
        page.click("button[type=submit]")
        page.wait_for_selector("nav.mainnav", state="attached")
        page.goto(f"{args.url}/appeals/mine/")
        first = page.locator("ul a[href^='/appeals/']").first.get_attribute("href")
        page.goto(f"{args.url}{first}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / "appeal-phone.png"), full_page=False)
        print(out / "appeal-phone.png")
        page.close()
        portal_shots(browser, args.url, out, tracking_code)


def demo_tracking_code() -> str:
    """A demo appeal concluded and awaiting the citizen's rating: its page shows the most."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from jingmin.appeals.models import FollowUp, State

    code = (
        FollowUp.objects.filter(answered_at__isnull=True, appeal__state=State.CONCLUDED)
        .order_by("-appeal__concluded_at")
        .values_list("appeal__tracking_code", flat=True)
        .first()
    )
    if code is None:
        raise SystemExit("no concluded demo appeal awaits a rating; name one with --tracking-code")
    return code


def portal_shots(browser: Any, url: str, out: Path, tracking_code: str) -> None:
    """The public portal on a phone: the submit form and a tracking page, as a citizen sees them."""
    page = browser.new_page(viewport=PHONE)
    # The form as it first fills the screen; the tracking page whole, with its timeline.
    for name, path, whole in (
        ("portal-phone.png", "/portal/submit/", False),
        ("portal-track-phone.png", f"/portal/track/{tracking_code}/", True),
    ):
        page.goto(f"{url}{path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / name), full_page=whole)
        print(out / name)
    page.close()


if __name__ == "__main__":
    main()
