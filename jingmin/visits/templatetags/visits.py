"""Template helpers of the visit pages: `{% load visits %}`, then `{{ household|household_label }}`
(the address, the number and the masked head), `{{ name|masked_name }}` and
`{{ row.due_on|due_in }}` (已超期 3 天 / 还剩 5 天 / 今天到期)."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jingmin.ledger.models import Household
from jingmin.visits import coverage

register = template.Library()


@register.filter
def household_label(household: Household | None) -> str:
    return coverage.household_label(household) if household is not None else ""


@register.filter
def masked_name(name: str) -> str:
    return coverage.mask_name(name or "")


@register.filter
def due_in(day: date | None) -> str:
    if day is None:
        return ""
    days = (day - timezone.localdate()).days
    if days < 0:
        return ngettext("overdue by %(count)d day", "overdue by %(count)d days", -days) % {"count": -days}
    if days == 0:
        return _("due today")
    return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}
