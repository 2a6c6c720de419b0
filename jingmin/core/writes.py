"""Write services and the one transaction each of them runs in.

Every public function of a domain's services module that writes is a write service
(`@write_service`). Called at the top (by a page, the API, a command or a task), it opens
`transaction.atomic(durable=True)`: its writes and its audit row commit together, and nothing
else's. Called inside a transaction someone else opened by accident (a view that wraps two
services in `transaction.atomic()`), it refuses at once with `NestedWriteError` instead of quietly
joining that transaction.

Services are composed on purpose in three ways:

- A write service calls another: the inner one runs inline, as a part of the outer one's
  transaction (the clerk's register-and-dispatch registers, accepts and dispatches in one). An
  error from it undoes the whole outer change, unless the outer catches it inside a savepoint of
  its own (`transaction.atomic()`), as a batch that answers each item does.
- Code that says so with `composing()` opens one transaction in which each service it calls runs
  as a savepoint: the API's `Idempotency-Key` record, kept in the step's transaction; the demo
  loader; a command that sends a batch of notifications in one go.
- A service that commits in steps of its own (a sweep over every open appeal, one batch per
  transaction; a portal submission whose wrong code stays counted although the submission fails)
  is `@write_steps`: it is refused inside a caller's transaction as a write service is; a service
  it calls inside one of its steps (`transaction.atomic()`) runs as a savepoint of that step, and
  one it calls between steps opens its own durable transaction.

Django lets a durable block open inside a test case's own transaction (pytest-django's `django_db`
runs each test in one), so tests call services as the pages do; a test that wraps a service in
`transaction.atomic()` of its own sees the refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

# Who owns the transaction a write service is called in: nobody (None, at the top), a running
# write service (SERVICE), or a caller composing services on purpose (COMPOSING).
SERVICE = "service"
COMPOSING = "composing"
_owner: ContextVar[str | None] = ContextVar("jingmin_write_owner", default=None)

# The attribute the architecture check and readers look for on a decorated function.
MARK = "write_service"


class NestedWriteError(RuntimeError):
    """A write service was called inside a transaction that neither a write service nor
    `composing()` opened."""


def in_callers_transaction() -> bool:
    """Whether a transaction someone else opened is running here (a test case's own are not)."""
    connection = transaction.get_connection()
    blocks = connection.atomic_blocks
    if blocks:
        return not getattr(blocks[-1], "_from_testcase", False)
    return connection.in_atomic_block


def _refuse(name: str) -> NestedWriteError:
    return NestedWriteError(
        f"{name} is a write service and opens its own durable transaction, but it was called inside "
        "another transaction. Call it outside any transaction, from another write service, or "
        "inside `with composing():` where several services are meant to commit together."
    )


@contextmanager
def _owned_by(owner: str) -> Iterator[None]:
    token = _owner.set(owner)
    try:
        yield
    finally:
        _owner.reset(token)


@contextmanager
def composing() -> Iterator[None]:
    """One transaction in which the caller composes write services on purpose: each runs as a
    savepoint of it, and all commit together."""
    with transaction.atomic(), _owned_by(COMPOSING):
        # The owner is reset before the commit, so that what runs on commit is at the top again.
        yield


def write_service(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` in a durable transaction of its own, inline in a calling write service, or as a
    savepoint of a composing caller's transaction."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        owner = _owner.get()
        if owner == SERVICE:
            return func(*args, **kwargs)
        nested = in_callers_transaction()
        if nested and owner != COMPOSING:
            raise _refuse(func.__qualname__)
        with transaction.atomic(durable=not nested), _owned_by(SERVICE):
            return func(*args, **kwargs)

    setattr(run, MARK, True)
    return run


def write_steps(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func`, which commits in steps of its own (`transaction.atomic()` blocks), at the top
    only, or inside a composing caller, whose transaction its steps then join."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        owner = _owner.get()
        if owner != COMPOSING and in_callers_transaction():
            raise _refuse(func.__qualname__)
        with _owned_by(COMPOSING):
            return func(*args, **kwargs)

    setattr(run, MARK, True)
    return run
