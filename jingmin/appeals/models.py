"""Appeals (群众诉求): what citizens bring, its clocks and its history.

The appeal row holds the current state and the figures every list needs (clocks, the nearest
deadline, the handling unit's path, hand-offs) so that worklists are one indexed query at a
million rows; the `AppealEvent` rows hold the history, appended once per step and never changed.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingmin.core.crypto import EncryptedTextField, mask

if TYPE_CHECKING:
    from jingmin.org.models import Unit


class AppealType(models.TextChoices):
    HELP = "help", _("Help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report (tip-off)")
    ENQUIRY = "enquiry", _("Enquiry")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    GENERAL = "general", _("General")
    COMPLEX = "complex", _("Complex")


class Channel(models.TextChoices):
    WINDOW = "window", _("Window")
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web")
    VISIT = "visit", _("Visit")
    HOTLINE_110 = "110", _("110 transfer")
    HOTLINE_12345 = "12345", _("12345 transfer")
    OPEN311 = "open311", _("Open311")
    OPEN_DOOR = "open_door", _("Open-door event")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Dispatched")
    SIGNED = "signed", _("Signed for")
    HANDLING = "handling", _("Handling")
    CONCLUDED = "concluded", _("Concluded")
    FOLLOWED_UP = "followed_up", _("Followed up")
    ARCHIVED = "archived", _("Archived")
    MERGED = "merged", _("Merged")


# States in which the bureau still owes the citizen something: they are on someone's worklist.
OPEN_STATES = frozenset({State.SUBMITTED, State.ACCEPTED, State.DISPATCHED, State.SIGNED, State.HANDLING})


class Result(models.TextChoices):
    SOLVED = "solved", _("Solved")
    EXPLAINED = "explained", _("Explained")
    UNSOLVABLE = "unsolvable", _("Cannot be solved for now")


class Clock(models.TextChoices):
    SIGN = "sign", _("Sign for")
    CONTACT = "contact", _("First contact")
    CONCLUDE = "conclude", _("Conclusion")


class ClockUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")


class Category(models.Model):
    """A two-level taxonomy: appeals are filed under a second-level category."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def is_leaf(self) -> bool:
        return self.parent_id is not None


class DeadlinePolicy(models.Model):
    """How long each clock runs for an appeal of this urgency (and, optionally, this type).

    A row with an empty type is the default for the urgency; a row with a type overrides it.
    """

    type = models.CharField(_("type"), max_length=16, choices=AppealType.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    sign_amount = models.PositiveIntegerField(_("sign-for within"))
    sign_unit = models.CharField(max_length=16, choices=ClockUnit.choices, default=ClockUnit.HOURS)
    contact_amount = models.PositiveIntegerField(_("first contact within"))
    contact_unit = models.CharField(max_length=16, choices=ClockUnit.choices, default=ClockUnit.HOURS)
    conclude_amount = models.PositiveIntegerField(_("conclusion within"))
    conclude_unit = models.CharField(max_length=16, choices=ClockUnit.choices, default=ClockUnit.WORKING_DAYS)

    class Meta:
        ordering = ["urgency", "type"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["type", "urgency"], name="deadline_policy_unique"),
            models.CheckConstraint(
                condition=Q(sign_amount__gt=0) & Q(contact_amount__gt=0) & Q(conclude_amount__gt=0),
                name="deadline_policy_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_urgency_display()} {self.get_type_display() if self.type else ''}".strip()

    def clock(self, clock: str) -> tuple[int, str]:
        return getattr(self, f"{clock}_amount"), getattr(self, f"{clock}_unit")


# Unambiguous characters only (no 0/O, 1/I/L): the code is read out over the phone.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class Appeal(models.Model):
    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, default=new_tracking_code
    )
    # Set by the intake form and the API so that a retried submission creates nothing twice.
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    type = models.CharField(_("type"), max_length=16, choices=AppealType.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("category"))
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.GENERAL)
    # What the citizen or their words suggest (`appeals.urgency`), until a clerk confirms or not.
    urgency_suggested = models.CharField(
        _("suggested urgency"), max_length=16, choices=Urgency.choices, blank=True
    )
    urgency_reason = models.CharField(_("why"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(_("content"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    district = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("police district"),
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    citizen_name = EncryptedTextField(_("citizen's name"), blank=True)
    citizen_phone = EncryptedTextField(_("citizen's phone"), blank=True)
    citizen_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The name is encrypted too; its keyed hash lets the queue find a caller by the whole name.
    citizen_name_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The portal verifies a phone by an SMS code; staff then know the number is the citizen's own.
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    # The citizen's consent to the privacy notice (the legal basis of what the portal collects).
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    # The outside system that handed the appeal in (an Open311 partner), by its name then. The
    # adapter keeps its own record of which partner it was; the domain knows no adapter.
    source = models.CharField(_("partner"), max_length=80, blank=True)
    # Answers to the category's extra questions (Open311 service attributes), by attribute code.
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)

    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # First-contact responsibility (首接负责): the unit that received it stays accountable until
    # a handling unit signs for it.
    intake_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    intake_unit_path = models.CharField(max_length=255, editable=False)
    accountable_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")

    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    is_open = models.BooleanField(default=True, editable=False)
    # The unit that holds it now (the intake unit until dispatch); its path scopes the row.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    # Returns go back to the unit that dispatched.
    dispatcher_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling officer"),
    )
    assist_units: models.ManyToManyField[Unit, AppealAssist] = models.ManyToManyField(
        "org.Unit", through="AppealAssist", related_name="+"
    )

    sign_by = models.DateTimeField(_("sign for by"), null=True, blank=True)
    contact_by = models.DateTimeField(_("contact by"), null=True, blank=True)
    conclude_by = models.DateTimeField(_("conclude by"), null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    # The nearest running clock: what "time left" means on a worklist; null when none runs.
    due_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The next alert each clock owes (its reminder, then its escalation at the deadline; null once
    # escalated), and the earliest of those of the running clocks: the minutely sweep
    # (`appeal_clocks_sweep`) reads `alert_at` through its index instead of a timer row per alert.
    sign_alert_at = models.DateTimeField(null=True, blank=True, editable=False)
    contact_alert_at = models.DateTimeField(null=True, blank=True, editable=False)
    conclude_alert_at = models.DateTimeField(null=True, blank=True, editable=False)
    alert_at = models.DateTimeField(null=True, blank=True, editable=False)

    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    result_note = models.TextField(_("result note"), blank=True)
    handoffs = models.PositiveSmallIntegerField(_("hand-offs"), default=0)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    supervised = models.BooleanField(_("supervised"), default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_appeals"
    )
    # Overlapping character bigrams of title, content and address, for the full-text index.
    search_tokens = models.TextField(blank=True, editable=False)
    # The units whose scope holds the appeal, as search tokens (`org.scope.scope_tokens`), kept by
    # the services whenever the unit, intake unit or assisting units change. On PostgreSQL they
    # join the bigrams in `search_vector`, so that "these words, in this station" is one lookup
    # of the GIN index.
    scope_tokens = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        # Scope is `unit_path LIKE 'prefix%'`: PostgreSQL serves that from a btree only with the
        # pattern operator class unless the database collation is "C" (C.UTF-8 is not), so the
        # path columns carry it (measured at a million rows: bench/, docs/benchmarks.md).
        # The supervision list filters on due_at alone (appeal_due_only_when_open makes those the
        # open appeals): beside is_open the planner, taking the two for independent, expects 35
        # rows where there are thousands. Hence partial indexes on due_at for it, and on is_open
        # for the queue's "open only"; (due_at, id) is its whole ORDER BY, so a page stops at 50.
        indexes = [
            models.Index(
                fields=["due_at", "id"], condition=Q(due_at__isnull=False), name="appeal_open_due_id"
            ),
            # Partial: only the appeals with an alert still owed, a small index beside millions.
            models.Index(
                fields=["alert_at", "id"], condition=Q(alert_at__isnull=False), name="appeal_alert_due"
            ),
            models.Index(
                fields=["unit_path", "due_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                condition=Q(due_at__isnull=False),
                name="appeal_open_unit_due",
            ),
            models.Index(
                fields=["intake_unit_path", "due_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                condition=Q(due_at__isnull=False),
                name="appeal_open_intake_due",
            ),
            models.Index(
                fields=["unit_path", "received_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                condition=Q(is_open=True),
                name="appeal_open_unit",
            ),
            models.Index(
                fields=["intake_unit_path", "received_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                condition=Q(is_open=True),
                name="appeal_open_intake",
            ),
            models.Index(
                fields=["handler", "due_at"], condition=Q(is_open=True), name="appeal_open_handler_due"
            ),
            models.Index(
                fields=["unit_path", "received_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                name="appeal_unit_received",
            ),
            models.Index(
                fields=["intake_unit_path", "received_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                name="appeal_intake_received",
            ),
            models.Index(fields=["received_at", "id"], name="appeal_received"),
            models.Index(fields=["state", "received_at"], name="appeal_state_received"),
            models.Index(fields=["category", "received_at"], name="appeal_category_received"),
            # The repeat-appeals indicator looks, for each appeal, for an earlier one of the same
            # category from the same citizen or address within 30 days: one probe of each.
            models.Index(
                fields=["category", "citizen_phone_hash", "received_at"], name="appeal_repeat_citizen"
            ),
            models.Index(fields=["category", "address", "received_at"], name="appeal_repeat_address"),
            # The indicators judge a clock that runs out today live (`indicators._due_today`): the
            # running clocks by deadline, a small index each beside the million that stopped.
            models.Index(
                fields=["sign_by"],
                condition=Q(signed_at__isnull=True, sign_by__isnull=False),
                name="appeal_sign_running",
            ),
            models.Index(
                fields=["contact_by"],
                condition=Q(contacted_at__isnull=True, contact_by__isnull=False),
                name="appeal_contact_running",
            ),
            models.Index(
                fields=["conclude_by"],
                condition=Q(concluded_at__isnull=True, conclude_by__isnull=False),
                name="appeal_conclude_running",
            ),
        ]
        constraints = [
            # A clock runs only while the bureau owes the citizen something (clocks.running).
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(is_open=True), name="appeal_due_only_when_open"
            ),
            models.CheckConstraint(
                condition=Q(alert_at__isnull=True) | Q(is_open=True), name="appeal_alert_only_when_open"
            ),
            models.CheckConstraint(
                condition=Q(is_open=True, state__in=sorted(OPEN_STATES))
                | Q(is_open=False) & ~Q(state__in=sorted(OPEN_STATES)),
                name="appeal_is_open_matches_state",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(state="merged") | Q(state="archived"),
                name="appeal_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def citizen_phone_masked(self) -> str:
        return mask(self.citizen_phone)

    @property
    def citizen_name_masked(self) -> str:
        name = self.citizen_name
        return name[:1] + "*" * (len(name) - 1) if name else ""


class AppealAssist(models.Model):
    """An assisting unit (协办) beside the lead unit (主办)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="assists")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appeal", "unit"], name="appeal_assist_unique")]
        indexes = [
            models.Index(
                fields=["unit_path", "appeal"],
                opclasses=["varchar_pattern_ops", "int8_ops"],
                name="appeal_assist_path",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} + {self.unit_id}"


class Action(models.TextChoices):
    REGISTER = "register", _("registered")
    ACCEPT = "accept", _("accepted")
    REJECT = "reject", _("rejected")
    DISPATCH = "dispatch", _("dispatched")
    SIGN = "sign", _("signed for")
    CONTACT = "contact", _("contacted the citizen")
    TRANSFER = "transfer", _("transferred")
    RETURN = "return", _("returned")
    CONCLUDE = "conclude", _("concluded")
    FOLLOW_UP = "follow-up", _("followed up")
    REVIEW = "review", _("reviewed")
    REOPEN = "reopen", _("reopened")
    SUPERVISE = "supervise", _("put under supervision")
    MERGE = "merge", _("merged")
    ARCHIVE = "archive", _("archived")
    ATTACH = "attach", _("attached a file")
    URGENCY = "urgency", _("decided the suggested urgency")
    REMIND = "remind", _("reminder sent")
    ESCALATE = "escalate", _("escalated")


class AppealEvent(models.Model):
    """One step of an appeal's history: who, when, from which state to which, and why."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    at = models.DateTimeField(default=timezone.now)
    # Null for steps the system takes (reminders, escalations) and for citizens' answers.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=50, blank=True)
    actor_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The unit the step concerns (dispatched or transferred to, returned to, escalated to).
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Set by a client that may send the same step again (the field app's queue sends it until it
    # hears an answer): a step arriving again with its key returns the appeal instead of acting twice.
    # Null, not "", for the unkeyed steps: they stay out of the partial unique index below.
    submission_key = models.CharField(max_length=80, null=True, blank=True, editable=False)  # noqa: DJ001

    class Meta:
        ordering = ["appeal", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "seq"], name="appeal_event_seq_unique"),
            # Partial: the few keyed steps make a small index beside tens of millions of events.
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=Q(submission_key__isnull=False),
                name="appeal_event_submission_key_unique",
            ),
        ]
        indexes = [models.Index(fields=["action", "at"], name="appeal_event_action_at")]

    def __str__(self) -> str:
        return f"{self.appeal_id}#{self.seq} {self.action}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the original name is kept in the row, never trusted as a path.
    now = timezone.now()
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"appeals/{now:%Y/%m}/{secrets.token_hex(16)}.{ext}"


class Attachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(AppealEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReviewOutcome(models.TextChoices):
    NONE = "", _("No review needed")
    PENDING = "pending", _("Awaiting review")
    REASONABLE = "reasonable", _("Reasonable")
    UNREASONABLE = "unreasonable", _("Not reasonable")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class FollowUpChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    LINK = "link", _("Citizen's link")


class FollowUp(models.Model):
    """The follow-up (回访) owed after each conclusion, and its reasonableness review."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="follow_ups")
    round = models.PositiveSmallIntegerField(default=1)
    due_at = models.DateTimeField()
    # The citizen's link carries a secret token; only its keyed hash is stored.
    token_hash = models.CharField(max_length=64, unique=True)
    token_expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=FollowUpChannel.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved = models.BooleanField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(choices=Satisfaction.choices, null=True, blank=True)
    note = models.TextField(blank=True)
    review = models.CharField(max_length=16, choices=ReviewOutcome.choices, default="", blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["appeal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "round"], name="follow_up_round_unique"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="follow_up_satisfaction_range",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(answered_at__isnull=True), name="follow_up_pending"),
            models.Index(fields=["review"], condition=Q(review="pending"), name="follow_up_review_pending"),
            # The drill-downs of resolution and satisfaction: the period's answers, newest first.
            models.Index(
                fields=["answered_at", "id"],
                condition=Q(answered_at__isnull=False),
                name="follow_up_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} follow-up {self.round}"

    @property
    def dissatisfied(self) -> bool:
        from jingmin.appeals.transitions import is_dissatisfied

        return is_dissatisfied(self.resolved, self.satisfaction)
