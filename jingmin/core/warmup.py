"""Work a web process does once, at start, instead of on the first person's request.

Django builds the URL resolver's reverse tables (one per language), compiles templates and loads
translation catalogs lazily, on the first request that needs each. On the demo that made the first
sign-in of a fresh process wait about 70 ms of CPU more than later ones (docs/benchmarks.md).
jieba's dictionary, which every search of appeals and every routing suggestion needs, takes
about a second more. `config/wsgi.py` calls `warm_up()` after the application is built, so it runs in every server
process (runserver and gunicorn alike) and in no management command or test.
"""

from __future__ import annotations

from contextlib import suppress

from django.conf import settings
from django.template.loader import get_template
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

from jingmin.core.words import segmenter

# The pages every person meets first: sign-in, the shell and the home page.
FIRST_TEMPLATES = ("org/signin.html", "core/home.html")


def _populate(resolver: URLResolver, namespace: str = "") -> None:
    resolver.reverse_dict  # noqa: B018 (reading it builds the language's tables)
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            _populate(pattern)
    for name, (_prefix, inner) in resolver.namespace_dict.items():
        qualified = f"{namespace}{name}:"
        # A namespace under a prefix is reversed through a resolver of its own that Django
        # builds and fills on the first reverse() into it; one name is enough to make it.
        first = next((key for key in inner.reverse_dict if isinstance(key, str)), None)
        if first is not None:
            # A name that needs arguments fails to reverse; its resolver was built all the same.
            with suppress(NoReverseMatch):
                reverse(qualified + first)
        _populate(inner, qualified)


def warm_up() -> None:
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            _populate(get_resolver())
    for name in FIRST_TEMPLATES:
        get_template(name)
    # jieba's dictionary (about a second): the first search or routing suggestion would wait.
    segmenter()
