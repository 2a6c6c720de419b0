"""Template helpers of the appeal pages: time left in words, its colour, codes read aloud.

`{% load appeals %}`, then `{{ appeal|time_left }}` (剩余 3 小时 / 已超时 1 天),
`{{ appeal|clock_class }}` ("overdue", "soon" or ""), `{{ appeal.tracking_code|grouped }}` and
`{% appeal_home_cards user as cards %}` for the home page.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jingmin.appeals import selectors
from jingmin.appeals.models import Action, Appeal, AppealEvent, Channel, Result, Satisfaction, State
from jingmin.org.models import User
from jingmin.org.roles import Cap, can

register = template.Library()

# Under this much time left a clock shows as "soon": the supervision list's default horizon.
SOON = selectors.SOON


def _left(value: Any) -> timedelta | None:
    if isinstance(value, Appeal):
        return selectors.time_left(value)
    if isinstance(value, datetime):
        return value - timezone.now()
    return None


def describe_left(left: timedelta) -> str:
    """Minutes under an hour, hours under a day, whole days beyond: what a person glancing at a
    phone in the street needs, not a precise duration."""
    overdue = left < timedelta(0)
    span = -left if overdue else left
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        count = max(minutes, 1)
        if overdue:
            text = ngettext("overdue by %(count)d minute", "overdue by %(count)d minutes", count)
        else:
            text = ngettext("%(count)d minute left", "%(count)d minutes left", count)
    elif minutes < 24 * 60:
        count = minutes // 60
        if overdue:
            text = ngettext("overdue by %(count)d hour", "overdue by %(count)d hours", count)
        else:
            text = ngettext("%(count)d hour left", "%(count)d hours left", count)
    else:
        count = minutes // (24 * 60)
        if overdue:
            text = ngettext("overdue by %(count)d day", "overdue by %(count)d days", count)
        else:
            text = ngettext("%(count)d day left", "%(count)d days left", count)
    return text % {"count": count}


@register.filter
def time_left(value: Appeal | datetime | None) -> str:
    """The time left on an appeal's nearest clock (or until a deadline), in words; "" when no
    clock runs."""
    left = _left(value)
    return describe_left(left) if left is not None else ""


@register.filter
def clock_class(value: Appeal | datetime | None) -> str:
    left = _left(value)
    if left is None:
        return ""
    if left < timedelta(0):
        return "overdue"
    return "soon" if left < SOON else ""


@register.filter
def grouped(code: str, size: int = 4) -> str:
    """ABCD EFGH JKMN: a tracking code in groups, easier to read out over the phone."""
    code = code or ""
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


@register.filter
def state_label(value: str) -> str:
    return str(State(value).label) if value in State.values else value


@register.filter
def action_label(value: str) -> str:
    return str(Action(value).label) if value in Action.values else value


@register.filter
def event_details(event: AppealEvent) -> list[str]:
    """The facts an event's data carries, in words (results, answers, reviews, clocks)."""
    data = event.data or {}
    out: list[str] = []
    if data.get("result") in Result.values:
        out.append(str(Result(data["result"]).label))
    if isinstance(data.get("resolved"), bool):
        out.append(_("Resolved") if data["resolved"] else _("Not resolved"))
    if data.get("satisfaction") in Satisfaction.values:
        out.append(str(Satisfaction(data["satisfaction"]).label))
    if isinstance(data.get("reasonable"), bool):
        out.append(_("Demand reasonable") if data["reasonable"] else _("Demand not reasonable"))
    if data.get("on_time") is False:
        out.append(_("Late"))
    if data.get("files"):
        out.append(", ".join(str(name) for name in data["files"]))
    if data.get("contact") in Channel.values:
        out.append(
            _("The citizen raised it again (%(channel)s)") % {"channel": Channel(data["contact"]).label}
        )
        if data.get("caller"):
            out.append(data["caller"])
    if data.get("tracking_code"):
        out.append(_("Merged in: %(code)s") % {"code": data["tracking_code"]})
    return out


@register.simple_tag
def appeal_home_cards(user: User) -> list[selectors.Figure]:
    """The appeal cards of the home page, by what the person does (their own work, the state of
    their scope, answers to review, follow-ups due): `selectors.home_figures`, the same figures
    the core home page shows, so a card never says two things in two places."""
    if not getattr(user, "is_authenticated", False) or not can(user, Cap.APPEAL_VIEW):
        return []
    return selectors.home_figures(actor=user)
