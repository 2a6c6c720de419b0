"""ID numbers and phones are stored encrypted: the raw columns hold no plain value, and an exact
search still finds the person through the keyed hash."""

from __future__ import annotations

from django.db import connection

from jingmin.ledger.selectors import PersonFilters, person_list


def _raw(table: str, columns: str, pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test constants
        return cursor.fetchone()


def test_the_raw_columns_hold_no_plain_identifier(persona, ledger_a1):
    person = ledger_a1["person"]
    id_number, phone, id_hash, phone_hash = _raw(
        "ledger_person", "id_number, phone, id_hash, phone_hash", person.pk
    )
    assert person.id_number not in id_number and person.id_number[-6:] not in id_number
    assert "13800001234" not in phone
    # The hashes are keyed: not the plain value, not a plain SHA-256 of it either.
    import hashlib

    assert id_hash not in (person.id_number, hashlib.sha256(person.id_number.encode()).hexdigest())
    assert len(id_hash) == 64 and len(phone_hash) == 64
    # Reading through the model gives the plain value back.
    person.refresh_from_db()
    assert person.phone == "13800001234"


def test_an_exact_id_number_or_phone_finds_the_person(persona, ledger_a1):
    person = ledger_a1["person"]
    oliver = persona.oliver
    assert list(person_list(oliver, PersonFilters(q=person.id_number))) == [person]
    assert list(person_list(oliver, PersonFilters(q=person.id_number.lower()))) == [person]
    assert list(person_list(oliver, PersonFilters(q="138 0000 1234"))) == [person]
    assert list(person_list(oliver, PersonFilters(q="张"))) == [person]
    # A part of an identifier finds nothing: only exact values have a hash.
    assert list(person_list(oliver, PersonFilters(q=person.id_number[:10]))) == []


def test_a_legacy_15_digit_query_finds_the_18_digit_record(persona):
    from jingmin.ledger import services
    from jingmin.ledger.models import AddressKind

    address = services.address_ensure(
        actor=None,
        parts=[(AddressKind.DIVISION, "城关镇"), (AddressKind.ROAD, "北街"), (AddressKind.NUMBER, "1号")],
        district=persona.district_a1,
    )
    house = services.house_create(actor=persona.oliver, address_id=address.pk, data=services.HouseInput())
    person = services.person_create(
        actor=persona.oliver,
        data=services.PersonInput(name="赵老", id_number="110105491231002"),
        house_id=house.pk,
    )
    assert person.id_number == "11010519491231002X"
    assert list(person_list(persona.oliver, PersonFilters(q="110105491231002"))) == [person]
