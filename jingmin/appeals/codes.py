"""Names the appeals domain writes into rows and answers, declared once (audit actions:
`<domain>.<entity>_<verb>`, labelled as the audit page shows them; error codes, each member named
by its code in capitals, the codes other packages share being `jingmin.core.codes.CommonError`)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    APPEAL_EXPORT = "appeals.appeal_export", _("Appeals exported")
    APPEAL_REGISTER = "appeals.appeal_register", _("Appeal registered")
    APPEAL_ACCEPT = "appeals.appeal_accept", _("Appeal accepted")
    APPEAL_REJECT = "appeals.appeal_reject", _("Appeal rejected")
    APPEAL_DISPATCH = "appeals.appeal_dispatch", _("Appeal dispatched")
    APPEAL_SIGN = "appeals.appeal_sign", _("Appeal signed for")
    APPEAL_CONTACT = "appeals.appeal_contact", _("Citizen contacted")
    APPEAL_TRANSFER = "appeals.appeal_transfer", _("Appeal transferred")
    APPEAL_RETURN = "appeals.appeal_return", _("Appeal returned")
    APPEAL_CONCLUDE = "appeals.appeal_conclude", _("Appeal concluded")
    APPEAL_FOLLOW_UP = "appeals.appeal_follow_up", _("Follow-up recorded")
    APPEAL_REVIEW = "appeals.appeal_review", _("Reasonableness review")
    APPEAL_REOPEN = "appeals.appeal_reopen", _("Appeal reopened")
    APPEAL_SUPERVISE = "appeals.appeal_supervise", _("Appeal put under supervision")
    APPEAL_MERGE = "appeals.appeal_merge", _("Appeal merged")
    APPEAL_ARCHIVE = "appeals.appeal_archive", _("Appeal archived")
    APPEAL_ATTACH = "appeals.appeal_attach", _("File attached to an appeal")
    APPEAL_URGENCY = "appeals.appeal_urgency", _("Suggested urgency decided")
    CATEGORY_CREATE = "appeals.category_create", _("Appeal category added")
    CATEGORY_UPDATE = "appeals.category_update", _("Appeal category changed")
    DEADLINE_POLICY_SET = "appeals.deadline_policy_set", _("Appeal deadlines changed")


class ErrorCode(StrEnum):
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    NO_UNIT = "no_unit"
    BAD_UNIT = "bad_unit"
    SAME_UNIT = "same_unit"
    INVALID_TOKEN = "invalid_token"
    TOO_DEEP = "too_deep"
    INACTIVE_PARENT = "inactive_parent"
    LONGER_THAN_CONCLUSION = "longer_than_conclusion"


def step_action(step: str) -> AuditAction:
    """The audit action of a life-cycle step (`Action` of `jingmin.appeals.models`)."""
    return AuditAction(f"appeals.appeal_{step.replace('-', '_')}")
