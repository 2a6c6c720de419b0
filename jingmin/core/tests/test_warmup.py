"""A web process builds its URL tables and its first pages' templates at start, so the first
person's request does not pay for them."""

from unittest import mock

from django.conf import settings
from django.template import engines
from django.urls import URLResolver, clear_url_caches, get_resolver, reverse
from django.utils import translation

from jingmin.core.warmup import FIRST_TEMPLATES, warm_up

NAMES = ("core:home", "org:signin", "appeals:queue", "audit:log", "portal:home")


def test_after_warm_up_no_reverse_builds_a_table_in_any_language():
    clear_url_caches()
    warm_up()
    with mock.patch.object(URLResolver, "_populate", side_effect=AssertionError("built on request")):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for name in NAMES:
                    assert reverse(name)
                get_resolver().resolve(reverse("appeals:queue"))


def test_without_warm_up_the_first_reverse_builds_the_tables():
    # The test above would pass for nothing if reverse() never built a table on its own.
    clear_url_caches()
    with mock.patch.object(URLResolver, "_populate", side_effect=AssertionError("built on request")):
        try:
            reverse("appeals:queue")
        except AssertionError:
            return
    raise AssertionError("reverse() did not build its table")


def test_warm_up_compiles_the_first_pages():
    engine = engines["django"].engine  # type: ignore[attr-defined]
    loader = engine.template_loaders[0]
    loader.reset()
    warm_up()
    cached = set(loader.get_template_cache)
    assert all(name in cached for name in FIRST_TEMPLATES)
