"""ID numbers (GB 11643): the check character, the date of birth, the legacy 15-digit form, and
what a person's record keeps of them; phones and credit codes beside them."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from jingmin.core.errors import ServiceError
from jingmin.ledger.identifiers import (
    id_check_character,
    normalise_credit_code,
    normalise_phone,
    parse_id_number,
)
from jingmin.ledger.tests.conftest import make_id


def test_a_valid_number_gives_its_birth_date_and_sex():
    parsed = parse_id_number("11010519491231002X")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "female"  # the 17th digit, 2, is even
    assert not parsed.converted_from_legacy


def test_a_check_character_of_x_is_accepted_in_either_case_and_with_spaces():
    assert parse_id_number(" 110105 19491231 002x ").number == "11010519491231002X"


def test_a_computed_check_digit_is_accepted():
    number = make_id(date(1985, 2, 28), seq=37)
    assert parse_id_number(number).sex == "male"


def test_a_wrong_check_character_is_refused():
    good = make_id(date(1980, 5, 17))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ServiceError) as error:
        parse_id_number(bad)
    assert error.value.code == "id_bad_check"
    assert error.value.field == "id_number"


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900001", "20230229"])
def test_an_impossible_date_of_birth_is_refused(birth):
    first17 = f"110105{birth}123"
    with pytest.raises(ServiceError) as error:
        parse_id_number(first17 + id_check_character(first17))
    assert error.value.code == "id_bad_birth_date"
    assert birth in error.value.message


@time_machine.travel("2026-06-01 12:00 +08:00", tick=False)
def test_a_date_of_birth_in_the_future_is_refused():
    first17 = "110105" + "20260602" + "123"
    with pytest.raises(ServiceError) as error:
        parse_id_number(first17 + id_check_character(first17))
    assert error.value.code == "id_future_birth_date"
    # Born today is fine.
    today = "110105" + "20260601" + "123"
    assert parse_id_number(today + id_check_character(today)).birth_date == date(2026, 6, 1)


def test_a_legacy_15_digit_number_is_converted_to_its_18_digit_form():
    # 15 digits: area, YYMMDD, sequence; no check character.
    parsed = parse_id_number("110105491231002")
    assert parsed.converted_from_legacy
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "female"


def test_a_legacy_number_with_an_impossible_date_is_refused():
    with pytest.raises(ServiceError) as error:
        parse_id_number("110105490231002")
    assert error.value.code == "id_bad_birth_date"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "1101051949123100",
        "1101051949123100211",
        "11010519491231002Y",
        "A1010519491231002X",
        "11010549123100X",
    ],
)
def test_wrong_length_or_characters_are_refused(raw):
    with pytest.raises(ServiceError) as error:
        parse_id_number(raw)
    assert error.value.code == "id_bad_format"


def test_phones_are_normalised_and_checked():
    assert normalise_phone("+86 139-1234-5678") == "13912345678"
    assert normalise_phone("(0571) 8888 6666") == "057188886666"
    assert normalise_phone("") == ""
    with pytest.raises(ServiceError) as error:
        normalise_phone("12345")
    assert error.value.field == "phone"


def test_credit_codes_carry_a_check_character():
    assert normalise_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    with pytest.raises(ServiceError):
        normalise_credit_code("91350100M000100Y44")
    with pytest.raises(ServiceError):
        normalise_credit_code("91350100M00010OY43")  # the letter O is not in the alphabet
