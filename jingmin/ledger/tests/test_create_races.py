"""What the database's constraints catch when two requests pass the ledger's own checks at once:
the same form submitted twice creates one record, and a real collision is named with nothing
left behind (no record, no history row, no audit row)."""

from __future__ import annotations

import pytest

from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.ledger import services
from jingmin.ledger.models import LedgerChange, Person


def counts() -> tuple[int, int, int]:
    return (
        Person.objects.count(),
        LedgerChange.objects.count(),
        AuditEntry.objects.filter(action="ledger.person_create").count(),
    )


def test_a_double_tap_that_slips_past_the_key_check_still_creates_one_person(persona, ledger_a1, monkeypatch):
    data = services.PersonInput(name="赵七", relation="child")
    house = ledger_a1["house"].pk
    first = services.person_create(actor=persona.oliver, data=data, house_id=house, submission_key="k-zhao")
    before = counts()
    # The second request looked for its key before the first had committed, so it found nothing;
    # only its own insert of the history row, whose key is unique, tells it otherwise.
    replayed = services._replayed
    calls = []

    def not_yet_committed(model, record_type, key):
        calls.append(key)
        return None if len(calls) == 1 else replayed(model, record_type, key)

    monkeypatch.setattr(services, "_replayed", not_yet_committed)
    second = services.person_create(actor=persona.oliver, data=data, house_id=house, submission_key="k-zhao")
    assert len(calls) == 2
    assert second.pk == first.pk
    assert counts() == before


def test_an_id_number_registered_meanwhile_is_refused_by_name_and_nothing_is_kept(
    persona, ledger_a1, monkeypatch
):
    taken = ledger_a1["person"].id_number
    before = counts()
    # Another clerk registered this ID number after this request checked it was free.
    monkeypatch.setattr(services, "_check_id_free", lambda *args, **kwargs: None)
    with pytest.raises(ServiceError) as refused:
        services.person_create(
            actor=persona.oliver,
            data=services.PersonInput(name="冒名", id_number=taken, relation="other"),
            house_id=ledger_a1["house"].pk,
            submission_key="k-other",
        )
    assert refused.value.code == "duplicate_id" and refused.value.field == "id_number"
    assert counts() == before
    assert not LedgerChange.objects.filter(submission_key="k-other").exists()
