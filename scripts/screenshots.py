"""Take the README's screenshots from a running demo (`make demo` in another terminal).

make screenshots            # or: python scripts/screenshots.py --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jingmin.core.browser import DESKTOP, PHONE, chromium  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="chief")
    parser.add_argument("--password", default=os.environ.get("JINGMIN_DEMO_PASSWORD", "Jingmin@2026"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # (file, account, path, viewport): the home page, an officer's work on a phone, a clerk's queue.
    shots = [
        ("home.png", args.user, "/", DESKTOP),
        ("home-phone.png", args.user, "/", PHONE),
        ("my-work-phone.png", "officer", "/appeals/mine/", PHONE),
        ("queue.png", "clerk", "/appeals/", DESKTOP),
    ]
    with chromium() as browser:
        for name, user, path, viewport in shots:
            page = browser.new_page(viewport=viewport)
            page.goto(f"{args.url}/signin/")
            page.fill("#id_username", user)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_selector("nav.mainnav")
            page.goto(f"{args.url}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / name), full_page=name != "my-work-phone.png")
            print(out / name)
            page.close()
        # The first appeal of the officer's list, on the phone: clocks, actions and history.
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{args.url}/signin/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", args.password)
        page.click("button[type=submit]")
        page.wait_for_selector("nav.mainnav")
        page.goto(f"{args.url}/appeals/mine/")
        first = page.locator("ul a[href^='/appeals/']").first.get_attribute("href")
        page.goto(f"{args.url}{first}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / "appeal-phone.png"), full_page=False)
        print(out / "appeal-phone.png")
        page.close()


if __name__ == "__main__":
    main()
