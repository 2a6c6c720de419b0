"""Every change to a ledger record is kept in the change table, identifiers masked; persons leave
by deactivation, never deletion."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from conftest import signed_in
from jingmin.ledger import services
from jingmin.ledger.models import ChangeAction, LedgerChange, Person, RecordType
from jingmin.ledger.tests.conftest import make_id


def _changes(person):
    return list(
        LedgerChange.objects.filter(record_type=RecordType.PERSON, record_id=person.pk).order_by("id")
    )


def test_an_edit_appends_what_changed_with_identifiers_masked(persona, ledger_a1):
    person = ledger_a1["person"]
    old_id = person.id_number
    new_id = make_id(date(1980, 5, 17), seq=125)
    services.person_update(
        actor=persona.oliver,
        person_id=person.pk,
        data=services.PersonInput(
            name="张三丰",
            id_number=new_id,
            phone="13800001234",
            relation="head",
            tags=["elderly-alone", "veteran"],
        ),
        household_id=ledger_a1["household"].pk,
    )
    created, updated = _changes(person)
    assert created.action == ChangeAction.CREATE
    assert updated.action == ChangeAction.UPDATE and updated.actor == persona.oliver
    assert updated.changes["name"] == ["张三", "张三丰"]
    assert updated.changes["tags"] == [["elderly-alone"], ["elderly-alone", "veteran"]]
    old_masked, new_masked = updated.changes["id_number"]
    assert old_masked == old_id[:4] + "*" * 10 + old_id[-4:] and new_masked.endswith(new_id[-4:])
    # Neither value is in the history in clear, anywhere.
    text = str([c.changes for c in _changes(person)])
    assert old_id not in text and new_id not in text and "13800001234" not in text
    # The unchanged phone is not mentioned.
    assert "phone" not in updated.changes


def test_saving_without_a_change_appends_nothing(persona, ledger_a1):
    person = ledger_a1["person"]
    services.person_update(
        actor=persona.oliver,
        person_id=person.pk,
        data=services.PersonInput(
            name="张三",
            id_number=person.id_number,
            phone="13800001234",
            relation="head",
            tags=["elderly-alone"],
        ),
        household_id=ledger_a1["household"].pk,
    )
    assert len(_changes(person)) == 1


def test_a_person_leaves_by_deactivation_and_the_record_stays(persona, ledger_a1):
    person = ledger_a1["person"]
    services.person_deactivate(actor=persona.oliver, person_id=person.pk, reason="deceased", note="病故")
    person.refresh_from_db()
    assert not person.is_active and person.left_reason == "deceased"
    assert Person.objects.filter(pk=person.pk).exists()
    last = _changes(person)[-1]
    assert last.action == ChangeAction.DEACTIVATE and last.changes["left_reason"] == ["", "deceased"]
    # The household has no head until a new one is chosen; that too is in its history
    # (created, head set when the person was entered as head, head gone).
    household = ledger_a1["household"]
    household.refresh_from_db()
    assert household.head is None
    changes = LedgerChange.objects.filter(record_type=RecordType.HOUSEHOLD, record_id=household.pk).order_by(
        "id"
    )
    assert [c.changes.get("head") for c in changes] == [None, [None, person.pk], [person.pk, None]]
    # A person recorded as gone in error comes back, with the same record.
    services.person_reactivate(actor=persona.oliver, person_id=person.pk)
    person.refresh_from_db()
    assert person.is_active and _changes(person)[-1].action == ChangeAction.REACTIVATE


def test_the_history_is_on_the_page(persona, ledger_a1):
    person = ledger_a1["person"]
    client = signed_in(persona.oliver)
    client.post(
        reverse("ledger:person_edit", args=[person.pk]),
        {
            "name": "张三",
            "sex": person.sex,
            "residence": "registered",
            "relation": "head",
            "note": "腿脚不便",
            "household": str(ledger_a1["household"].pk),
            "tags": ["elderly-alone"],
        },
    )
    html = client.get(reverse("ledger:person", args=[person.pk])).content.decode()
    assert "腿脚不便" in html and 'id="history"' in html
    assert LedgerChange.objects.filter(record_type="person", record_id=person.pk, action="update").exists()
