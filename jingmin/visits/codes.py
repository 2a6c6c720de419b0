"""Names the visits domain writes into rows, declared once (audit actions: `<domain>.<entity>_<verb>`,
labelled as the audit page shows them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VISIT_RECORD = "visits.visit_record", _("Visit recorded")
    VISIT_AMEND = "visits.visit_amend", _("Visit corrected")
    VISIT_WITHDRAW = "visits.visit_withdraw", _("Visit withdrawn")
    TASK_DONE = "visits.task_done", _("Visit task done")
    TASK_UNDONE = "visits.task_undone", _("Visit task reopened")
    PLAN_SET = "visits.plan_set", _("Visit plan set")
    OUTLINE_SET = "visits.outline_set", _("District outline drawn")
