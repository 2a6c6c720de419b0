"""Checking the identifiers the ledger holds: resident ID numbers, phones, credit codes.

Resident ID numbers (居民身份证号码) follow GB 11643-1999: six digits of the area where the number
was issued, eight of the date of birth, three of a sequence (odd for men, even for women) and a
check character computed by ISO 7064 MOD 11-2 ('X' stands for 10). Numbers issued before 1999
have 15 digits: the year of birth in two digits and no check character. Those are accepted and
converted to their 18-digit form (the year gains "19", the check character is computed), which
is what the holder's card carries today: so the same person found under either form is one
person, and the keyed hash finds both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.core.errors import ServiceError
from jingmin.ledger.codes import ErrorCode

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_ID18 = re.compile(r"^[0-9]{17}[0-9X]$")
_ID15 = re.compile(r"^[0-9]{15}$")


@dataclass(frozen=True)
class IdNumber:
    number: str  # always the 18-digit form
    birth_date: date
    sex: str  # "male" or "female", from the sequence digit
    converted_from_legacy: bool


def id_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def _birth_date(text: str, field: str) -> date:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ServiceError(
            _("The date of birth in this ID number (%(date)s) does not exist.") % {"date": text},
            code=ErrorCode.ID_BAD_BIRTH_DATE,
            field=field,
        ) from None
    if born > timezone.localdate():
        raise ServiceError(
            _("The date of birth in this ID number (%(date)s) lies in the future.") % {"date": text},
            code=ErrorCode.ID_FUTURE_BIRTH_DATE,
            field=field,
        )
    if born.year < 1890:
        raise ServiceError(
            _("The date of birth in this ID number (%(date)s) is not plausible.") % {"date": text},
            code=ErrorCode.ID_BAD_BIRTH_DATE,
            field=field,
        )
    return born


def normalise_id_number(raw: str) -> str:
    # Spaces from copying and a lower-case x are common in legacy sheets; full-width digits too.
    text = "".join((raw or "").split()).upper()
    return text.translate({0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF38: ord("X")})


def parse_id_number(raw: str, *, field: str = "id_number") -> IdNumber:
    """The checked 18-digit form of an ID number, with the facts it encodes.

    Raises ServiceError naming what is wrong: the length or characters, the date of birth, or the
    check character.
    """
    text = normalise_id_number(raw)
    if _ID15.match(text):
        born = _birth_date("19" + text[6:12], field)
        first17 = text[:6] + "19" + text[6:]
        number = first17 + id_check_character(first17)
        return IdNumber(number, born, "male" if int(text[14]) % 2 else "female", converted_from_legacy=True)
    if not _ID18.match(text):
        raise ServiceError(
            _("An ID number has 18 characters (17 digits and a digit or X), or 15 digits for an old one."),
            code=ErrorCode.ID_BAD_FORMAT,
            field=field,
        )
    born = _birth_date(text[6:14], field)
    if id_check_character(text[:17]) != text[17]:
        raise ServiceError(
            _("The check character of this ID number is wrong: check it for a mistyped digit."),
            code=ErrorCode.ID_BAD_CHECK,
            field=field,
        )
    return IdNumber(text, born, "male" if int(text[16]) % 2 else "female", converted_from_legacy=False)


# Mainland mobiles (11 digits from 13 to 19), or a landline with its area code, with or without the
# country code; separators are dropped before the check.
_PHONE = re.compile(r"^(?:1[3-9][0-9]{9}|0[1-9][0-9]{1,2}[0-9]{7,8}|[0-9]{7,8})$")


def normalise_phone(raw: str, *, field: str = "phone") -> str:
    """The digits of a phone number, checked; an empty value stays empty."""
    text = re.sub(r"[\s\-()（）]", "", raw or "")
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not _PHONE.match(text):
        raise ServiceError(
            _("Enter a mobile number of 11 digits, or a landline with its area code."),
            code=ErrorCode.BAD_PHONE,
            field=field,
        )
    return text


# The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters of an alphabet
# without I, O, Z, S, V, the last a check character modulo 31.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_check_character(first17: str) -> str:
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(raw: str, *, field: str = "credit_code") -> str:
    text = "".join((raw or "").split()).upper()
    if not text:
        return ""
    if len(text) != 18 or any(c not in _CREDIT_ALPHABET for c in text):
        raise ServiceError(
            _("A unified social credit code has 18 digits and capital letters (no I, O, Z, S or V)."),
            code=ErrorCode.BAD_CREDIT_CODE,
            field=field,
        )
    if credit_check_character(text[:17]) != text[17]:
        raise ServiceError(
            _("The check character of this credit code is wrong: check it for a mistyped character."),
            code=ErrorCode.BAD_CREDIT_CODE,
            field=field,
        )
    return text
