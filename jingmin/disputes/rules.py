"""A dispute's life-cycle rules, read by the services, the pages, the API and the demo alike.

Each step names the states it may start from and the state it leads to (None: it stays). The
deadline and the interval of follow-up visits come from the risk grade (`DISPUTE_GRADES` in the
settings): the deadline in working days of the `worktime` calendar, so a holiday never counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings

from jingmin.disputes.models import OPEN_STATES, EventAction, Grade, State
from jingmin.worktime.calendar import SHANGHAI, add_working_days


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str | None


OPEN = frozenset(OPEN_STATES)

STEPS: dict[str, Step] = {
    EventAction.MEDIATE: Step(OPEN, State.MEDIATING),
    EventAction.VISIT: Step(OPEN, None),
    EventAction.REGRADE: Step(OPEN, None),
    EventAction.RESOLVE: Step(OPEN, State.RESOLVED),
    EventAction.HAND_OVER: Step(OPEN, State.HANDED_OVER),
    EventAction.CONTAIN: Step(OPEN, State.CONTAINED),
    # Files may be added to a closed dispute too (an agreement signed afterwards, a court's ruling).
    EventAction.ATTACH: Step(frozenset(State), None),
}

# The steps the API names in its URL (`POST /api/v1/disputes/{id}/{action}/`).
API_ACTIONS = (
    EventAction.MEDIATE,
    EventAction.VISIT,
    EventAction.REGRADE,
    EventAction.RESOLVE,
    EventAction.HAND_OVER,
    EventAction.CONTAIN,
)


def deadline_for(grade: str, start: datetime) -> datetime:
    """The end of the grade's N-th working day after `start`."""
    return add_working_days(start, settings.DISPUTE_GRADES[Grade(grade)]["deadline_days"])


def visit_due_for(grade: str, last: datetime) -> date:
    """The day of the next follow-up visit after a visit or mediation at `last`."""
    days = settings.DISPUTE_GRADES[Grade(grade)]["visit_days"]
    return last.astimezone(SHANGHAI).date() + timedelta(days=days)


def allowed_steps(state: str) -> list[str]:
    return [action for action, step in STEPS.items() if state in step.sources]
