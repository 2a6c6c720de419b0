"""Names the portal domain writes into rows and answers, declared once (audit actions:
`<domain>.<entity>_<verb>`, labelled as the audit page shows them; error codes, each member named
by its code in capitals, the codes other packages share being `jingmin.core.codes.CommonError`)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    NOTICE_PUBLISH = "portal.notice_publish", _("Notice published")
    NOTICE_EDIT = "portal.notice_edit", _("Notice edited")
    NOTICE_WITHDRAW = "portal.notice_withdraw", _("Notice withdrawn")


class ErrorCode(StrEnum):
    ANONYMOUS_WITH_IDENTITY = "anonymous_with_identity"
    CODE_EXPIRED = "code_expired"
    CODE_LOCKED = "code_locked"
    CODE_REQUIRED = "code_required"
    CODE_USED = "code_used"
    CODE_WRONG = "code_wrong"
    COOLDOWN = "cooldown"
    INVALID_PHONE = "invalid_phone"
    RATE_LIMITED = "rate_limited"
    UNCHANGED = "unchanged"
