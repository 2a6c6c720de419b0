"""Template helpers for the appeal page: the answers an appeal carries to its service's questions.

`{% load open311 %}`, then `{% open311_answers appeal as answers %}` (each with `question` and
`answer`), and `{{ appeal.media_url|http_url }}`, which is empty unless the address is http(s).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils import formats, timezone

from jingmin.appeals.models import Appeal
from jingmin.open311.models import Datatype, ServiceAttribute
from jingmin.open311.selectors import questions_of
from jingmin.open311.services import parse_w3c

register = template.Library()


@dataclass(frozen=True)
class Answer:
    code: str
    question: str
    answer: str


def _display(attribute: ServiceAttribute | None, value: Any) -> str:
    names = {v["key"]: v["name"] for v in attribute.values} if attribute is not None else {}
    if isinstance(value, list):
        return "、".join(names.get(str(v), str(v)) for v in value)
    text = str(value)
    if attribute is not None and attribute.datatype == Datatype.DATETIME:
        when = parse_w3c(text)
        if when is not None:
            return formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
    return names.get(text, text)


@register.simple_tag
def open311_answers(appeal: Appeal) -> list[Answer]:
    """In the service definition's order; an answer whose question was removed since is shown
    last, under its code."""
    answers = appeal.attributes or {}
    if not answers:
        return []
    questions = questions_of(appeal.category_id)
    order = {code: q.order for code, q in questions.items()}
    codes = sorted(answers, key=lambda code: (order.get(code, 10_000), code))
    return [
        Answer(
            code=code,
            question=questions[code].description if code in questions else code,
            answer=_display(questions.get(code), answers[code]),
        )
        for code in codes
    ]


@register.filter
def http_url(value: str) -> str:
    """The address when it is an http(s) URL, else nothing: never a javascript: link."""
    scheme = urlsplit(value or "").scheme.lower()
    return value if scheme in ("http", "https") else ""
