"""What must follow a visit: a task on the officer's own list, ticked done and back with the
history kept, or an appeal registered with the channel "visit" and linked to the visit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from conftest import make_user
from jingmin.appeals import services as appeals
from jingmin.appeals.models import Appeal, Category, Channel, State
from jingmin.appeals.selectors import appeal_list
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.org.roles import Role
from jingmin.visits import services
from jingmin.visits.models import EventAction, FollowUpKind, VisitEvent, VisitFollowUp
from jingmin.visits.selectors import task_list


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_a_task_lands_on_the_officers_list_and_is_ticked_off_with_its_history(persona, world, record):
    visit = record(
        household=world.a1[0].pk,
        follow_ups=[services.FollowUpInput(kind="task", text="下周送低保申请表", due_on=tomorrow())],
    )
    task = VisitFollowUp.objects.get(visit=visit)
    assert task.kind == FollowUpKind.TASK and task.officer == persona.oliver and task.due_on == tomorrow()
    assert list(task_list(actor=persona.oliver)) == [task]
    assert list(task_list(actor=persona.chen)) == []  # the chief's own list is his own

    services.followup_done(actor=persona.oliver, follow_up_id=task.pk, done=True)
    services.followup_done(actor=persona.oliver, follow_up_id=task.pk, done=True)  # a second tap
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == persona.oliver
    assert list(task_list(actor=persona.oliver)) == []
    assert list(task_list(actor=persona.oliver, include_done_since=timezone.now() - timedelta(days=1))) == [
        task
    ]

    services.followup_done(actor=persona.oliver, follow_up_id=task.pk, done=False)
    task.refresh_from_db()
    assert task.done_at is None
    actions = list(VisitEvent.objects.filter(visit=visit).order_by("seq").values_list("action", flat=True))
    assert actions == [EventAction.RECORD, EventAction.TASK_DONE, EventAction.TASK_UNDONE]


def test_others_cannot_tick_an_officers_task(persona, world, record):
    visit = record(
        household=world.a1[0].pk,
        follow_ups=[services.FollowUpInput(kind="task", text="回访", due_on=tomorrow())],
    )
    task = VisitFollowUp.objects.get(visit=visit)
    oscar = make_user("oscar", persona.district_a1, Role.OFFICER, "欧思卡")
    with pytest.raises(PermissionDenied):
        services.followup_done(actor=oscar, follow_up_id=task.pk)
    with pytest.raises(Http404):
        services.followup_done(actor=persona.olga, follow_up_id=task.pk)
    services.followup_done(actor=persona.chen, follow_up_id=task.pk)  # the chief may
    task.refresh_from_db()
    assert task.done_by == persona.chen


def test_an_appeal_raised_on_a_visit_is_registered_with_the_channel_visit_and_linked(persona, world, record):
    category = Category.objects.get(code="order-noise")
    visit = record(
        household=world.a1[2].pk,
        follow_ups=[
            services.FollowUpInput(
                kind="appeal",
                text="楼下烧烤店每晚营业到凌晨，油烟噪音扰民",
                appeal_type="complaint",
                category=category,
                citizen_name="王三",
                citizen_phone="13811112222",
            )
        ],
    )
    follow_up = VisitFollowUp.objects.get(visit=visit)
    appeal = follow_up.appeal
    assert appeal is not None and follow_up.kind == FollowUpKind.APPEAL
    assert appeal.channel == Channel.VISIT and appeal.type == "complaint" and appeal.category == category
    assert appeal.created_by == persona.oliver and appeal.intake_unit == persona.district_a1
    assert appeal.state == State.SUBMITTED and appeal.district == persona.district_a1
    assert appeal.received_at == visit.visited_at
    assert appeal.address == world.a1[2].house.address.full_name
    assert appeal.citizen_phone == "13811112222"
    assert appeal.visit_follow_up == follow_up
    # The station's clerk finds it in her queue, to accept and dispatch.
    assert appeal.pk in set(appeal_list(actor=persona.clara).values_list("pk", flat=True))


def test_the_same_visit_form_sent_twice_registers_its_appeal_once(persona, world):
    from jingmin.visits.tests.conftest import visit_input

    data = visit_input(
        household=world.a1[2].pk,
        follow_ups=[
            services.FollowUpInput(
                kind="appeal", text="路灯坏了", category=Category.objects.get(code="order-noise")
            )
        ],
    )
    services.visit_record(actor=persona.oliver, data=data, submission_key="same")
    services.visit_record(actor=persona.oliver, data=data, submission_key="same")
    assert Appeal.objects.count() == 1


def test_an_officer_registers_an_appeal_only_with_the_channel_visit(persona):
    appeal, created = appeals.appeal_register(actor=persona.oliver, data=appeal_input(channel=Channel.VISIT))
    assert created and appeal.channel == Channel.VISIT
    with pytest.raises(PermissionDenied):
        appeals.appeal_register(actor=persona.oliver, data=appeal_input(channel=Channel.PHONE))
    # Those without either capability still cannot, whatever the channel.
    with pytest.raises(PermissionDenied):
        appeals.appeal_register(actor=persona.li, data=appeal_input(channel=Channel.VISIT))
    # Clerks keep every channel.
    appeals.appeal_register(actor=persona.clara, data=appeal_input(channel=Channel.VISIT))
    assert Appeal.objects.count() == 2
