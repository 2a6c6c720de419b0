"""Error codes every domain shares, and the list of every error code of the project.

Codes are written into API answers that other programs act on, so they outlive any refactor:
they are declared once, as enums, and never spelled as literals (the architecture test fails on
one). Each domain declares its own as `ErrorCode` in `jingmin/<domain>/codes.py`, beside its
audit actions (`AuditAction`, a `TextChoices` whose values are `<domain>.<entity>_<verb>` and whose
labels are what the audit page shows); a member's name is its code in capitals
(`ErrorCode.NOT_XLSX = "not_xlsx"`). The codes here are those more than one domain answers with,
meaning the same thing wherever they appear. docs/api.md lists them all (`error_code_table`, and
a test that the page holds it).
"""

from __future__ import annotations

import importlib
import importlib.util
from enum import StrEnum

from django.apps import apps


class CommonError(StrEnum):
    REQUIRED = "required"
    INVALID = "invalid"
    TOO_LONG = "too_long"
    TOO_LARGE = "too_large"
    # A body that cannot be read (DRF's own code for unparsable JSON, kept for every malformed body).
    PARSE_ERROR = "parse_error"
    # The server failed (the database away, a bug): try again later.
    UNAVAILABLE = "unavailable"
    DUPLICATE = "duplicate"
    NOT_FOUND = "not_found"
    OUT_OF_SCOPE = "out_of_scope"
    EMPTY = "empty"
    INACTIVE = "inactive"
    TOO_MANY = "too_many"
    PERMISSION_DENIED = "permission_denied"
    # A unit or a parent record chosen that is closed, or of the wrong kind.
    INACTIVE_UNIT = "inactive_unit"
    BAD_PARENT = "bad_parent"
    WITHDRAWN = "withdrawn"
    CONSENT_REQUIRED = "consent_required"
    # A wrong one-time code of the authenticator, on the sign-in page and in the API alike.
    BAD_OTP = "bad_otp"
    # Files sent with an appeal, a visit or a dispute, checked by one set of rules.
    TOO_MANY_FILES = "too_many_files"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    EMPTY_FILE = "empty_file"


def error_enums() -> list[type[StrEnum]]:
    """`CommonError` and every app's `ErrorCode`, in the order of the installed apps; found
    through the app registry, as the audit pages find the audit actions, so `core` imports no
    domain."""
    found: list[type[StrEnum]] = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.codes"
        if not config.name.startswith("jingmin.") or importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        found.extend(getattr(module, name) for name in ("CommonError", "ErrorCode") if hasattr(module, name))
    return found


def error_code_table() -> str:
    """The Markdown table of every error code, by code, with the enum member that declares it."""
    rows = sorted(
        (member.value, f"{enum.__module__}.{enum.__name__}.{member.name}")
        for enum in error_enums()
        for member in enum
    )
    lines = ["| `code` | declared as |", "| --- | --- |"]
    lines += [f"| `{code}` | `{where}` |" for code, where in rows]
    return "\n".join(lines) + "\n"
