"""Reading a person's record writes an audit row for everyone; revealing a full identifier needs
LEDGER_REVEAL (chief, inspector) and writes its own row; a refused reveal writes none."""

from __future__ import annotations

from django.urls import reverse

from conftest import signed_in
from jingmin.audit.models import AuditEntry


def _rows(action: str, person) -> int:
    return AuditEntry.objects.filter(
        action=action, target_type="ledger.person", target_id=str(person.pk)
    ).count()


def test_reading_a_person_writes_an_audit_row(persona, ledger_a1):
    person = ledger_a1["person"]
    for user in (persona.oliver, persona.clara, persona.chen):
        page = signed_in(user).get(reverse("ledger:person", args=[person.pk]))
        assert page.status_code == 200
    entries = AuditEntry.objects.filter(action="ledger.person_read", target_id=str(person.pk))
    assert sorted(entries.values_list("actor_username", flat=True)) == ["chen", "clara", "oliver"]


def test_the_person_page_shows_identifiers_masked(persona, ledger_a1):
    person = ledger_a1["person"]
    html = signed_in(persona.oliver).get(reverse("ledger:person", args=[person.pk])).content.decode()
    assert person.id_number not in html and "13800001234" not in html
    assert person.id_number_masked in html and "138****1234" in html
    # Oliver may not reveal: no button.
    assert reverse("ledger:reveal", args=["person", person.pk, "id_number"]) not in html
    chen_html = signed_in(persona.chen).get(reverse("ledger:person", args=[person.pk])).content.decode()
    assert reverse("ledger:reveal", args=["person", person.pk, "id_number"]) in chen_html


def test_a_chief_reveals_and_the_reveal_is_audited(persona, ledger_a1):
    person = ledger_a1["person"]
    url = reverse("ledger:reveal", args=["person", person.pk, "id_number"])
    page = signed_in(persona.chen).post(url, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert person.id_number in page.content.decode()
    entry = AuditEntry.objects.get(action="ledger.identifier_reveal", target_id=str(person.pk))
    assert entry.actor_username == "chen" and entry.detail == {"field": "id_number"}
    phone = signed_in(persona.ines).post(reverse("ledger:reveal", args=["person", person.pk, "phone"]))
    assert 'href="tel:13800001234"' in phone.content.decode()
    assert _rows("ledger.identifier_reveal", person) == 2


def test_a_reveal_refused_to_an_officer_changes_nothing_and_writes_no_reveal_row(persona, ledger_a1):
    person = ledger_a1["person"]
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    url = reverse("ledger:reveal", args=["person", person.pk, "id_number"])
    page = signed_in(persona.oliver).post(url)
    assert page.status_code == 403
    assert person.id_number not in page.content.decode()
    assert AuditEntry.objects.filter(action="ledger.identifier_reveal").count() == 0
    # The refusal itself may be logged by the platform; no row names the person or a reveal.
    assert not AuditEntry.objects.filter(pk__gt=before, target_type="ledger.person").exists()


def test_reveal_is_post_only_scoped_and_limited_to_identifier_fields(persona, ledger_a1, ledger_b1):
    person = ledger_a1["person"]
    chen = signed_in(persona.chen)
    assert chen.get(reverse("ledger:reveal", args=["person", person.pk, "id_number"])).status_code == 405
    # Olga's district is another station: outside Chen's scope.
    other = ledger_b1["person"]
    assert chen.post(reverse("ledger:reveal", args=["person", other.pk, "id_number"])).status_code == 404
    assert chen.post(reverse("ledger:reveal", args=["person", person.pk, "name"])).status_code == 404
    assert AuditEntry.objects.filter(action="ledger.identifier_reveal").count() == 0


def test_owner_and_contact_phones_are_revealed_the_same_way(persona, ledger_a1):
    from jingmin.ledger import services

    house = services.house_update(
        actor=persona.oliver,
        house_id=ledger_a1["house"].pk,
        data=services.HouseInput(owner_name="张三", owner_phone="13512345678"),
    )
    html = signed_in(persona.oliver).get(reverse("ledger:house", args=[house.pk])).content.decode()
    assert "135****5678" in html and "13512345678" not in html
    page = signed_in(persona.chen).post(reverse("ledger:reveal", args=["house", house.pk, "owner_phone"]))
    assert "13512345678" in page.content.decode()
    assert (
        AuditEntry.objects.filter(action="ledger.identifier_reveal", target_type="ledger.house").count() == 1
    )
