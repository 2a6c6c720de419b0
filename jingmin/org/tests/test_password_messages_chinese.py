"""Every password rule explains itself in Chinese, Django's own rules included (Django 5.2's
message for a short password is missing from its own Chinese catalog)."""

import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

LATIN_WORDS = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize("password", ["Sh0rt!", "1234567890123", "Password123", "alllowercaseletters"])
def test_a_refused_password_is_told_in_chinese(password):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password)
    for message in refused.value.messages:
        assert not LATIN_WORDS.search(message), message


def test_the_short_password_message_names_the_length():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password("Sh0rt!")
    assert "密码太短，至少需要 10 个字符。" in refused.value.messages


def test_the_rules_shown_beside_the_form_are_chinese():
    with translation.override("zh-hans"):
        for text in password_validators_help_texts():
            assert not LATIN_WORDS.search(text), text
