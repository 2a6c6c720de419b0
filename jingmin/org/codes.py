"""Names the organisation domain writes into rows, declared once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    UNIT_INTAKE_DESK = "org.unit_intake_desk", _("Command centre made the intake desk")
