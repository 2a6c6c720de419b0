"""Telling other domains, after commit, that a record was written.

Early warning reads appeals, visits and disputes, so those domains cannot import it (it imports
them). Instead a writing service calls `written("appeal", pk)` inside its transaction, and the
domain that wants to know registers a listener once, in its `AppConfig.ready`. Listeners run when
the transaction commits (never for a change that rolled back) and are expected to do no more than
queue a task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from django.db import transaction

# Called with the record type and the ids written (one, or a batch's).
Listener = Callable[[str, list[int]], None]

_listeners: dict[str, list[Listener]] = {}


def listen(record_type: str, listener: Listener) -> None:
    listeners = _listeners.setdefault(record_type, [])
    if listener not in listeners:
        listeners.append(listener)


def written(record_type: str, pk: int) -> None:
    """Call inside the transaction that wrote the record."""
    written_many(record_type, [pk])


def written_many(record_type: str, pks: Iterable[int]) -> None:
    """Call inside the transaction that wrote these records (a batch): each listener is told once,
    of all of them, so that a batch of a hundred queues one task, not a hundred."""
    ids = list(pks)
    if not ids:
        return
    for listener in _listeners.get(record_type, ()):
        transaction.on_commit(partial(listener, record_type, ids))
