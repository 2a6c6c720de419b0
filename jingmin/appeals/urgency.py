"""Urgency the citizen's own words suggest, for the clerk to confirm.

A missing child or elderly person, violence and self-harm are urgent whatever the form says: a
report of a missing grandfather once waited three days as "一般". The suggestion never changes the
appeal by itself; the clerk confirms it or keeps the urgency registered (`appeal_urgency_decide`),
and both are events of the appeal's history. A citizen who says someone is in danger right now
suggests an emergency; one who marks the matter urgent, an urgent appeal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jingmin.appeals.models import Urgency

# Most urgent first: a suggestion counts only when it ranks before what was registered.
RANK: dict[str, int] = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.GENERAL: 2, Urgency.COMPLEX: 3}

_PERSON = "孩子|小孩|儿子|女儿|孙子|孙女|学生|老人|父亲|母亲|爸爸|妈妈|爷爷|奶奶|外公|外婆|老伴|老父亲|老母亲"
_SIGNS: list[tuple[re.Pattern[str], object]] = [
    (
        re.compile(
            rf"(走失|失踪|走丢|找不到|联系不上|不见了|没回家|没有回家|未归|一直没回来)"
            rf"|(({_PERSON}).{{0,20}}(没回|不见|走丢|失联))"
        ),
        _("a person missing"),
    ),
    (
        re.compile(r"家暴|家庭暴力|殴打|打人|被打|动手打|持刀|拿刀|砍人|行凶|扬言要杀|威胁要杀|要杀了"),
        _("violence"),
    ),
    (
        re.compile(r"自杀|轻生|跳楼|割腕|不想活|寻死|喝农药|吃安眠药|结束生命"),
        _("self-harm"),
    ),
]


@dataclass(frozen=True)
class Suggestion:
    urgency: str  # "" when nothing suggests more than what was registered
    reason: str


NONE = Suggestion("", "")


def suggest(
    text: str, *, registered: str, in_danger: bool = False, citizen_urgent: bool = False
) -> Suggestion:
    """The urgency to suggest over `registered`, and why (in the language of the moment)."""
    reasons: list[str] = []
    urgency = ""
    if in_danger:
        urgency = Urgency.EMERGENCY
        reasons.append(gettext("the citizen says someone is in danger now"))
    elif citizen_urgent:
        urgency = Urgency.URGENT
        reasons.append(gettext("the citizen marked it urgent"))
    found = [str(label) for pattern, label in _SIGNS if pattern.search(text or "")]
    if found:
        urgency = urgency or Urgency.URGENT
        reasons.append(gettext("the text speaks of %(signs)s") % {"signs": "、".join(found)})
    if not urgency or RANK[urgency] >= RANK.get(registered, RANK[Urgency.GENERAL]):
        return NONE
    return Suggestion(urgency, "；".join(reasons)[:200])
