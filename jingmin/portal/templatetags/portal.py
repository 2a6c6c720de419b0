"""Template helpers of the public pages: `{% load portal %}`, then `{{ code|dashed }}`
(ABCD-EFGH-JKMN: a tracking code in groups of four, easy to read out and to copy) and
`{{ rate|percent }}` (a rate as "87.5%", or a dash when it has no cases)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from jingmin.appeals.forms import category_label
from jingmin.appeals.models import Category
from jingmin.portal.statistics import Rate, Row

register = template.Library()


@register.filter
def dashed(code: str, size: int = 4) -> str:
    code = code or ""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


@register.filter
def percent(rate: Rate) -> str:
    value = rate.percent
    return "—" if value is None else f"{number_format(value, 1)}%"


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return str(value).startswith(str(prefix))


@register.filter
def category_name(category: Category | None) -> str:
    """The category's name in the page's language."""
    return category_label(category) if category is not None else ""


@register.filter
def row_name(row: Row) -> str:
    """A heading of the statistics in the page's language (the English name is optional)."""
    if (get_language() or "").startswith("en") and row.name_en:
        return row.name_en
    return row.name
