"""The clerk's intake is one service, `appeal_register_and_dispatch`, that the intake page and the
API both call: it registers, accepts and dispatches in one durable transaction, a refused dispatch
leaves nothing behind, a repeated submission takes no step twice, and no caller can wrap it in a
transaction of its own."""

from __future__ import annotations

import pytest
from django.db import transaction

from jingmin.api.tests.conftest import api_as
from jingmin.api.tests.test_field_errors import new_appeal
from jingmin.appeals import services
from jingmin.appeals.models import Action, Appeal, AppealEvent, State
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.org.models import Unit


def steps(appeal: Appeal) -> list[str]:
    return list(AppealEvent.objects.filter(appeal=appeal).order_by("pk").values_list("action", flat=True))


def test_clara_registers_and_dispatches_to_olivers_district_in_one_call(persona):
    appeal, created = services.appeal_register_and_dispatch(
        actor=persona.clara, data=appeal_input(), dispatch_to=persona.district_a1, submission_key="k1"
    )

    assert created
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED and appeal.unit == persona.district_a1
    assert steps(appeal) == [Action.REGISTER, Action.ACCEPT, Action.DISPATCH]


def test_without_a_unit_the_appeal_is_only_registered(persona):
    appeal, created = services.appeal_register_and_dispatch(actor=persona.clara, data=appeal_input())

    assert created and appeal.state == State.SUBMITTED
    assert steps(appeal) == [Action.REGISTER]


def test_a_refused_dispatch_leaves_no_appeal_and_names_the_intake_field(persona):
    closed = persona.district_a2
    Unit.objects.filter(pk=closed.pk).update(is_active=False)
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(ServiceError) as refused:
        services.appeal_register_and_dispatch(
            actor=persona.clara, data=appeal_input(), dispatch_to=closed.pk, submission_key="k2"
        )

    assert refused.value.code == "inactive_unit"
    assert refused.value.field == "dispatch_to"
    assert not Appeal.objects.exists()
    assert AuditEntry.objects.count() == audit_rows


def test_the_same_submission_again_takes_no_step_twice(persona):
    first, _ = services.appeal_register_and_dispatch(
        actor=persona.clara, data=appeal_input(), dispatch_to=persona.district_a1, submission_key="k3"
    )
    again, created = services.appeal_register_and_dispatch(
        actor=persona.clara, data=appeal_input(), dispatch_to=persona.district_a1, submission_key="k3"
    )

    assert not created and again.pk == first.pk
    assert steps(first) == [Action.REGISTER, Action.ACCEPT, Action.DISPATCH]


def test_a_caller_cannot_wrap_it_in_a_transaction_of_its_own(persona):
    # The test's own transaction is allowed (Django marks it as the test case's); one more is not.
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services.appeal_register_and_dispatch(actor=persona.clara, data=appeal_input())
    assert not Appeal.objects.exists()


def test_the_api_registers_and_dispatches_through_the_same_service(persona):
    response = api_as(persona.clara).post(
        "/api/v1/appeals/", new_appeal(dispatch_to=persona.district_a1.pk), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["state"] == State.DISPATCHED
    appeal = Appeal.objects.get()
    assert appeal.unit == persona.district_a1
    assert steps(appeal) == [Action.REGISTER, Action.ACCEPT, Action.DISPATCH]


def test_a_dispatch_the_api_refuses_registers_nothing(persona):
    Unit.objects.filter(pk=persona.district_a2.pk).update(is_active=False)
    response = api_as(persona.clara).post(
        "/api/v1/appeals/", new_appeal(dispatch_to=persona.district_a2.pk), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "inactive_unit" and response.json()["field"] == "dispatch_to"
    assert not Appeal.objects.exists()
