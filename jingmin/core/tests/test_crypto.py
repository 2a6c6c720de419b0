"""Identifiers are stored encrypted, found by keyed hash and shown masked."""

import pytest
from django.db import connection

from jingmin.core.crypto import decrypt, encrypt, lookup_hash, mask
from jingmin.org.models import User


def test_round_trip_and_non_deterministic_ciphertext():
    token_a, token_b = encrypt("13812345678"), encrypt("13812345678")
    assert token_a != token_b
    assert decrypt(token_a) == decrypt(token_b) == "13812345678"


def test_tampered_ciphertext_is_refused():
    token = encrypt("110101199003071234")
    with pytest.raises(ValueError):
        decrypt(token[:-4] + "AAAA")


def test_lookup_hash_ignores_spacing_and_case_but_not_content():
    assert lookup_hash("11010119900307123x") == lookup_hash(" 11010119900307123X ")
    assert lookup_hash("13812345678") != lookup_hash("13812345679")


def test_masking():
    assert mask("13812345678") == "138****5678"
    assert mask("110101199003071234", keep_start=4) == "1101**********1234"
    assert mask("123") == "***"
    assert mask("") == ""


@pytest.mark.django_db
def test_phone_is_not_stored_in_clear(persona):
    officer = persona.oliver
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM org_user WHERE id = %s", [officer.pk])
        stored = cursor.fetchone()[0]
    assert "13900001111" not in stored
    assert User.objects.get(pk=officer.pk).phone == "13900001111"
