"""Error codes every domain shares.

Codes are written into API answers that other programs act on, so they outlive any refactor:
they are declared once, as enums, and never spelled as literals. Each domain declares its own in
`jingmin/<domain>/codes.py` beside its audit actions (`AuditAction`, a `TextChoices` whose values
are `<domain>.<entity>_<verb>` and whose labels are what the audit page shows); the codes here
are the ones that mean the same thing wherever they appear.
"""

from __future__ import annotations

from enum import StrEnum


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
