"""The permission matrix's rows for the page shell and the project-level URLs: home, the health
check, the language switch and the portal's image captcha (see `access.py`)."""

from __future__ import annotations

from types import SimpleNamespace

from captcha.models import CaptchaStore  # type: ignore[import-untyped]

from jingmin.core.tests.access import EVERYONE, NOBODY, SIGNED_IN, Row, get, page, post


def build(w):
    return SimpleNamespace(captcha=CaptchaStore.generate_key())


def _captcha(w):
    return {"key": w.core.captcha}


ROWS = [
    page("core:home", SIGNED_IN),
    page("core:healthz", EVERYONE, public=True),
    # Whether the node can serve: no tasks worker has run the heartbeat in a test, so it may say
    # 503; either way it answers everyone alike.
    page("core:readyz", EVERYONE, public=True, ok=(200, 503), why="no worker heartbeat in a test"),
    Row(
        "set_language",
        (
            # A GET only sends back where it came from (home, here); the switch itself is a POST.
            get(EVERYONE, ok=(302,), lands="core:home"),
            post(
                EVERYONE,
                body=lambda w: {"language": "en", "next": "/portal/"},
                lands="portal:home",
                writes=NOBODY,
            ),
        ),
    ),
    page("captcha-image", EVERYONE, args=_captcha, public=True),
    page("captcha-image-2x", EVERYONE, args=_captcha, public=True),
    # No speech synthesiser is configured (CAPTCHA_FLITE_PATH), so the library answers 404 to
    # everyone alike: the portal offers no audio captcha.
    page("captcha-audio", EVERYONE, args=_captcha, ok=(404,), why="no audio captcha is configured"),
    # A fresh challenge for the portal's "another one" link: a new row of the library's store.
    page(
        "captcha-refresh",
        EVERYONE,
        headers={"X-Requested-With": "XMLHttpRequest"},
        may_write=frozenset({"captcha_captchastore"}),
    ),
]
