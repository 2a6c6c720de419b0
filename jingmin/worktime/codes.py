"""Names the worktime domain writes into rows, declared once (audit actions: `<domain>.<entity>_<verb>`,
labelled as the audit page shows them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    YEAR_PUBLISH = "worktime.year_publish", _("Holiday schedule published")
    DAY_SET = "worktime.day_set", _("Calendar day changed")
    YEAR_SEED = "worktime.year_seed", _("Holiday schedule loaded from chinese-calendar")
