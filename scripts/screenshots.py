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
    with chromium() as browser:
        for name, viewport in (("home.png", DESKTOP), ("home-phone.png", PHONE)):
            page = browser.new_page(viewport=viewport)
            page.goto(f"{args.url}/signin/")
            page.fill("#id_username", args.user)
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_selector(".cards")
            page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
            page.close()


if __name__ == "__main__":
    main()
