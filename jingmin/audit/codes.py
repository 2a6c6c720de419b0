"""Names the audit domain writes into rows, declared once (audit actions: `<domain>.<entity>_<verb>`,
labelled as the audit page shows them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    RECORD_READ = "audit.record_read", _("Read")
    LOG_EXPORT = "audit.log_export", _("Audit log exported")
    LOG_PURGE = "audit.log_purge", _("Old audit rows purged")
