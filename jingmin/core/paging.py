"""Keyset pages: one page of a long list, newest first, found from the row next to it.

No OFFSET: at millions of rows it reads the whole range, where a cursor on the list's order is
one step down its index whatever the page. A list says its order (`Order`): the fields that
sort it and together are unique, and how a row's values are written into a URL.

How many rows a list has is a bounded count (`bounded_count`): `COUNT(*)` over the first
COUNT_LIMIT + 1 matching rows only, so it reads at most that many index entries however large the
table, and the page says "more than 1,000" beyond it. Nobody reads the difference between
40,000 and 41,000 rows off a list; they narrow the filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=models.Model)

# The query-string keys of the cursors; an export of the list drops them to take every row.
CURSOR_KEYS = ("after", "before")
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class Count:
    """How many rows a list has: `value` exactly, or, with `more`, more than `value`."""

    value: int
    more: bool = False


def bounded_count(qs: QuerySet[Any], limit: int = COUNT_LIMIT) -> Count:
    found = qs.order_by()[: limit + 1].count()
    return Count(limit, more=True) if found > limit else Count(found)


def counted(rows: list[Any], limit: int) -> Count:
    """The count of a list read with one row beyond its `limit`, which says that more exist."""
    return Count(limit, more=True) if len(rows) > limit else Count(len(rows))


@dataclass(frozen=True)
class Order:
    fields: tuple[str, ...]
    cursor: Callable[[Any], str]
    # A cursor's values, or None for one that is not (a hand-edited URL): the first page.
    parse: Callable[[str], tuple[Any, ...] | None]


BY_ID = Order(
    fields=("id",),
    cursor=lambda row: str(row.pk),
    parse=lambda raw: (int(raw),) if raw.isdigit() else None,
)


@dataclass(frozen=True)
class Page(Generic[M]):
    rows: list[M]
    next_cursor: str
    previous_cursor: str
    total: Count | None = None


def _beyond(fields: tuple[str, ...], values: tuple[Any, ...], lookup: str) -> Q:
    """Rows after `values` in the order of `fields` (`lookup` "lt" going down, "gt" going up)."""
    condition = Q()
    for i, name in enumerate(fields):
        step = Q(**{f"{name}__{lookup}": values[i]}, **dict(zip(fields[:i], values[:i], strict=True)))
        condition = step if i == 0 else condition | step
    return condition


def keyset_page(qs: QuerySet[M], order: Order, *, after: str = "", before: str = "", size: int) -> Page[M]:
    after_key = order.parse(after) if after else None
    before_key = order.parse(before) if before else None
    if before_key is not None:
        rows = list(qs.filter(_beyond(order.fields, before_key, "gt")).order_by(*order.fields)[: size + 1])
        has_previous, has_next = len(rows) > size, True
        rows = list(reversed(rows[:size]))
    else:
        if after_key is not None:
            qs = qs.filter(_beyond(order.fields, after_key, "lt"))
        rows = list(qs.order_by(*(f"-{name}" for name in order.fields))[: size + 1])
        has_previous, has_next = after_key is not None, len(rows) > size
        rows = rows[:size]
    return Page(
        rows=rows,
        next_cursor=order.cursor(rows[-1]) if has_next and rows else "",
        previous_cursor=order.cursor(rows[0]) if has_previous and rows else "",
    )


def request_page(request: HttpRequest, qs: QuerySet[M], order: Order, *, size: int) -> Page[M]:
    """The page the request's `after` or `before` cursor asks for, with the list's count."""
    page = keyset_page(
        qs, order, after=request.GET.get("after", ""), before=request.GET.get("before", ""), size=size
    )
    return Page(page.rows, page.next_cursor, page.previous_cursor, total=bounded_count(qs))


def export_query(request: HttpRequest) -> str:
    """The request's query string without its cursors: the same filters, every row."""
    query = request.GET.copy()
    for key in CURSOR_KEYS:
        query.pop(key, None)
    return query.urlencode()
