"""Every row of the transitions table, and every step a state does not allow.

A forbidden step is refused with a message that names the state, and changes nothing: not the
appeal, not its history.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingmin.appeals import services
from jingmin.appeals.models import Action, AppealEvent, State
from jingmin.appeals.transitions import TRANSITIONS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

STATES = [
    State.SUBMITTED,
    State.ACCEPTED,
    State.REJECTED,
    State.DISPATCHED,
    State.SIGNED,
    State.HANDLING,
    State.CONCLUDED,
    State.FOLLOWED_UP,
    State.ARCHIVED,
    State.MERGED,
]


def call(action, p, pk, other_pk):
    """Each step with valid input, by someone allowed to take it."""
    match action:
        case Action.ACCEPT:
            return services.appeal_accept(actor=p.chen, appeal_id=pk)
        case Action.REJECT:
            return services.appeal_reject(actor=p.chen, appeal_id=pk, reason="恶意诉求")
        case Action.DISPATCH:
            return services.appeal_dispatch(actor=p.chen, appeal_id=pk, unit=p.district_a2)
        case Action.SIGN:
            return services.appeal_sign(actor=p.chen, appeal_id=pk)
        case Action.CONTACT:
            return services.appeal_contact(actor=p.chen, appeal_id=pk, note="已电话联系")
        case Action.TRANSFER:
            return services.appeal_transfer(actor=p.chen, appeal_id=pk, unit=p.district_a2, reason="属地不符")
        case Action.RETURN:
            return services.appeal_return(actor=p.chen, appeal_id=pk, reason="权属不清")
        case Action.CONCLUDE:
            return services.appeal_conclude(actor=p.chen, appeal_id=pk, result="explained", note="已解释说明")
        case Action.FOLLOW_UP:
            return services.appeal_follow_up(actor=p.chen, appeal_id=pk, resolved=True, satisfaction=4)
        case Action.REVIEW:
            return services.appeal_review(actor=p.ines, appeal_id=pk, reasonable=False, note="诉求超出职责")
        case Action.REOPEN:
            return services.appeal_reopen(actor=p.ines, appeal_id=pk, reason="群众不满意，重新办理")
        case Action.SUPERVISE:
            return services.appeal_supervise(actor=p.chen, appeal_id=pk, note="尽快办理")
        case Action.MERGE:
            return services.appeal_merge(actor=p.chen, appeal_id=pk, into=other_pk)
        case Action.ARCHIVE:
            return services.appeal_archive(actor=p.chen, appeal_id=pk)
        case Action.ATTACH:
            return services.appeal_attach(
                actor=p.chen, appeal_id=pk, files=[SimpleUploadedFile("现场.png", PNG, "image/png")]
            )
        case Action.URGENCY:
            return services.appeal_urgency_decide(actor=p.chen, appeal_id=pk, confirm=True)
    raise AssertionError(action)


FORBIDDEN = [
    (action, state) for action, t in TRANSITIONS.items() for state in STATES if state not in t.sources
]


@pytest.mark.parametrize(("action", "state"), FORBIDDEN, ids=[f"{a}-from-{s}" for a, s in FORBIDDEN])
def test_a_step_the_state_does_not_allow_is_refused_and_changes_nothing(
    persona, register, walk, settings, tmp_path, action, state
):
    settings.MEDIA_ROOT = tmp_path
    other = register(title="另一件诉求")
    appeal = walk(register(), state)
    appeal.refresh_from_db()
    before = {f.attname: getattr(appeal, f.attname) for f in appeal._meta.concrete_fields}
    events = AppealEvent.objects.filter(appeal=appeal).count()

    with pytest.raises(services.TransitionNotAllowed) as refused:
        call(action, persona, appeal.pk, other.pk)

    if action == Action.SIGN and state in (State.SIGNED, State.HANDLING):
        # Signing what a colleague already holds: the message says who, not just the state.
        assert persona.oliver.full_name in refused.value.message
    else:
        assert str(State(state).label) in refused.value.message
    appeal.refresh_from_db()
    assert {f.attname: getattr(appeal, f.attname) for f in appeal._meta.concrete_fields} == before
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


ALLOWED = [
    (action, state)
    for action, t in TRANSITIONS.items()
    for state in STATES
    if state in t.sources and action not in (Action.REVIEW, Action.REOPEN, Action.URGENCY)
]


@pytest.mark.parametrize(("action", "state"), ALLOWED, ids=[f"{a}-from-{s}" for a, s in ALLOWED])
def test_every_allowed_step_reaches_its_state_and_writes_its_event(
    persona, register, walk, settings, tmp_path, action, state
):
    settings.MEDIA_ROOT = tmp_path
    other = register(title="另一件诉求")
    appeal = walk(register(), state)
    result = call(action, persona, appeal.pk, other.pk)
    target = TRANSITIONS[action].target or state
    assert result.state == target
    last = AppealEvent.objects.filter(appeal=appeal).order_by("-seq").first()
    assert last is not None and last.action == action
    assert (last.from_state, last.to_state) == (state, target)
    assert last.actor in (persona.chen, persona.ines)


def test_review_and_reopen_are_covered_by_their_own_file():
    # They need a dissatisfied answer first: see test_review_reopen.py (and deciding an urgency
    # needs a suggestion: test_urgency_suggestion.py). This keeps the table honest:
    # should a new action appear, the matrix above must learn to call it.
    assert set(TRANSITIONS) == {
        Action.ACCEPT,
        Action.REJECT,
        Action.DISPATCH,
        Action.SIGN,
        Action.CONTACT,
        Action.TRANSFER,
        Action.RETURN,
        Action.CONCLUDE,
        Action.FOLLOW_UP,
        Action.REVIEW,
        Action.REOPEN,
        Action.SUPERVISE,
        Action.MERGE,
        Action.ARCHIVE,
        Action.ATTACH,
        Action.URGENCY,
    }
