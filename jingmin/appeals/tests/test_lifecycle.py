"""The usual path: every step is one event with who, when, from and to; nothing is overwritten."""

from __future__ import annotations

from jingmin.appeals import services
from jingmin.appeals.models import Action, AppealEvent, FollowUp, State
from jingmin.audit.models import AuditEntry


def test_clara_registers_oliver_handles_and_the_history_is_complete(persona, register, walk):
    appeal = register()
    assert appeal.state == State.SUBMITTED
    assert appeal.intake_unit == persona.station_a and appeal.unit == persona.station_a
    assert len(appeal.tracking_code) >= 10

    appeal = walk(appeal, State.ARCHIVED)

    events = list(AppealEvent.objects.filter(appeal=appeal).order_by("seq"))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        (Action.REGISTER, "", State.SUBMITTED),
        (Action.ACCEPT, State.SUBMITTED, State.ACCEPTED),
        (Action.DISPATCH, State.ACCEPTED, State.DISPATCHED),
        (Action.SIGN, State.DISPATCHED, State.SIGNED),
        (Action.CONTACT, State.SIGNED, State.HANDLING),
        (Action.CONCLUDE, State.HANDLING, State.CONCLUDED),
        (Action.FOLLOW_UP, State.CONCLUDED, State.FOLLOWED_UP),
        (Action.ARCHIVE, State.FOLLOWED_UP, State.ARCHIVED),
    ]
    assert [e.actor for e in events] == [
        persona.clara,
        persona.clara,
        persona.clara,
        persona.oliver,
        persona.oliver,
        persona.oliver,
        persona.clara,
        persona.clara,
    ]
    assert events[2].unit == persona.district_a1
    assert all(e.actor_name for e in events)
    appeal.refresh_from_db()
    assert appeal.handler == persona.oliver
    assert appeal.accountable_unit == persona.district_a1
    assert appeal.signed_at and appeal.contacted_at and appeal.concluded_at
    assert not appeal.is_open and appeal.due_at is None
    follow_up = FollowUp.objects.get(appeal=appeal)
    assert follow_up.satisfaction == 5 and follow_up.resolved is True and follow_up.review == ""
    # Each step by a person left its audit row as well.
    assert AuditEntry.objects.filter(target_type="appeals.appeal", target_id=str(appeal.pk)).count() == 8


def test_transfer_and_return_count_hand_offs_and_need_a_reason(persona, register, walk):
    appeal = walk(register(), State.SIGNED)
    appeal = services.appeal_transfer(
        actor=persona.oliver, appeal_id=appeal.pk, unit=persona.district_a2, reason="属地不符"
    )
    assert appeal.state == State.DISPATCHED and appeal.unit == persona.district_a2
    assert appeal.handler is None and appeal.handoffs == 1
    appeal = services.appeal_return(actor=persona.chen, appeal_id=appeal.pk, reason="职能交叉")
    assert appeal.state == State.ACCEPTED and appeal.unit == persona.station_a and appeal.handoffs == 2
    assert appeal.sign_by is None
    events = AppealEvent.objects.filter(appeal=appeal, action__in=[Action.TRANSFER, Action.RETURN])
    assert [e.note for e in events.order_by("seq")] == ["属地不符", "职能交叉"]


def test_dispatch_with_assisting_units_lets_them_see_it(persona, register, walk):
    from jingmin.appeals.selectors import appeal_list

    appeal = walk(register(), State.ACCEPTED)
    services.appeal_dispatch(
        actor=persona.clara, appeal_id=appeal.pk, unit=persona.district_a1, assist_units=[persona.district_b1]
    )
    assert appeal_list(actor=persona.olga).filter(pk=appeal.pk).exists()
    assert list(appeal.assist_units.all()) == [persona.district_b1]


def test_supervision_marks_the_appeal_and_tells_the_handler(persona, register, walk):
    from jingmin.notify.models import Notification

    appeal = walk(register(), State.SIGNED)
    appeal = services.appeal_supervise(actor=persona.chen, appeal_id=appeal.pk, note="今日内联系群众")
    assert appeal.supervised and appeal.state == State.SIGNED
    assert Notification.objects.filter(recipient=persona.oliver, kind="appeal.supervise").exists()


def test_a_second_contact_does_not_move_the_first_contact_time(persona, register, walk):
    appeal = walk(register(), State.HANDLING)
    first = appeal.contacted_at
    appeal = services.appeal_contact(actor=persona.oliver, appeal_id=appeal.pk, note="再次回电说明进展")
    assert appeal.contacted_at == first
    assert AppealEvent.objects.filter(appeal=appeal, action=Action.CONTACT).count() == 2
