"""Corrections are appended: the visit's own text is never overwritten. A visit recorded in
error is withdrawn and no longer counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_user
from jingmin.core.errors import ServiceError
from jingmin.org.roles import Role
from jingmin.visits import services
from jingmin.visits.coverage import coverage_by_district
from jingmin.visits.models import EventAction, VisitAmendment, VisitEvent, VisitItem
from jingmin.visits.selectors import visit_get


def test_a_corrected_summary_is_a_new_row_and_the_original_stays(persona, world, record):
    visit = record(household=world.a1[0].pk, summary="家中有老人独居")
    services.visit_amend(
        actor=persona.oliver, visit_id=visit.pk, reason="写错了", summary="家中老人与儿子同住"
    )
    services.visit_amend(
        actor=persona.oliver,
        visit_id=visit.pk,
        reason="补记",
        items=[services.ItemInput(kind="illness", text="老人患高血压")],
    )
    visit.refresh_from_db()
    assert visit.summary == "家中有老人独居"
    current = visit_get(actor=persona.oliver, pk=visit.pk)
    assert current.corrected_summary == "家中老人与儿子同住"  # type: ignore[attr-defined]
    assert list(VisitAmendment.objects.filter(visit=visit).values_list("seq", "reason")) == [
        (1, "写错了"),
        (2, "补记"),
    ]
    item = VisitItem.objects.get(visit=visit)
    assert item.amendment is not None and item.amendment.seq == 2
    actions = list(VisitEvent.objects.filter(visit=visit).order_by("seq").values_list("action", flat=True))
    assert actions == [EventAction.RECORD, EventAction.AMEND, EventAction.AMEND]


def test_withdrawing_takes_the_visit_out_of_coverage(persona, world, record):
    visit = record(household=world.a1[0].pk)
    assert coverage_by_district([persona.district_a1.pk])[persona.district_a1.pk].covered == 1
    services.visit_amend(actor=persona.chen, visit_id=visit.pk, reason="记错了住户", withdraw=True)
    visit.refresh_from_db()
    assert visit.withdrawn
    assert coverage_by_district([persona.district_a1.pk])[persona.district_a1.pk].covered == 0
    with pytest.raises(ServiceError):
        services.visit_amend(actor=persona.oliver, visit_id=visit.pk, reason="再改", summary="新")


def test_an_amendment_needs_a_reason_and_a_change(persona, world, record):
    visit = record(household=world.a1[0].pk, summary="原文")
    with pytest.raises(ServiceError) as caught:
        services.visit_amend(actor=persona.oliver, visit_id=visit.pk, reason="", summary="新文")
    assert caught.value.field == "reason"
    with pytest.raises(ServiceError) as caught:
        services.visit_amend(actor=persona.oliver, visit_id=visit.pk, reason="没改", summary="原文")
    assert caught.value.field == "summary"
    assert VisitAmendment.objects.count() == 0


def test_a_colleague_does_not_amend_someone_elses_visit(persona, world, record):
    visit = record(household=world.a1[0].pk)
    oscar = make_user("oscar", persona.district_a1, Role.OFFICER, "欧思卡")
    with pytest.raises(PermissionDenied):
        services.visit_amend(actor=oscar, visit_id=visit.pk, reason="改", summary="另写")
    assert VisitAmendment.objects.count() == 0
