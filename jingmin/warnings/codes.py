"""Names early warning writes into rows and answers, declared once."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SIGNAL_RAISE = "warnings.signal_raise", _("Early-warning signal raised")
    SIGNAL_REOPEN = "warnings.signal_reopen", _("Early-warning signal reopened by new evidence")
    SIGNAL_ACKNOWLEDGE = "warnings.signal_acknowledge", _("Early-warning signal acknowledged")
    SIGNAL_ACT = "warnings.signal_act", _("Action on an early-warning signal recorded")
    SIGNAL_CLOSE = "warnings.signal_close", _("Early-warning signal closed")
    WORD_ADD = "warnings.word_add", _("Risk word added")
    WORD_REMOVE = "warnings.word_remove", _("Risk word removed")


class RecordType(StrEnum):
    """The records a signal's evidence points at (the API names them so)."""

    APPEAL = "appeal"
    VISIT = "visit"
    DISPUTE = "dispute"


class ErrorCode(StrEnum):
    SIGNAL_STATE = "signal_state"
    WORD_EXISTS = "word_exists"
