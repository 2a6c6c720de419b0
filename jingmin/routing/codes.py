"""Names the routing domain writes into rows, declared once (audit actions: `<domain>.<entity>_<verb>`,
labelled as the audit page shows them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    MODEL_TRAIN = "routing.model_train", _("Routing model trained")
    MODEL_ACTIVATE = "routing.model_activate", _("Routing model activated")
    RETRAIN_REQUEST = "routing.retrain_request", _("Routing model retraining requested")
