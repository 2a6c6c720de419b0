"""`{% translate "Result" %}{% colon %}`: the language's own colon after a label — 结果： in Chinese
(full-width, no space), "Result: " in English — so that no template writes a half-width colon
after Chinese text. (The label stays in `{% translate %}`, where makemessages finds it.)"""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def colon() -> str:
    return pgettext("label separator", ": ")
