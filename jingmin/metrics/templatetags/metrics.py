from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from jingmin.metrics.compute import Figure
from jingmin.metrics.registry import MeasureUnit

register = template.Library()


@register.filter
def figure_value(f: Figure) -> str:
    """The value as shown everywhere: "66.7%", "0.57", "7", "69.0"."""
    if f.value is None:
        return "—"
    if f.indicator.unit == MeasureUnit.PERCENT:
        return f"{f.value}%"
    return str(f.value)


@register.filter
def plain(value: Any) -> str:
    """A count without a trailing ".0" (a weighted numerator keeps its fraction: 3.5)."""
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    return str(value)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
