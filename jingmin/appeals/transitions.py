"""The life cycle of an appeal, as one table.

Each action names the states it may start from, the state it leads to (None: the state stays),
and the capabilities any one of which allows it. `appeals.services` applies a row of this table
for every step; nothing else changes an appeal's state.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingmin.appeals.models import Action, State
from jingmin.org.roles import Cap

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
