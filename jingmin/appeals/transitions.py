"""The life cycle of an appeal, stated once: a table and the rules around it.

Each action names the states it may start from, the state it leads to (None: the state stays),
and the capabilities any one of which allows it. `appeals.services` applies a row of this table
for every step; nothing else changes an appeal's state. Below the table are the rules the steps
share with what the page offers and with the demo: the follow-up's due date, the reopened
appeal's deadline, what counts as dissatisfied, and which follow-up steps the answers allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingmin.appeals.models import Action, FollowUp, ReviewOutcome, State
from jingmin.org.roles import Cap
from jingmin.worktime.calendar import add_working_days

_IN_HAND = frozenset({State.DISPATCHED, State.SIGNED, State.HANDLING})
_OPEN = frozenset({State.SUBMITTED, State.ACCEPTED}) | _IN_HAND


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None
    caps: frozenset[Cap]


TRANSITIONS: dict[str, Transition] = {
    Action.ACCEPT: Transition(frozenset({State.SUBMITTED}), State.ACCEPTED, frozenset({Cap.APPEAL_INTAKE})),
    Action.REJECT: Transition(frozenset({State.SUBMITTED}), State.REJECTED, frozenset({Cap.APPEAL_INTAKE})),
    Action.DISPATCH: Transition(
        frozenset({State.ACCEPTED}), State.DISPATCHED, frozenset({Cap.APPEAL_INTAKE})
    ),
    Action.SIGN: Transition(frozenset({State.DISPATCHED}), State.SIGNED, frozenset({Cap.APPEAL_HANDLE})),
    Action.CONTACT: Transition(
        frozenset({State.SIGNED, State.HANDLING}), State.HANDLING, frozenset({Cap.APPEAL_HANDLE})
    ),
    Action.TRANSFER: Transition(
        _IN_HAND, State.DISPATCHED, frozenset({Cap.APPEAL_HANDLE, Cap.APPEAL_INTAKE, Cap.APPEAL_SUPERVISE})
    ),
    Action.RETURN: Transition(_IN_HAND, State.ACCEPTED, frozenset({Cap.APPEAL_HANDLE})),
    Action.CONCLUDE: Transition(
        frozenset({State.SIGNED, State.HANDLING}), State.CONCLUDED, frozenset({Cap.APPEAL_HANDLE})
    ),
    Action.FOLLOW_UP: Transition(
        frozenset({State.CONCLUDED}), State.FOLLOWED_UP, frozenset({Cap.APPEAL_FOLLOW_UP})
    ),
    # A reasonable complaint reopens the appeal; an unreasonable one leaves it followed up.
    Action.REVIEW: Transition(frozenset({State.FOLLOWED_UP}), None, frozenset({Cap.APPEAL_REVIEW})),
    Action.REOPEN: Transition(
        frozenset({State.FOLLOWED_UP}), State.HANDLING, frozenset({Cap.APPEAL_SUPERVISE, Cap.APPEAL_REVIEW})
    ),
    Action.SUPERVISE: Transition(_OPEN, None, frozenset({Cap.APPEAL_SUPERVISE})),
    Action.MERGE: Transition(_OPEN, State.MERGED, frozenset({Cap.APPEAL_INTAKE, Cap.APPEAL_SUPERVISE})),
    Action.ARCHIVE: Transition(
        frozenset({State.FOLLOWED_UP, State.REJECTED, State.MERGED}),
        State.ARCHIVED,
        frozenset({Cap.APPEAL_INTAKE, Cap.APPEAL_SUPERVISE}),
    ),
    # The clerk settles an urgency the citizen or the text suggested (appeals.urgency).
    Action.URGENCY: Transition(_OPEN, None, frozenset({Cap.APPEAL_INTAKE})),
    Action.ATTACH: Transition(
        _OPEN | {State.CONCLUDED},
        None,
        frozenset({Cap.APPEAL_INTAKE, Cap.APPEAL_HANDLE}),
    ),
}


# Steps that only the unit holding the appeal (or a unit above it) may take.
HOLDER_ACTIONS = frozenset(
    {
        Action.ACCEPT,
        Action.REJECT,
        Action.DISPATCH,
        Action.SIGN,
        Action.CONTACT,
        Action.TRANSFER,
        Action.RETURN,
        Action.CONCLUDE,
        Action.ATTACH,
        Action.URGENCY,
    }
)


def handled_it(
    *, actor_id: int, actor_unit_id: int, concluder_id: int | None, district_id: int | None
) -> bool:
    """Whether this person is the hand that handled the appeal: the officer who concluded it, or
    anyone of that officer's own police district. The follow-up (回访) asks the citizen how they
    were served, so it is never recorded by them; the intake unit, the command centre or the
    supervising unit records it. `district_id` is the concluder's unit when it is a police district.
    """
    return actor_id == concluder_id or (district_id is not None and actor_unit_id == district_id)


def allowed_from(state: str) -> list[str]:
    """The actions a state allows, in the table's order (for pages: which buttons to show)."""
    return [action for action, t in TRANSITIONS.items() if state in t.sources]


# ---------------------------------------------------------------------------------------------
# The rules around the table: read by the services (`_apply`'s guards), by what the page offers
# (`selectors.allowed_actions`) and by the demo generator (`jingmin/appeals/demo.py`), so that a
# rule changed here changes for all three.

# The published practice: a follow-up call the working day after conclusion.
FOLLOW_UP_WORKING_DAYS = 1
# A satisfaction of this or less (on 1 to 5) is a dissatisfied answer.
DISSATISFIED_AT_MOST = 2


def follow_up_due(concluded_at: datetime) -> datetime:
    """When the follow-up of an appeal concluded at `concluded_at` is due."""
    return add_working_days(concluded_at, FOLLOW_UP_WORKING_DAYS)


def reopen_deadline(reopened_at: datetime) -> datetime:
    """The new conclusion deadline of an appeal reopened at `reopened_at`."""
    return add_working_days(reopened_at, settings.APPEAL_REOPEN_WORKING_DAYS)


def is_dissatisfied(resolved: bool | None, satisfaction: int | None) -> bool:
    """An answer that says the problem is not resolved, or rates the handling low."""
    return resolved is False or (satisfaction is not None and satisfaction <= DISSATISFIED_AT_MOST)


def review_of_answer(resolved: bool | None, satisfaction: int | None) -> str:
    """A dissatisfied answer waits for the reasonableness review; it counts against the unit only
    once the review finds the demand reasonable."""
    return ReviewOutcome.PENDING if is_dissatisfied(resolved, satisfaction) else ReviewOutcome.NONE


def follow_up_refusal(action: str, *, latest: FollowUp | None, owed: bool) -> Promise | None:
    """Why the follow-up rules refuse `action` now, or None. `latest` is the latest answered
    follow-up, `owed` whether a follow-up still waits for its answer."""
    if action == Action.FOLLOW_UP and not owed:
        return _("This appeal has no follow-up waiting for an answer.")
    if action == Action.REVIEW and (latest is None or latest.review != ReviewOutcome.PENDING):
        return _("No follow-up answer of this appeal awaits a review.")
    if action == Action.REOPEN:
        if latest is None or not latest.dissatisfied:
            return _("Only an appeal the citizen was not satisfied with can be reopened.")
        if latest.review == ReviewOutcome.PENDING:
            return _("Review the citizen's answer first: a reasonable demand reopens it.")
    if action == Action.ARCHIVE and latest is not None and latest.review == ReviewOutcome.PENDING:
        return _("The citizen's answer awaits its review; archive it after.")
    return None
