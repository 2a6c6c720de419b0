from __future__ import annotations

import string
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jingmin.org.codes import ErrorCode


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's recommended cost (19 MiB, 2 passes, one lane) rather than Django's
    (100 MiB, 2 passes, 8 lanes). Memory-hard at 19 MiB already outweighs PBKDF2 at a million
    iterations against GPU guessing, and a check costs about 35 ms of one core instead of 300-400:
    that check is most of what the first page after sign-in waited for (docs/benchmarks.md).
    The algorithm name stays Django's `argon2`, so a change of these figures later rehashes a
    password at its next sign-in (`must_update` compares them)."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in our catalog: Django 5.2 rewrote this msgid (%d for
    %(min_length)d) and its own zh_Hans catalog still has only the old one, so a short password
    was refused in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "The password is too short: it needs at least %(count)d character.",
            "The password is too short: it needs at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}


class CharacterClassValidator:
    """At least `min_classes` of: lower-case, upper-case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code=ErrorCode.PASSWORD_TOO_SIMPLE)

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(count)d of: lower-case letters, upper-case letters, digits, symbols."
        ) % {"count": self.min_classes}
