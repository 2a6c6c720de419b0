"""Heavy reads on a PostgreSQL read replica, when one is configured (`DATABASE_REPLICA_URL`).

Which reads may run a little behind the primary is a property of the page, not of a model: the
same appeal row is read on the replica by an export and on the primary by the page that changes
it. So the router sends a read to the replica only inside `replica_reads()`, which
`ReplicaReadsMiddleware` enters for the views named in `REPLICA_VIEWS` (exports, the public
statistics, the coverage pages) and a command may enter for a report of its own.

Even there, a read stays on the primary when
- it is inside a transaction on the primary (it must see that transaction's own writes, and a
  service's reads under `select_for_update` are writes in Django's eyes anyway);
- it is of sessions or second-factor devices (a session written a moment ago must be found).
Writes never go to the replica: an object read there is saved on the primary. Without a replica
nothing changes: every query goes to the primary, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import Resolver404, resolve

REPLICA = "replica"

# The views whose reads may lag the primary by a moment: exports, public statistics (cached for
# minutes anyway) and the coverage aggregates.
REPLICA_VIEWS = frozenset(
    {
        "appeals:export",
        "audit:export",
        "ledger:export_persons",
        "ledger:export_organisations",
        "portal:stats",
        "visits:coverage",
        "visits:coverage_map",
    }
)
# Apps whose rows are written and read back within moments, always on the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "otp_totp", "django_otp", "captcha"})

_on_replica: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside may go to the replica (if one is configured and no transaction is open)."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if (
            _on_replica.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            # Outside `replica_reads()`, what an object from the replica leads to is read fresh.
            return DEFAULT_DB_ALIAS
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        pair = {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS}
        if pair <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        # The replica copies the primary's files; it is never migrated (nor created in tests).
        return False if db == REPLICA else None


def _streamed_on_replica(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A streamed body is produced after the view returned: produce each chunk on the replica too.
    The context is entered around each step only, never left set between chunks."""
    iterator = iter(chunks)
    while True:
        with replica_reads():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = ""
        if name not in REPLICA_VIEWS:
            return self.get_response(request)
        with replica_reads():
            response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = _streamed_on_replica(iter(response.streaming_content))
        return response
