"""Reads of the public portal.

What a citizen sees of an appeal is decided here, in one place: the state in plain words, the
expected conclusion, and a timeline of steps with unit names and times only. Staff names, notes,
the citizen's own data and the text of the appeal never leave this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jingmin.appeals.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Action,
    Appeal,
    AppealEvent,
    FollowUp,
    FollowUpChannel,
    Result,
    ReviewOutcome,
    Satisfaction,
    State,
)
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap
from jingmin.org.selectors import require
from jingmin.portal.models import Notice, NoticeRevision, NoticeState

_SEPARATORS = re.compile(r"[\s\-_.·—–]+")
_CODE = re.compile(f"[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}")


def normalise_code(raw: str) -> str:
    """`abcd-efgh jkmn` → `ABCDEFGHJKMN`: the code as read out, typed or copied."""
    return _SEPARATORS.sub("", (raw or "").strip()).upper()


def is_code(code: str) -> bool:
    return bool(_CODE.fullmatch(code))


def appeal_by_tracking_code(code: str) -> Appeal | None:
    if not is_code(code):
        return None
    return (
        Appeal.objects.select_related("category", "category__parent", "intake_unit", "merged_into")
        .filter(tracking_code=code)
        .first()
    )


# ---------------------------------------------------------------------------------------------
# The public view of an appeal


@dataclass(frozen=True)
class PublicState:
    label: str | Promise
    explanation: str | Promise


PUBLIC_STATES: dict[str, PublicState] = {
    State.SUBMITTED: PublicState(
        pgettext_lazy("public state", "Received"),
        gettext_lazy("Your appeal has arrived and will be checked shortly."),
    ),
    State.ACCEPTED: PublicState(
        gettext_lazy("Accepted"), gettext_lazy("It is being passed to the unit that will handle it.")
    ),
    State.REJECTED: PublicState(
        gettext_lazy("Not accepted"),
        gettext_lazy("It could not be taken up. For the reason, call the police station or 12345."),
    ),
    State.DISPATCHED: PublicState(
        gettext_lazy("Sent for handling"), gettext_lazy("A unit has been asked to handle it.")
    ),
    State.SIGNED: PublicState(gettext_lazy("Being handled"), gettext_lazy("A unit is working on it.")),
    State.HANDLING: PublicState(gettext_lazy("Being handled"), gettext_lazy("A unit is working on it.")),
    State.CONCLUDED: PublicState(
        gettext_lazy("Concluded"), gettext_lazy("Handling is finished. Please tell us how it went.")
    ),
    State.FOLLOWED_UP: PublicState(
        gettext_lazy("Concluded"), gettext_lazy("Handling is finished and the follow-up is done.")
    ),
    State.ARCHIVED: PublicState(gettext_lazy("Closed"), gettext_lazy("The appeal is closed.")),
    State.MERGED: PublicState(
        gettext_lazy("Handled together"),
        gettext_lazy("Another appeal about the same matter is handled together with yours."),
    ),
}


@dataclass(frozen=True)
class PublicStep:
    action: str
    at: datetime
    text: str


def _unit_name(unit: Unit | None) -> str:
    return unit.name if unit is not None else _("the police")


def _public_text(event: AppealEvent, appeal: Appeal) -> str | None:
    """The step in plain words, or None for steps inside the bureau (reminders, reviews...)."""
    action = event.action
    if action == Action.REGISTER:
        return _("Received by %(unit)s") % {"unit": _unit_name(appeal.intake_unit)}
    if action == Action.ACCEPT:
        return _("Accepted by %(unit)s") % {"unit": _unit_name(event.actor_unit)}
    if action == Action.REJECT:
        return _("Not accepted by %(unit)s") % {"unit": _unit_name(event.actor_unit)}
    if action == Action.DISPATCH:
        return _("Sent to %(unit)s for handling") % {"unit": _unit_name(event.unit)}
    if action == Action.SIGN:
        return _("Taken on by %(unit)s") % {"unit": _unit_name(event.actor_unit)}
    if action == Action.CONTACT:
        return _("%(unit)s contacted the citizen") % {"unit": _unit_name(event.actor_unit)}
    if action == Action.TRANSFER:
        return _("Transferred to %(unit)s") % {"unit": _unit_name(event.unit)}
    if action == Action.RETURN:
        return _("Sent back to %(unit)s to be passed on") % {"unit": _unit_name(event.unit)}
    if action == Action.CONCLUDE:
        result = event.data.get("result")
        label = Result(result).label if result in Result.values else ""
        return _("Concluded by %(unit)s: %(result)s") % {
            "unit": _unit_name(event.actor_unit),
            "result": label,
        }
    if action == Action.FOLLOW_UP:
        resolved = event.data.get("resolved")
        said = (
            ""
            if resolved is None
            else (_("resolved") if resolved else _("not resolved"))
            + (
                "，" + str(Satisfaction(event.data["satisfaction"]).label)
                if event.data.get("satisfaction") in Satisfaction.values
                else ""
            )
        )
        if event.data.get("channel") == FollowUpChannel.LINK:
            return _("The citizen answered the follow-up: %(said)s") % {"said": said}
        return _("Follow-up call made; the citizen said: %(said)s") % {"said": said}
    if action == Action.REOPEN:
        return _("Reopened for further handling")
    if action == Action.SUPERVISE:
        return _("Put under supervision by %(unit)s") % {"unit": _unit_name(event.actor_unit)}
    if action == Action.MERGE and event.to_state == State.MERGED:
        return _("Merged with another appeal about the same matter")
    if action == Action.ARCHIVE:
        return _("Closed")
    return None


def public_timeline(appeal: Appeal) -> list[PublicStep]:
    """The appeal's history as the public may see it, oldest first."""
    events = AppealEvent.objects.filter(appeal=appeal).select_related("unit", "actor_unit").order_by("seq")
    steps = []
    for event in events:
        text = _public_text(event, appeal)
        if text is not None:
            steps.append(PublicStep(action=event.action, at=event.at, text=text))
    return steps


@dataclass(frozen=True)
class PublicAnswer:
    """The citizen's own answer to the follow-up, shown as given."""

    resolved: bool
    satisfaction: str
    dissatisfied: bool
    under_review: bool


def public_answer(appeal: Appeal) -> PublicAnswer | None:
    """The latest answer to the appeal's follow-up, if there is one."""
    answer = FollowUp.objects.filter(appeal=appeal, answered_at__isnull=False).order_by("-round").first()
    if answer is None or answer.resolved is None:
        return None
    return PublicAnswer(
        resolved=answer.resolved,
        satisfaction=str(answer.get_satisfaction_display()) if answer.satisfaction else "",
        dissatisfied=answer.dissatisfied,
        under_review=answer.review == ReviewOutcome.PENDING,
    )


# A followed-up appeal whose citizen was not satisfied never reads "follow-up done": it says what
# the citizen said and what happens to it.
ANSWER_UNDER_REVIEW = PublicState(
    gettext_lazy("Concluded; you said it was not resolved"),
    gettext_lazy(
        "You told us the problem was not resolved or you were not satisfied. The bureau is "
        "reviewing your answer and reopens the appeal if your demand is reasonable."
    ),
)
ANSWER_REVIEWED = PublicState(
    gettext_lazy("Concluded; you said it was not resolved"),
    gettext_lazy(
        "You told us the problem was not resolved or you were not satisfied; the bureau reviewed "
        "your answer. For more, call the police station or 12345."
    ),
)


def public_state(appeal: Appeal, answer: PublicAnswer | None) -> PublicState:
    if appeal.state == State.FOLLOWED_UP and answer is not None and answer.dissatisfied:
        return ANSWER_UNDER_REVIEW if answer.under_review else ANSWER_REVIEWED
    return PUBLIC_STATES[appeal.state]


def pending_follow_up(appeal: Appeal) -> FollowUp | None:
    """The follow-up the citizen can answer on the tracking page, if one waits."""
    if appeal.state != State.CONCLUDED:
        return None
    return FollowUp.objects.filter(appeal=appeal, answered_at__isnull=True).order_by("-round").first()


# ---------------------------------------------------------------------------------------------
# Units and notices


def public_stations() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=UnitKind.STATION, is_active=True).order_by("path")


def bureau_name() -> str:
    root = Unit.objects.filter(parent__isnull=True).values_list("name", flat=True).first()
    return root or ""


def notice_public_list() -> QuerySet[Notice]:
    return (
        Notice.objects.filter(state=NoticeState.PUBLISHED)
        .select_related("unit")
        .order_by("-published_at", "-id")
    )


def notice_public_get(pk: int) -> Notice:
    notice = notice_public_list().filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notice_scope(*, actor: User) -> QuerySet[Notice]:
    """The notices of the actor's subtree, for those who publish them."""
    require(actor, Cap.PUBLISH_NOTICES)
    if not actor.is_active:
        return Notice.objects.none()
    return (
        Notice.objects.filter(unit_path__startswith=actor.unit.path)
        .select_related("unit", "created_by")
        .order_by("-published_at", "-id")
    )


def notice_get(*, actor: User, pk: int) -> Notice:
    notice = notice_scope(actor=actor).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notice_history(*, notice: Notice) -> QuerySet[NoticeRevision]:
    # `notice` comes from notice_get, which checked the scope.
    return NoticeRevision.objects.filter(notice=notice).order_by("-version")
