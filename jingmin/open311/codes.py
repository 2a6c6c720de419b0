"""Names the open311 domain writes into rows and answers, declared once (audit actions:
`<domain>.<entity>_<verb>`, labelled as the audit page shows them; error codes, each member named
by its code in capitals, the codes other packages share being `jingmin.core.codes.CommonError`)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    REQUEST_READ = "open311.request_read", _("Open311 request read by a partner")
    PARTNER_CREATE = "open311.partner_create", _("Open311 partner added")
    PARTNER_REVOKE = "open311.partner_revoke", _("Open311 partner's key revoked")
    ATTRIBUTE_CREATE = "open311.attribute_create", _("Open311 question added")
    ATTRIBUTE_UPDATE = "open311.attribute_update", _("Open311 question changed")
    ATTRIBUTE_DELETE = "open311.attribute_delete", _("Open311 question removed")


class ErrorCode(StrEnum):
    ALREADY_REVOKED = "already_revoked"
    IMMUTABLE = "immutable"
    MISSING = "missing"
    REVOKED = "revoked"
    UNKNOWN = "unknown"
