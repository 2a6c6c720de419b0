from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from jingmin.worktime.selectors import coverage_warning as coverage_warning_context

register = template.Library()


@register.inclusion_tag("worktime/_coverage_warning.html", takes_context=True)
def coverage_warning(context: template.Context) -> dict[str, Any]:
    """`{% load worktime %}{% coverage_warning %}`: the missing-schedule warning on any page."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user") or AnonymousUser()
    return coverage_warning_context(user)
