"""Open-door events and meetings (开门评警, 座谈会, 恳谈会) and surveys (问卷).

An event belongs to a station and carries its path (`unit_path`) like an appeal; its opinions end
either as an appeal or as an item with an owner, a deadline and an outcome. A survey belongs to a
station or a police district; its answers are anonymous: a response keeps no address, no device
and no phone, only when it came. Nothing that has answers is ever deleted: surveys are closed and
archived.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingmin.core.crypto import EncryptedTextField


class EventKind(models.TextChoices):
    OPEN_DOOR = "open_door", _("Open-door evaluation")
    FORUM = "forum", _("Forum")
    TALK = "talk", _("Heart-to-heart talk")


class EventState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class AttendeeKind(models.TextChoices):
    RESIDENT = "resident", _("Residents")
    REPRESENTATIVE = "representative", _("Deputies and committee members")
    COMMUNITY = "community", _("Community and village cadres")
    BUSINESS = "business", _("Businesses and organisations")
    OTHER = "other", _("Others")


class Event(models.Model):
    """One open-door evaluation or meeting of a station; public on the portal from its planning."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    unit_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=120)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("time"))
    # Shown on the portal: plain text, never names.
    description = models.TextField(_("notice to the public"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=EventState.choices, default=EventState.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(
                fields=["unit_path", "starts_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                name="eval_event_unit_time",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EventStep(models.TextChoices):
    PLAN = "plan", _("planned")
    HOLD = "hold", _("held, minutes recorded")
    ATTEND = "attend", _("attendance recorded")
    FILE = "file", _("file added")
    RATE = "rate", _("ratings recorded")
    OPINION = "opinion", _("opinion recorded")
    APPEAL = "appeal", _("opinion turned into an appeal")
    TRACK = "track", _("opinion given an owner")
    CONCLUDE = "conclude", _("outcome of an opinion reported")


class EventHistory(models.Model):
    """One step of an event's life; appended, never changed."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="history")
    step = models.CharField(max_length=16, choices=EventStep.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.step}"


class EventAttendance(models.Model):
    """How many people of one kind came; recorded again, the count is replaced (history keeps it)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="attendance")
    kind = models.CharField(max_length=16, choices=AttendeeKind.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="eval_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.count}"


class EventAttendee(models.Model):
    """A named attendee: only one who agreed to be named (the time of consent is required)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="attendees")
    name = models.CharField(max_length=50)
    kind = models.CharField(max_length=16, choices=AttendeeKind.choices)
    consent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


def event_file_path(instance: EventFile, filename: str) -> str:
    # A random name: the original name is kept in the row, never trusted as a path.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evaluation/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{ext}"


class EventFile(models.Model):
    """A scan of the minutes, the sign-in sheet or a photo of the meeting."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=event_file_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class EventRating(models.Model):
    """One attendee's rating of the station (no officer) or of one named officer, 1 to 5."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="ratings")
    unit_path = models.CharField(max_length=255)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField()
    rated_on = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="eval_rating_level_range")
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "rated_on"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                name="eval_rating_unit_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.officer_id or '-'} {self.level}"


class OpinionState(models.TextChoices):
    OPEN = "open", _("Awaiting a decision")
    APPEAL = "appeal", _("Became an appeal")
    TRACKED = "tracked", _("Being followed up")
    CONCLUDED = "concluded", _("Outcome reported")


# States in which nobody has yet answered the person: the compliance view lists their events.
OPEN_OPINION_STATES = (OpinionState.OPEN, OpinionState.TRACKED)


class Opinion(models.Model):
    """What someone said at an event; it ends as an appeal or with an outcome reported back."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="opinions")
    unit_path = models.CharField(max_length=255)
    text = models.TextField()
    # Only where the person left one, for the answer; encrypted, shown masked.
    contact_phone = EncryptedTextField(blank=True)
    state = models.CharField(max_length=16, choices=OpinionState.choices, default=OpinionState.OPEN)
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "due_on"], name="eval_opinion_state_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="appeal") | Q(appeal__isnull=False), name="eval_opinion_appeal_has_appeal"
            ),
            models.CheckConstraint(
                condition=~Q(state="tracked") | Q(owner__isnull=False, due_on__isnull=False),
                name="eval_opinion_tracked_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]


# ---------------------------------------------------------------------------------------------
# Surveys


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey state", "Open")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale of 1 to 5")
    TEXT = "text", _("Text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
SCALE_LEVELS = (1, 2, 3, 4, 5)


def survey_code() -> str:
    return secrets.token_urlsafe(9)


class Survey(models.Model):
    """A questionnaire of a station or a police district, answered anonymously on the portal."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    # The public address (and the QR code) carries this code, not the row's number.
    code = models.CharField(max_length=16, unique=True, default=survey_code)
    title = models.CharField(_("title"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=SurveyState.choices, default=SurveyState.DRAFT
    )
    closes_at = models.DateTimeField(_("closes at"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["unit_path", "created_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                name="eval_survey_unit_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_answers(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.state == SurveyState.OPEN and self.closes_at > moment  # type: ignore[operator]


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    required = models.BooleanField(default=False)
    # A 1–5 question that measures satisfaction: its answers feed the satisfaction figures.
    satisfaction = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="eval_question_position_unique"),
            models.CheckConstraint(
                condition=Q(satisfaction=False) | Q(kind="scale"), name="eval_question_satisfaction_is_scale"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=100)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="eval_option_position_unique"),
            models.UniqueConstraint(fields=["question", "text"], name="eval_option_text_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One anonymous answer sheet: no address, device or phone is kept with it."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    unit_path = models.CharField(max_length=255)
    submission_key = models.CharField(max_length=80, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="eval_response_survey_time")]

    def __str__(self) -> str:
        return f"{self.survey_id} #{self.pk}"


class Answer(models.Model):
    """One question's answer on a sheet: an option (one row per option ticked), a level or text."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="eval_answer_value_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
