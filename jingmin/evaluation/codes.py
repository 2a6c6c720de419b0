"""Names the evaluation domain writes into rows and answers, declared once."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    EVENT_PLAN = "evaluation.event_plan", _("Open-door event planned")
    EVENT_HOLD = "evaluation.event_hold", _("Open-door event recorded as held")
    EVENT_ATTEND = "evaluation.event_attend", _("Attendance of an open-door event recorded")
    EVENT_FILE = "evaluation.event_file", _("File added to an open-door event")
    EVENT_RATE = "evaluation.event_rate", _("Ratings of an open-door event recorded")
    OPINION_ADD = "evaluation.opinion_add", _("Opinion of an open-door event recorded")
    OPINION_APPEAL = "evaluation.opinion_appeal", _("Opinion turned into an appeal")
    OPINION_TRACK = "evaluation.opinion_track", _("Opinion given an owner and a deadline")
    OPINION_CONCLUDE = "evaluation.opinion_conclude", _("Outcome of an opinion reported")
    SURVEY_CREATE = "evaluation.survey_create", _("Survey created")
    SURVEY_PUBLISH = "evaluation.survey_publish", _("Survey published")
    SURVEY_CLOSE = "evaluation.survey_close", _("Survey closed")
    SURVEY_ARCHIVE = "evaluation.survey_archive", _("Survey archived")
    SURVEY_DELETE = "evaluation.survey_delete", _("Survey deleted")
    SURVEY_EXPORT = "evaluation.survey_export", _("Survey answers exported")


class RatingSource(StrEnum):
    """Where a rating row of the rating store comes from (`selectors.rating_rows`)."""

    SURVEY = "survey_answer"
    EVENT = "event_rating"


class ErrorCode(StrEnum):
    NO_QUESTION = "no_question"
    NO_OPTIONS = "no_options"
    DUPLICATE_OPTION = "duplicate_option"
    CLOSING_IN_PAST = "closing_in_past"
    SURVEY_NOT_OPEN = "survey_not_open"
    WRONG_STATE = "wrong_state"
    HAS_ANSWERS = "has_answers"
    WRONG_UNIT = "wrong_unit"
