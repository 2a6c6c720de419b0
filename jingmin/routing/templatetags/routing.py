from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.8734 → "87.3%" (in the page's number format); nothing for a missing figure."""
    if value is None:
        return "–"
    return f"{number_format(value * 100, 1)}%"


@register.filter
def whole_percent(value: float | None) -> str:
    """A confidence as the clerk reads it: 0.8734 → "87%"."""
    if value is None:
        return "–"
    return f"{round(value * 100)}%"


@register.filter
def index(items: Any, position: int) -> Any:
    try:
        return items[position]
    except (IndexError, KeyError, TypeError):
        return ""
