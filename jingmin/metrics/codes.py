"""Names the metrics app writes into rows and answers, declared once."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SETTINGS_CHANGE = "metrics.settings_change", _("Indicator settings changed")
    EXPORT = "metrics.export", _("Indicators exported")


class ErrorCode(StrEnum):
    BAD_PERIOD = "bad_period"
    BAD_WEIGHTS = "bad_weights"
    BAD_K = "bad_k"
    UNKNOWN_EXCLUSION = "unknown_exclusion"
    UNKNOWN_UNIT = "unknown_unit"
