"""The queue finds an appeal by the caller's phone, however it is typed, and by the caller's whole
name, through keyed hashes of the encrypted values; never outside the person's scope."""

from __future__ import annotations

import pytest
from django.db import connection

from jingmin.appeals.selectors import AppealFilters, appeal_list
from jingmin.core.crypto import lookup_hash


@pytest.fixture
def calls(persona, register):
    return {
        "wang": register(title="楼道漏水", citizen_name="王小明", citizen_phone="13812345678"),
        "li": register(title="路灯不亮", citizen_name="李红", citizen_phone="+8613900001111"),
    }


def found(actor, q):
    return {a.title for a in appeal_list(actor=actor, filters=AppealFilters(q=q))}


@pytest.mark.parametrize("typed", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678"])
def test_the_callers_phone_finds_the_appeal(persona, calls, typed):
    assert found(persona.clara, typed) == {"楼道漏水"}


def test_a_number_stored_with_the_country_code_is_found_without_it(persona, calls):
    assert found(persona.clara, "13900001111") == {"路灯不亮"}


def test_the_callers_whole_name_finds_the_appeal(persona, calls):
    assert found(persona.clara, "王小明") == {"楼道漏水"}
    assert found(persona.clara, "李红") == {"路灯不亮"}


def test_the_name_is_stored_only_as_ciphertext_and_a_keyed_hash(persona, calls):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT citizen_name, citizen_name_hash FROM appeals_appeal WHERE id = %s", [calls["wang"].pk]
        )
        stored, hashed = cursor.fetchone()
    assert stored and "王小明" not in stored
    assert hashed == lookup_hash("王小明")


def test_part_of_a_name_or_another_number_finds_nothing(persona, calls):
    assert found(persona.clara, "13812345679") == set()
    assert found(persona.clara, "小明") == set()


def test_phone_and_name_stay_within_scope(persona, calls):
    assert found(persona.olga, "13812345678") == set()
    assert found(persona.olga, "王小明") == set()
