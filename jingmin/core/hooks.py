"""Telling other domains, after commit, that a record was written.

Early warning reads appeals, visits and disputes, so those domains cannot import it (it imports
them). Instead a writing service calls `written("appeal", pk)` inside its transaction, and the
domain that wants to know registers a listener once, in its `AppConfig.ready`. Listeners run when
the transaction commits (never for a change that rolled back) and are expected to do no more than
queue a task.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction

Listener = Callable[[str, int], None]

_listeners: dict[str, list[Listener]] = {}


def listen(record_type: str, listener: Listener) -> None:
    listeners = _listeners.setdefault(record_type, [])
    if listener not in listeners:
        listeners.append(listener)


def written(record_type: str, pk: int) -> None:
    """Call inside the transaction that wrote the record."""
    for listener in _listeners.get(record_type, ()):
        transaction.on_commit(partial(listener, record_type, pk))
