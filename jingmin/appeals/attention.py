"""Who can take an appeal's next step: no appeal may wait where nobody is able to act on it.

An appeal's next step depends on its state (accept it, dispatch it, sign for it, conclude it,
follow it up, review the answer). Someone can take it when an active account whose unit lies on
the way from the root to the appeal's unit, its intake unit or an assisting unit (the people who
see it) is offered that step by `allowed_actions`, the same rule the page's buttons and the
services follow. The nightly sweep (`manage.py appeals_unattended`) lists the appeals for which
nobody is, and `notifications.unattended_alert` tells the command centre and the bureau.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from jingmin.appeals.models import Action, Appeal, AppealAssist, FollowUp, ReviewOutcome, State
from jingmin.appeals.selectors import allowed_actions
from jingmin.org.models import User
from jingmin.org.scope import chain_q

# The steps that move an appeal on, by state; supervising, merging or attaching a file do not.
NEXT_STEPS: dict[str, frozenset[str]] = {
    State.SUBMITTED: frozenset({Action.ACCEPT, Action.REJECT}),
    State.ACCEPTED: frozenset({Action.DISPATCH}),
    State.DISPATCHED: frozenset({Action.SIGN, Action.TRANSFER, Action.RETURN}),
    State.SIGNED: frozenset({Action.CONTACT, Action.CONCLUDE}),
    State.HANDLING: frozenset({Action.CONTACT, Action.CONCLUDE}),
    State.CONCLUDED: frozenset({Action.FOLLOW_UP}),
    State.FOLLOWED_UP: frozenset({Action.REVIEW, Action.REOPEN}),
}


def _onlookers(appeal: Appeal) -> QuerySet[User]:
    """The active accounts who see the appeal: their unit is above or at one of its units."""
    assists = AppealAssist.objects.filter(appeal=appeal).values_list("unit_path", flat=True)
    above = chain_q("unit__path", appeal.unit_path, appeal.intake_unit_path, *assists)
    return User.objects.filter(above, is_active=True).select_related("unit")


def able_to_act(appeal: Appeal) -> list[User]:
    """The active accounts that may take the appeal's next step now (empty when none is owed)."""
    steps = NEXT_STEPS.get(appeal.state)
    if not steps:
        return []
    return [u for u in _onlookers(appeal) if steps & set(allowed_actions(actor=u, appeal=appeal))]


def _owing() -> QuerySet[Appeal]:
    """Appeals that owe a step: the open ones, those whose follow-up is owed, answers to review."""
    awaiting_answer = FollowUp.objects.filter(answered_at__isnull=True).values("appeal_id")
    awaiting_review = FollowUp.objects.filter(review=ReviewOutcome.PENDING).values("appeal_id")
    return (
        Appeal.objects.filter(is_open=True)
        | Appeal.objects.filter(state=State.CONCLUDED, pk__in=awaiting_answer)
        | Appeal.objects.filter(state=State.FOLLOWED_UP, pk__in=awaiting_review)
    )


def unattended() -> Iterator[Appeal]:
    """Every appeal that owes a step no one can take.

    Whether someone can act depends on the state and on the units (and, for a follow-up, on who
    handled it), so one appeal of each such group is tried and the group's others share its answer:
    a city's open appeals fall into a few thousand groups.
    """
    keys = ("state", "unit_id", "intake_unit_id", "handler_id")
    groups = _owing().order_by().values_list(*keys).distinct()
    for state, unit_id, intake_unit_id, handler_id in groups:
        members = _owing().filter(
            state=state, unit_id=unit_id, intake_unit_id=intake_unit_id, handler_id=handler_id
        )
        sample = members.order_by("pk").first()
        if sample is None or able_to_act(sample):
            continue
        yield from members.order_by("pk").iterator()
