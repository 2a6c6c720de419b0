"""An opinion given at an event is followed through to its answer: an owner and a deadline, the
outcome recorded, and the person who left a number told by SMS once it is committed; or it
becomes an appeal of the station with the channel "open-door event"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from jingmin.appeals.models import Appeal, Category, Channel
from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.evaluation import services
from jingmin.evaluation.codes import AuditAction
from jingmin.evaluation.models import EventHistory, EventStep, Opinion, OpinionState
from jingmin.evaluation.tests.conftest import held_event


def test_a_tracked_opinion_ends_with_its_outcome_sent_to_the_person(
    persona, sms_outbox, django_capture_on_commit_callbacks, run_tasks
):
    event = held_event(persona)
    opinion = services.opinion_add(
        actor=persona.chen,
        event_id=event.pk,
        text="东门路口晚上路灯不亮，希望加强巡逻。",
        contact_phone="138 1234 5678",
    )
    assert Opinion.objects.get(pk=opinion.pk).contact_phone == "13812345678"
    due = timezone.localdate() + timedelta(days=7)
    services.opinion_track(actor=persona.chen, opinion_id=opinion.pk, owner=persona.oliver, due_on=due)

    # Only the owner or a manager reports the outcome; another station does not even see it.
    with pytest.raises(PermissionDenied):
        services.opinion_conclude(actor=persona.clara, opinion_id=opinion.pk, outcome="已处理")
    with pytest.raises(Http404):
        services.opinion_conclude(actor=persona.olga, opinion_id=opinion.pk, outcome="已处理")

    with django_capture_on_commit_callbacks(execute=True):
        services.opinion_conclude(
            actor=persona.oliver, opinion_id=opinion.pk, outcome="已联系路灯管理所修复，晚间巡逻增加一次。"
        )
    assert sms_outbox == []  # queued after commit, sent by the worker
    run_tasks()
    [sms] = sms_outbox
    assert sms.phone == "13812345678"
    assert "城关派出所" in sms.text and "已联系路灯管理所修复" in sms.text

    opinion.refresh_from_db()
    assert opinion.state == OpinionState.CONCLUDED and opinion.reported_at is not None
    steps = list(EventHistory.objects.filter(event=event).values_list("step", flat=True))
    assert steps == [EventStep.PLAN, EventStep.HOLD, EventStep.OPINION, EventStep.TRACK, EventStep.CONCLUDE]
    assert AuditEntry.objects.filter(action=AuditAction.OPINION_CONCLUDE, target_id=str(opinion.pk)).exists()

    # Reported once: a second report is refused and sends nothing.
    with pytest.raises(ServiceError):
        services.opinion_conclude(actor=persona.oliver, opinion_id=opinion.pk, outcome="再次反馈")


def test_an_opinion_without_a_number_ends_without_an_sms(
    persona, sms_outbox, django_capture_on_commit_callbacks, run_tasks
):
    event = held_event(persona)
    opinion = services.opinion_add(actor=persona.chen, event_id=event.pk, text="建议户籍窗口延长午间办公。")
    services.opinion_track(
        actor=persona.chen, opinion_id=opinion.pk, owner=persona.clara, due_on=timezone.localdate()
    )
    with django_capture_on_commit_callbacks(execute=True):
        row = services.opinion_conclude(
            actor=persona.clara, opinion_id=opinion.pk, outcome="午间安排一人值守。"
        )
    run_tasks()
    assert sms_outbox == [] and row.reported_at is None and row.state == OpinionState.CONCLUDED


def test_an_opinion_becomes_an_appeal_through_the_appeal_services(persona):
    event = held_event(persona)
    opinion = services.opinion_add(
        actor=persona.chen, event_id=event.pk, text="小区门口夜市噪音扰民。", contact_phone="13812345678"
    )
    category = Category.objects.filter(parent__isnull=False, is_active=True).first()
    appeal = services.opinion_to_appeal(
        actor=persona.chen, opinion_id=opinion.pk, type="complaint", category=category
    )
    assert appeal.channel == Channel.OPEN_DOOR and appeal.intake_unit == persona.station_a
    assert appeal.citizen_phone == "13812345678" and appeal.content == "小区门口夜市噪音扰民。"
    assert appeal.events.filter(action="register").exists()
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.APPEAL and opinion.appeal == appeal
    # Once an appeal, the appeal's own follow-up answers the person: the opinion takes no other step.
    with pytest.raises(ServiceError):
        services.opinion_track(
            actor=persona.chen, opinion_id=opinion.pk, owner=persona.oliver, due_on=timezone.localdate()
        )
    assert Appeal.objects.count() == 1


def test_an_owner_must_belong_to_the_station(persona):
    event = held_event(persona)
    opinion = services.opinion_add(actor=persona.chen, event_id=event.pk, text="意见")
    with pytest.raises(ServiceError) as info:
        services.opinion_track(
            actor=persona.chen, opinion_id=opinion.pk, owner=persona.olga, due_on=timezone.localdate()
        )
    assert info.value.field == "owner"
