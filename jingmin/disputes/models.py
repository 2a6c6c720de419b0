"""The dispute register (矛盾纠纷排查化解): what the station found, who is in it, how risky it is,
what was done to mediate it and how it ended.

A dispute is scoped like the ledger: `district_path` is the path of its police district. Its
state, grade and deadline change through the services only, and every change appends a
`DisputeEvent`; the mediation log (`Mediation`) and the follow-up visits are appended too, never
rewritten. Parties are linked to ledger persons when the officer found them there; their phone
and ID number are kept encrypted with a keyed hash beside, as the ledger keeps them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingmin.core.crypto import EncryptedTextField, mask


class DisputeType(models.TextChoices):
    NEIGHBOURS = "neighbours", _("Neighbours")
    FAMILY = "family", _("Family")
    MARRIAGE = "marriage", _("Marriage")
    LAND = "land", _("Land")
    WAGES = "wages", _("Wages owed")
    PROPERTY = "property", _("Property management")
    DEMOLITION = "demolition", _("Demolition")
    CONSUMER = "consumer", _("Consumer")
    TRAFFIC = "traffic", _("Traffic accident")
    OTHER = "other", pgettext_lazy("type of dispute", "Other")


class Grade(models.TextChoices):
    """Risk grades, the most urgent first; `GRADE_RANK` orders them."""

    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")
    BLUE = "blue", _("Blue")


GRADE_RANK = {Grade.BLUE: 1, Grade.YELLOW: 2, Grade.ORANGE: 3, Grade.RED: 4}


class State(models.TextChoices):
    FOUND = "found", _("Found")
    MEDIATING = "mediating", _("Mediating")
    RESOLVED = "resolved", _("Resolved")
    HANDED_OVER = "handed_over", _("Handed over")
    CONTAINED = "contained", _("Contained")


OPEN_STATES = frozenset({State.FOUND, State.MEDIATING})


class HandOverTo(models.TextChoices):
    COURT = "court", _("A court")
    COMMITTEE = "committee", _("A people's mediation committee")
    DEPARTMENT = "department", _("Another department")


class Source(models.TextChoices):
    """Where the dispute was found: the record it links back to."""

    SCREENING = "screening", _("Screening by the station")
    APPEAL = "appeal", _("An appeal")
    VISIT = "visit", _("A visit's family news")
    SIGNAL = "signal", _("An early-warning signal")


def dispute_number() -> str:
    return f"JF{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


class Dispute(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, default=dispute_number)
    # Set by the form and the API so that a retried submission creates nothing twice.
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    occurred_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    district_path = models.CharField(max_length=255, editable=False)
    type = models.CharField(_("type"), max_length=16, choices=DisputeType.choices)
    people_involved = models.PositiveIntegerField(_("people involved"), default=2)
    amount_involved = models.DecimalField(
        _("money involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("risk grade"), max_length=8, choices=Grade.choices)
    deadline = models.DateTimeField(_("deadline"))
    # The next follow-up visit the grade asks for; none once the dispute is closed.
    visit_due = models.DateField(_("next follow-up visit"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.FOUND)
    is_open = models.BooleanField(default=True, editable=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    handed_to_kind = models.CharField(
        _("handed over to"), max_length=16, choices=HandOverTo.choices, blank=True
    )
    handed_to = models.CharField(_("receiving body"), max_length=120, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    source = models.CharField(
        _("found through"), max_length=16, choices=Source.choices, default=Source.SCREENING
    )
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    visit_item = models.ForeignKey(
        "visits.VisitItem", null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    # The signal it was raised from (the warnings domain reads disputes; this side keeps the id).
    signal_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        indexes = [
            models.Index(
                fields=["district_path", "occurred_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                name="dispute_scope_occurred",
            ),
            # The sweep's "open and past the deadline", and the chief's open red and orange.
            models.Index(fields=["deadline"], condition=Q(is_open=True), name="dispute_open_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(people_involved__gte=1)
                & (Q(amount_involved__isnull=True) | Q(amount_involved__gte=0)),
                name="dispute_figures_positive",
            ),
            models.CheckConstraint(
                condition=~Q(state="handed_over") | ~Q(handed_to=""), name="dispute_handed_over_to_someone"
            ),
        ]

    def __str__(self) -> str:
        # No names: this text lands in the audit log and in notifications.
        return self.number

    @property
    def rank(self) -> int:
        return GRADE_RANK[Grade(self.grade)]


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    OTHER = "other", pgettext_lazy("party role", "Other")


class Party(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices, default=PartyRole.APPLICANT)
    person = models.ForeignKey(
        "ledger.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_parties",
        verbose_name=_("person in the ledger"),
    )
    name = models.CharField(_("name"), max_length=60)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["dispute", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.dispute_id})"

    @property
    def phone_masked(self) -> str:
        return mask(self.phone)

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number, keep_start=4, keep_end=4)


class Mediation(models.Model):
    """One entry of the mediation log: who mediated, when, with whom, what was agreed."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="mediations")
    at = models.DateTimeField(_("when"))
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("mediator")
    )
    with_whom = models.CharField(_("with whom"), max_length=200)
    what = models.TextField(_("what was done"))
    agreed = models.TextField(_("what was agreed"), blank=True)
    # A follow-up visit (by the grade's interval) rather than a mediation session.
    is_visit = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["dispute", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} @ {self.at:%Y-%m-%d}"


class EventAction(models.TextChoices):
    REGISTER = "register", _("registered the dispute")
    MEDIATE = "mediate", _("recorded a mediation")
    VISIT = "visit", _("recorded a follow-up visit")
    REGRADE = "regrade", _("re-graded the dispute")
    RESOLVE = "resolve", _("resolved the dispute")
    HAND_OVER = "hand_over", _("handed the dispute over")
    CONTAIN = "contain", _("contained the dispute")
    ATTACH = "attach", _("attached a file")


class DisputeEvent(models.Model):
    """One step of a dispute's history, appended and never changed."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=EventAction.choices)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    from_grade = models.CharField(max_length=8, blank=True)
    to_grade = models.CharField(max_length=8, blank=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=50, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["dispute", "seq"]
        constraints = [models.UniqueConstraint(fields=["dispute", "seq"], name="dispute_event_seq_unique")]
        indexes = [models.Index(fields=["action", "at"], name="dispute_event_action_at")]

    def __str__(self) -> str:
        return f"{self.dispute_id}#{self.seq} {self.action}"


def attachment_path(instance: DisputeAttachment, filename: str) -> str:
    # A random name: the original name is kept in the row, never trusted as a path.
    now = timezone.now()
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"disputes/{now:%Y/%m}/{secrets.token_hex(16)}.{ext}"


class DisputeAttachment(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
