"""Names the field app writes into rows and answers, declared once."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CACHE_FETCH = "field.cache_fetch", _("District copied to a phone for the field app")


class RecordType(StrEnum):
    """What a record of the phone's queue is, as the sync endpoint receives it."""

    VISIT = "visit"
    APPEAL = "appeal"
    STEP = "step"


class ErrorCode(StrEnum):
    HOUSEHOLD_CHANGED = "household_changed"
    RESTRICTED_KIND = "restricted_kind"
    BAD_CLIENT_ID = "bad_client_id"
    UNKNOWN_RECORD = "unknown_record"
    SIGNED_OUT = "signed_out"
