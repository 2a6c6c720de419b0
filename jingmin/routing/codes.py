"""Names the routing domain writes into rows and answers, declared once (audit actions:
`<domain>.<entity>_<verb>`, labelled as the audit page shows them; error codes, each member named
by its code in capitals, the codes other packages share being `jingmin.core.codes.CommonError`)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    MODEL_TRAIN = "routing.model_train", _("Routing model trained")
    MODEL_ACTIVATE = "routing.model_activate", _("Routing model activated")
    RETRAIN_REQUEST = "routing.retrain_request", _("Routing model retraining requested")


class ErrorCode(StrEnum):
    BUSY = "busy"
    CSV = "csv"
    CSV_COLUMN = "csv_column"
    TOO_FEW_EXAMPLES = "too_few_examples"
    UNLOADABLE = "unloadable"
