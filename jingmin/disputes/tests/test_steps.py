"""A dispute's life: mediation, visits, re-grading with a reason, and how it ends."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jingmin.core.errors import ServiceError
from jingmin.disputes import services
from jingmin.disputes.models import DisputeEvent, Mediation
from jingmin.disputes.tests.conftest import register

pytestmark = pytest.mark.django_db


def test_mediation_moves_a_found_dispute_to_mediating_and_is_logged(persona):
    dispute = register(persona.oliver, persona.district_a1.pk)
    services.dispute_mediate(
        actor=persona.oliver,
        dispute_id=dispute.pk,
        with_whom="王五、赵六",
        what="现场调解",
        agreed="赵六承担维修费",
    )
    dispute.refresh_from_db()
    assert dispute.state == "mediating"
    m = Mediation.objects.get(dispute=dispute)
    assert (m.with_whom, m.agreed, m.mediator_id) == ("王五、赵六", "赵六承担维修费", persona.oliver.pk)


def test_regrading_records_the_reason_and_both_grades_and_resets_the_deadline(persona):
    dispute = register(persona.oliver, persona.district_a1.pk, grade="blue")
    before = dispute.deadline
    services.dispute_regrade(actor=persona.chen, dispute_id=dispute.pk, grade="red", reason="当事人扬言报复")
    dispute.refresh_from_db()
    event = DisputeEvent.objects.get(dispute=dispute, action="regrade")
    assert (event.from_grade, event.to_grade, event.note) == ("blue", "red", "当事人扬言报复")
    assert event.data["up"] is True
    assert dispute.deadline < before


def test_regrading_to_the_same_grade_is_refused(persona):
    dispute = register(persona.oliver, persona.district_a1.pk)
    with pytest.raises(ServiceError):
        services.dispute_regrade(actor=persona.oliver, dispute_id=dispute.pk, grade="yellow", reason="x")


def test_handing_over_records_to_whom_and_closes_the_dispute(persona):
    dispute = register(persona.oliver, persona.district_a1.pk)
    services.dispute_hand_over(
        actor=persona.oliver, dispute_id=dispute.pk, to_kind="court", to="城关区人民法院"
    )
    dispute.refresh_from_db()
    assert (dispute.state, dispute.is_open, dispute.handed_to) == ("handed_over", False, "城关区人民法院")
    assert dispute.closed_at is not None and dispute.visit_due is None


@pytest.mark.parametrize("step", ["resolve", "contain"])
def test_a_closed_dispute_takes_no_further_step(persona, step):
    dispute = register(persona.oliver, persona.district_a1.pk)
    if step == "resolve":
        services.dispute_resolve(actor=persona.oliver, dispute_id=dispute.pk, outcome="双方和解")
    else:
        services.dispute_contain(actor=persona.oliver, dispute_id=dispute.pk, note="双方情绪稳定")
    with pytest.raises(services.StepNotAllowed):
        services.dispute_mediate(
            actor=persona.oliver, dispute_id=dispute.pk, with_whom="王五", what="再次调解"
        )
    assert DisputeEvent.objects.filter(dispute=dispute).count() == 2


def test_a_step_sent_twice_with_its_key_is_taken_once(persona):
    dispute = register(persona.oliver, persona.district_a1.pk)
    for _ in range(2):
        services.dispute_visit(
            actor=persona.oliver, dispute_id=dispute.pk, what="回访，情绪稳定", submission_key="v1"
        )
    assert Mediation.objects.filter(dispute=dispute).count() == 1


def test_outside_the_scope_a_dispute_does_not_exist_and_a_leader_may_not_act(persona):
    dispute = register(persona.oliver, persona.district_a1.pk)
    with pytest.raises(Http404):
        services.dispute_resolve(actor=persona.olga, dispute_id=dispute.pk, outcome="x")
    with pytest.raises(PermissionDenied):
        services.dispute_resolve(actor=persona.li, dispute_id=dispute.pk, outcome="x")
