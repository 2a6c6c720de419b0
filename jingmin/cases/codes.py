"""Names the help and persuasion cases write into rows and answers, declared once."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    HELP_OPEN = "cases.help_open", _("Help case opened")
    HELP_ACT = "cases.help_act", _("Act of help recorded")
    HELP_CLOSE = "cases.help_close", _("Help case closed")
    HELP_READ = "cases.help_read", _("Help case read")
    PERSUASION_OPEN = "cases.persuasion_open", _("Persuasion case opened")
    PERSUASION_CONTACT = "cases.persuasion_contact", _("Contact with a wanted person's family recorded")
    PERSUASION_CLOSE = "cases.persuasion_close", _("Persuasion case closed")
    PERSUASION_READ = "cases.persuasion_read", _("Persuasion case read")
    READ_REFUSED = "cases.read_refused", _("Reading of a help or persuasion case refused")


class ErrorCode(StrEnum):
    CASE_CLOSED = "case_closed"
    OPEN_CASE_EXISTS = "open_case_exists"
    BAD_OFFICER = "bad_officer"
    BAD_VISIT = "bad_visit"
