"""Field encryption, keyed hashes and masking for personal identifiers.

Identifiers (ID numbers, phones) are stored encrypted so that a copy of the database alone reveals
nothing, and beside them a keyed hash (HMAC) so that an exact value can still be found without
decrypting every row. Lists show only masked values; revealing a full value is an audited act of
the service that does it, not of this module.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("the value cannot be decrypted with the configured keys") from exc


def lookup_hash(value: str) -> str:
    """A keyed hash of a normalised value, for exact-match search of encrypted fields."""
    normalised = "".join(value.split()).upper()
    return hmac.new(settings.LOOKUP_HASH_KEY.encode(), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def mask(value: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    """`13812345678` → `138****5678`; short values are masked whole."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; the model attribute is the plain value."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
