"""A dissatisfied answer goes to a reasonableness review; a reasonable demand reopens the appeal
with five working days to report, an unreasonable one leaves it closed (and a leader may still
reopen it)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jingmin.appeals import services
from jingmin.appeals.models import Action, AppealEvent, FollowUp, ReviewOutcome, State
from jingmin.notify.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def dissatisfied(persona, walk, register):
    appeal = walk(register(), State.CONCLUDED)
    return services.appeal_follow_up(
        actor=persona.clara, appeal_id=appeal.pk, resolved=False, satisfaction=2, note="噪音仍在"
    )


def test_a_satisfied_answer_needs_no_review(persona, walk, register):
    appeal = walk(register(), State.FOLLOWED_UP)
    assert FollowUp.objects.get(appeal=appeal).review == ReviewOutcome.NONE
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_review(actor=persona.ines, appeal_id=appeal.pk, reasonable=True, note="-")


def test_a_dissatisfied_answer_waits_for_review_and_the_inspector_hears_of_it(persona, walk, register):
    appeal = dissatisfied(persona, walk, register)
    assert appeal.state == State.FOLLOWED_UP
    assert FollowUp.objects.get(appeal=appeal).review == ReviewOutcome.PENDING
    assert Notification.objects.filter(recipient=persona.ines, kind="appeal.follow-up").exists()
    # Nothing is archived or reopened past a pending review.
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_archive(actor=persona.clara, appeal_id=appeal.pk)
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_reopen(actor=persona.li, appeal_id=appeal.pk, reason="重办")


def test_a_reasonable_demand_reopens_with_five_working_days(persona, walk, register):
    appeal = dissatisfied(persona, walk, register)
    with time_machine.travel(datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI), tick=False):  # a Friday
        appeal = services.appeal_review(
            actor=persona.ines, appeal_id=appeal.pk, reasonable=True, note="民警未上门核实，诉求合理"
        )
    assert appeal.state == State.HANDLING and appeal.is_open
    assert appeal.reopen_count == 1 and appeal.result == "" and appeal.concluded_at is None
    assert appeal.conclude_by == datetime(2026, 12, 4, 23, 59, 59, tzinfo=SHANGHAI)
    assert appeal.handler == persona.oliver
    follow_up = FollowUp.objects.get(appeal=appeal)
    assert (follow_up.review, follow_up.reviewed_by, follow_up.review_note) == (
        ReviewOutcome.REASONABLE,
        persona.ines,
        "民警未上门核实，诉求合理",
    )
    actions = list(AppealEvent.objects.filter(appeal=appeal).order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == [Action.REVIEW, Action.REOPEN]
    assert Notification.objects.filter(recipient=persona.oliver, kind="appeal.reopen").exists()

    # The second round: concluded again, followed up again in a second follow-up.
    appeal = services.appeal_conclude(
        actor=persona.oliver, appeal_id=appeal.pk, result="solved", note="已协调物业"
    )
    appeal = services.appeal_follow_up(
        actor=persona.clara, appeal_id=appeal.pk, resolved=True, satisfaction=4
    )
    assert list(FollowUp.objects.filter(appeal=appeal).values_list("round", "satisfaction")) == [
        (1, 2),
        (2, 4),
    ]


def test_an_unreasonable_demand_is_recorded_and_a_leader_may_still_reopen(persona, walk, register):
    appeal = dissatisfied(persona, walk, register)
    appeal = services.appeal_review(
        actor=persona.ines, appeal_id=appeal.pk, reasonable=False, note="要求超出公安职责"
    )
    assert appeal.state == State.FOLLOWED_UP
    assert FollowUp.objects.get(appeal=appeal).review == ReviewOutcome.UNREASONABLE
    appeal = services.appeal_reopen(actor=persona.li, appeal_id=appeal.pk, reason="局长批示重办")
    assert appeal.state == State.HANDLING and appeal.reopen_count == 1


def test_the_citizen_answers_through_the_link_of_the_sms(
    persona, walk, register, sms_outbox, django_capture_on_commit_callbacks, run_tasks
):
    appeal = walk(register(), State.HANDLING)
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_conclude(actor=persona.oliver, appeal_id=appeal.pk, result="solved", note="已处理")
    assert sms_outbox == []  # queued after commit, sent by the worker
    run_tasks()
    [sms] = sms_outbox
    assert sms.phone == "13812345678" and appeal.tracking_code in sms.text
    token = sms.text.rstrip("/").rsplit("/", 1)[-1]
    appeal = services.appeal_follow_up_by_citizen(token=token, resolved=True, satisfaction=5, note="谢谢")
    follow_up = FollowUp.objects.get(appeal=appeal)
    assert (follow_up.channel, follow_up.answered_by, follow_up.satisfaction) == ("link", None, 5)
    # The link works once.
    with pytest.raises(services.ServiceError) as again:
        services.appeal_follow_up_by_citizen(token=token, resolved=True, satisfaction=5)
    assert again.value.field == "token"


@pytest.mark.parametrize(
    ("resolved", "satisfaction", "field"),
    [(None, 5, "resolved"), (True, 6, "satisfaction"), (True, "5", "satisfaction")],
)
def test_a_follow_up_answer_must_be_complete(persona, walk, register, resolved, satisfaction, field):
    appeal = walk(register(), State.CONCLUDED)
    with pytest.raises(services.ServiceError) as refused:
        services.appeal_follow_up(
            actor=persona.clara, appeal_id=appeal.pk, resolved=resolved, satisfaction=satisfaction
        )
    assert refused.value.field == field
    appeal.refresh_from_db()
    assert appeal.state == State.CONCLUDED
    assert FollowUp.objects.get(appeal=appeal).answered_at is None
