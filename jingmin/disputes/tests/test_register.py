"""Registering a dispute: its fields, its parties found in the ledger, its grade's clocks."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied

from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.disputes import services
from jingmin.disputes.codes import AuditAction
from jingmin.disputes.models import Dispute, DisputeEvent, Party
from jingmin.disputes.tests.conftest import dispute_input, register
from jingmin.ledger.tests.conftest import make_id
from jingmin.worktime.calendar import SHANGHAI

pytestmark = pytest.mark.django_db


def test_a_dispute_is_registered_with_every_field_an_event_and_an_audit_row(persona):
    dispute = register(persona.oliver, persona.district_a1.pk)
    assert dispute.state == "found" and dispute.is_open
    assert dispute.district_path == persona.district_a1.path
    assert dispute.people_involved == 4 and str(dispute.amount_involved) == "3000.00"
    assert dispute.deadline > dispute.created_at and dispute.visit_due is not None
    assert [e.action for e in DisputeEvent.objects.filter(dispute=dispute)] == ["register"]
    assert AuditEntry.objects.filter(action=AuditAction.DISPUTE_REGISTER, target_id=str(dispute.pk)).exists()


def test_a_party_found_in_the_ledger_by_phone_or_id_number_is_linked_and_kept_encrypted(persona, ledger_a1):
    person = ledger_a1["person"]
    dispute = register(
        persona.oliver,
        persona.district_a1.pk,
        parties=[
            services.PartyInput(name="张三", phone="138 0000 1234"),
            services.PartyInput(name="张三", id_number=make_id()),
            services.PartyInput(person=person.pk, role="respondent"),
        ],
    )
    parties = list(Party.objects.filter(dispute=dispute).order_by("id"))
    assert [p.person_id for p in parties] == [person.pk] * 3
    assert parties[0].phone_masked == "138****1234"
    raw = Party.objects.filter(pk=parties[0].pk).values_list("phone", flat=True)
    # What the database holds is the encrypted token, never the number.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM disputes_party WHERE id = %s", [parties[0].pk])
        stored = cursor.fetchone()[0]
    assert "13800001234" not in stored and list(raw) == ["13800001234"]


def test_a_party_of_another_station_is_not_found_through_the_ledger(persona, ledger_a1):
    dispute = register(
        persona.olga, persona.district_b1.pk, parties=[services.PartyInput(name="张三", phone="13800001234")]
    )
    assert dispute.parties.get().person_id is None


def test_the_same_submission_sent_twice_registers_one_dispute(persona):
    data = dispute_input(persona.district_a1.pk)
    first, created = services.dispute_register(actor=persona.oliver, data=data, submission_key="k-1")
    again, created_again = services.dispute_register(actor=persona.oliver, data=data, submission_key="k-1")
    assert created and not created_again and first.pk == again.pk
    assert Dispute.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": " "}, "title"),
        ({"grade": "purple"}, "grade"),
        ({"type": "alien"}, "type"),
        ({"parties": []}, "parties"),
        ({"people_involved": 0}, "people_involved"),
        ({"amount_involved": "-5"}, "amount_involved"),
        ({"occurred_at": datetime(2099, 1, 1, tzinfo=SHANGHAI)}, "occurred_at"),
    ],
)
def test_bad_input_names_its_field_and_changes_nothing(persona, overrides, field):
    with pytest.raises(ServiceError) as err:
        services.dispute_register(
            actor=persona.oliver, data=dispute_input(persona.district_a1.pk, **overrides)
        )
    assert err.value.field == field
    assert (
        not Dispute.objects.exists()
        and not AuditEntry.objects.filter(action=AuditAction.DISPUTE_REGISTER).exists()
    )


def test_a_district_outside_the_scope_is_refused(persona):
    with pytest.raises(ServiceError) as err:
        register(persona.oliver, persona.district_b1.pk)
    assert err.value.field == "district"


def test_a_clerk_does_not_register_disputes(persona):
    with pytest.raises(PermissionDenied):
        register(persona.clara, persona.district_a1.pk)
