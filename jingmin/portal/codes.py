"""Names the portal domain writes into rows, declared once (audit actions: `<domain>.<entity>_<verb>`,
labelled as the audit page shows them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    NOTICE_PUBLISH = "portal.notice_publish", _("Notice published")
    NOTICE_EDIT = "portal.notice_edit", _("Notice edited")
    NOTICE_WITHDRAW = "portal.notice_withdraw", _("Notice withdrawn")
