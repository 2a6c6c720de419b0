"""Names the worktime domain writes into rows and answers, declared once (audit actions:
`<domain>.<entity>_<verb>`, labelled as the audit page shows them; error codes, each member named
by its code in capitals, the codes other packages share being `jingmin.core.codes.CommonError`)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    YEAR_PUBLISH = "worktime.year_publish", _("Holiday schedule published")
    DAY_SET = "worktime.day_set", _("Calendar day changed")
    YEAR_SEED = "worktime.year_seed", _("Holiday schedule loaded from chinese-calendar")


class ErrorCode(StrEnum):
    BAD_LINE = "bad_line"
    DAY_OUTSIDE_YEAR = "day_outside_year"
    DAY_REPEATED = "day_repeated"
    NAME_TOO_LONG = "name_too_long"
    NO_DAYS = "no_days"
    YEAR_NOT_IN_PACKAGE = "year_not_in_package"
    YEAR_NOT_PUBLISHED = "year_not_published"
    YEAR_OUT_OF_RANGE = "year_out_of_range"
