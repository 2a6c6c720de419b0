"""Reference data read on every registration — categories and deadline policies — kept per process.

They change a few times a year, on the settings page; registrations come by the hundred a second,
and reading them each time was two of a registration's queries. Each process keeps what it read
together with the version of the data it read it at. Any save or delete of a row (the settings
page, the admin, a shell) moves the version in the shared cache, and every process compares its
copy's version with it before use, so a change is seen by every web node at once when the cache is
shared (Redis). Without a shared cache each process has its own version, so a copy is also dropped
after `APPEAL_REFERENCE_CACHE_SECONDS`: other processes see a change within that time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from jingmin.appeals.models import Category

VERSION_KEY = "appeals:reference:version"
T = TypeVar("T")

# name -> (version, value, monotonic time read)
_copies: dict[str, tuple[Any, Any, float]] = {}


def cached(name: str, load: Callable[[], T]) -> T:
    # The version is read before the data: a change landing in between moves it, and the next
    # call reads again rather than keep the older data under the newer version.
    version = cache.get(VERSION_KEY)
    copy = _copies.get(name)
    now = time.monotonic()
    if copy is not None and copy[0] == version and now - copy[2] < settings.APPEAL_REFERENCE_CACHE_SECONDS:
        return copy[1]
    value = load()
    _copies[name] = (version, value, now)
    return value


def forget() -> None:
    """Drop this process's copies and move the shared version, so that every process reads again."""
    _copies.clear()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def changed(**_kwargs: Any) -> None:
    """Receiver of the rows' save and delete signals: now, and again once the change is committed
    (a process reading between the two would otherwise keep the rows of before the commit)."""
    forget()
    transaction.on_commit(forget)


def category_by_code(code: str) -> Category | None:
    """A category by its code, active or not (the service says what is wrong with an inactive one)."""
    return cached("categories", _categories).get(code)


def _categories() -> dict[str, Category]:
    return {c.code: c for c in Category.objects.all()}
