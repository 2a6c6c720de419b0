"""Keyset pages: one page of a long list, newest first, found from the row next to it.

No COUNT and no OFFSET: at millions of rows both read the whole range, where a cursor on the
list's order is one step down its index whatever the page. A list says its order (`Order`): the
fields that sort it and together are unique, and how a row's values are written into a URL.
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
    """The page the request's `after` or `before` cursor asks for."""
    return keyset_page(
        qs, order, after=request.GET.get("after", ""), before=request.GET.get("before", ""), size=size
    )


def export_query(request: HttpRequest) -> str:
    """The request's query string without its cursors: the same filters, every row."""
    query = request.GET.copy()
    for key in CURSOR_KEYS:
        query.pop(key, None)
    return query.urlencode()
