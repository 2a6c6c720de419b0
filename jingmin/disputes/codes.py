"""Names the dispute register writes into rows and answers, declared once."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    DISPUTE_REGISTER = "disputes.dispute_register", _("Dispute registered")
    DISPUTE_MEDIATE = "disputes.dispute_mediate", _("Mediation of a dispute recorded")
    DISPUTE_REGRADE = "disputes.dispute_regrade", _("Dispute re-graded")
    DISPUTE_RESOLVE = "disputes.dispute_resolve", _("Dispute resolved")
    DISPUTE_HAND_OVER = "disputes.dispute_hand_over", _("Dispute handed over")
    DISPUTE_CONTAIN = "disputes.dispute_contain", _("Dispute contained")
    DISPUTE_VISIT = "disputes.dispute_visit", _("Follow-up visit of a dispute recorded")
    DISPUTE_ATTACH = "disputes.dispute_attach", _("File attached to a dispute")
    DISPUTE_READ = "disputes.dispute_read", _("Dispute read")
    ATTACHMENT_READ = "disputes.attachment_read", _("Attachment of a dispute viewed")
    REPORT_EXPORT = "disputes.report_export", _("Monthly dispute screening report exported")


class ErrorCode(StrEnum):
    DISPUTE_STATE = "dispute_state"
    GRADE_UNCHANGED = "grade_unchanged"
    NO_PARTY = "no_party"
    DISPUTE_SOURCE = "dispute_source"
