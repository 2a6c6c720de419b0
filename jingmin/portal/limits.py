"""Rate limits of the public portal, counted in the database.

A limit counts one kind of act (appeals submitted, codes requested, failed tracking lookups) of
one client address or one phone number in fixed windows. Past a soft threshold the portal asks for
an image captcha; at the hard limit it refuses and says when the window ends.

The counter is a row per (act, who, window), added to by one upsert statement: it counts exactly
across processes and machines, on SQLite and PostgreSQL alike, where a cache-only counter would
lose counts between workers or on restart. Who is a keyed hash of the address or number, never
the value itself.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from jingmin.core.crypto import lookup_hash
from jingmin.core.http import client_ip
from jingmin.portal.models import RateCounter


@dataclass(frozen=True)
class Limit:
    scope: str
    window: timedelta
    soft: int
    hard: int


def limit(scope: str) -> Limit:
    window, soft, hard = settings.PORTAL_LIMITS[scope]
    return Limit(scope=scope, window=timedelta(seconds=window), soft=soft, hard=hard)


@dataclass(frozen=True)
class Count:
    limit: Limit
    count: int
    window_end: datetime

    @property
    def over_soft(self) -> bool:
        return self.count >= self.limit.soft

    @property
    def at_hard(self) -> bool:
        return self.count >= self.limit.hard


class LimitReached(Exception):
    """The hard limit of a window is reached; `retry_at` is when the window ends."""

    def __init__(self, count: Count) -> None:
        super().__init__(count.limit.scope)
        self.count = count
        self.retry_at = count.window_end


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _window(lim: Limit, now: datetime) -> tuple[datetime, datetime]:
    # Windows aligned on the epoch: every process computes the same start for the same moment.
    size = lim.window.total_seconds()
    start = _EPOCH + timedelta(seconds=(now - _EPOCH).total_seconds() // size * size)
    return start, start + lim.window


def _key(scope: str, who: str) -> str:
    return lookup_hash(f"portal-limit:{scope}:{who}")


def peek(scope: str, who: str, *, now: datetime | None = None) -> Count:
    """The count so far in the current window, without adding to it."""
    lim = limit(scope)
    start, end = _window(lim, now or timezone.now())
    value = (
        RateCounter.objects.filter(scope=scope, key_hash=_key(scope, who), window_start=start)
        .values_list("count", flat=True)
        .first()
    )
    return Count(limit=lim, count=value or 0, window_end=end)


_UPSERT = (
    "INSERT INTO {table} (scope, key_hash, window_start, count) VALUES (%s, %s, %s, 1) "
    "ON CONFLICT (scope, key_hash, window_start) DO UPDATE SET count = {table}.count + 1 "
    "RETURNING count"
)


def hit(scope: str, who: str, *, now: datetime | None = None) -> Count:
    """Add one to the current window and return the new count.

    One statement that both SQLite (3.35 and later) and PostgreSQL run atomically; on PostgreSQL
    the row stays locked until the surrounding transaction ends, so callers that check the result
    inside their transaction serialise on it and never both slip under the limit.
    """
    lim = limit(scope)
    start, end = _window(lim, now or timezone.now())
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        # The table name is the model's own; every value is a parameter.
        # The window start goes in as the ORM writes it (SQLite stores datetimes as text), so
        # that `peek`'s ORM query finds the same row.
        when = connection.ops.adapt_datetimefield_value(start)
        cursor.execute(_UPSERT.format(table=table), [scope, _key(scope, who), when])
        row = cursor.fetchone()
    return Count(limit=lim, count=int(row[0]) if row else 1, window_end=end)


def hit_within(scope: str, who: str, *, now: datetime | None = None) -> Count:
    """Count one act that is about to happen, and refuse it past the hard limit.

    Call it inside the transaction of the act: a refusal raises, which rolls the count back with
    everything else, and an act that fails for another reason is not counted either.
    """
    count = hit(scope, who, now=now)
    if count.count > count.limit.hard:
        raise LimitReached(Count(limit=count.limit, count=count.count - 1, window_end=count.window_end))
    return count


def purge(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Delete the counters of windows that started long ago (every window is shorter)."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted


# ---------------------------------------------------------------------------------------------
# Who is asking


def client_address(request: HttpRequest) -> str:
    """The client's address as the portal counts it: `client_ip`, with an IPv6 client counted by
    its /64 network, which one household or phone usually holds whole."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)
