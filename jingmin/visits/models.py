"""Visits (走访): who went where, when, whom they saw, what they learned and what must follow.

A visit row is written once and never changed in what it says: a correction is a `VisitAmendment`
(the corrected summary, more family news, more photos, or the withdrawal of a visit recorded in
error), and every step is a `VisitEvent`. The only field of a visit that ever changes is
`withdrawn`, set once by the amendment that withdraws it, so that coverage, counted over millions
of visits, needs no look at the amendments.

Scope follows the ledger: `district_path` is the path of the police district the visited
household, person or organisation belongs to, and a user sees a visit when their unit's path is a
prefix of it, like appeals' `unit_path`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VisitKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household visit")  # 入户走访
    VILLAGE = "village", _("Village visit")  # 下村走访
    MEETING = "meeting", _("Meeting")  # 座谈
    HELP = "help", pgettext_lazy("kind of visit", "Help")  # 帮扶: not an appeal's "help" (求助)
    PERSUASION = "persuasion", _("Persuasion")  # 规劝
    FOLLOW_UP = "follow_up", _("Follow-up visit")  # 回访


# Persuasion (规劝) concerns the families of wanted persons: it is read only by its author and the
# chiefs above, every read is audited, and it does not count towards a household's coverage (a
# coverage list would otherwise tell every officer which doors it was).
RESTRICTED_KINDS = frozenset({VisitKind.PERSUASION})


class Visit(models.Model):
    # Set by the visit form so that a retried submission creates nothing twice.
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    kind = models.CharField(_("kind of visit"), max_length=16, choices=VisitKind.choices)
    household = models.ForeignKey(
        "ledger.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("household"),
    )
    person = models.ForeignKey(
        "ledger.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "ledger.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("organisation"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    # The officer's unit when they recorded it (people move; the record keeps where they were).
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    district_path = models.CharField(max_length=255, editable=False)
    visited_at = models.DateTimeField(_("visited at"))
    # Where the device said it was, when it could say; the accuracy is its radius in metres.
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    summary = models.TextField(_("summary"))
    withdrawn = models.BooleanField(_("withdrawn"), default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        # Scope is `district_path LIKE 'prefix%'`: the pattern operator class lets PostgreSQL use
        # the btree for it (see appeals.Appeal). Coverage asks "has this household a visit since
        # the window's start", one probe of (household, visited_at) per household.
        indexes = [
            models.Index(
                fields=["district_path", "visited_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                name="visit_district_visited",
            ),
            models.Index(fields=["household", "visited_at"], name="visit_household_visited"),
            # The drill-down of visits over a branch or the bureau: the period's visits, newest first.
            models.Index(fields=["visited_at", "id"], name="visit_visited"),
            models.Index(fields=["person", "visited_at"], name="visit_person_visited"),
            models.Index(fields=["organisation", "visited_at"], name="visit_org_visited"),
            models.Index(fields=["officer", "visited_at"], name="visit_officer_visited"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False)
                | Q(person__isnull=False)
                | Q(organisation__isnull=False),
                name="visit_has_target",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="visit_position_whole",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="visit_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="visit_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        # No names here: this text lands in the audit log and in notifications.
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def restricted(self) -> bool:
        return self.kind in RESTRICTED_KINDS


class HouseholdCover(models.Model):
    """When each household was last visited by a visit that counts for coverage.

    Derived from the visits and kept beside them by the services (recording raises it, a
    withdrawal recomputes it; `services.household_covers_rebuild` rebuilds it from scratch), so
    that coverage of a station of hundreds of thousands of households is one join instead of one
    probe of the visits per household (measured in docs/visits.md).
    """

    household = models.OneToOneField(
        "ledger.Household", primary_key=True, on_delete=models.CASCADE, related_name="visit_cover"
    )
    visited_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.household_id}: {self.visited_at:%Y-%m-%d}"


class VisitAmendment(models.Model):
    """A correction of a visit, appended: the visit's own text is never overwritten."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="amendments")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The corrected summary; blank when the amendment only adds news or photos, or withdraws.
    summary = models.TextField(_("corrected summary"), blank=True)
    withdraw = models.BooleanField(_("withdraw the visit"), default=False)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["visit", "seq"]
        constraints = [models.UniqueConstraint(fields=["visit", "seq"], name="visit_amendment_seq_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.seq}"


class ItemKind(models.TextChoices):
    """The family's news (大事小情) an officer hears on a visit."""

    BIRTH = "birth", _("Birth")
    DEATH = "death", _("Death")
    MARRIAGE = "marriage", _("Marriage")
    MOVE_IN = "move_in", _("Moved in")
    MOVE_OUT = "move_out", _("Moved out")
    ILLNESS = "illness", _("Illness")
    DISPUTE = "dispute", _("Dispute")
    HARDSHIP = "hardship", _("Hardship")
    EMPLOYMENT = "employment", _("Employment")
    SCHOOLING = "schooling", _("Schooling")
    OTHER = "other", _("Other")


class VisitItem(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="items")
    # Set when the news was added by a later amendment rather than with the visit.
    amendment = models.ForeignKey(
        VisitAmendment, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("kind of news"), max_length=16, choices=ItemKind.choices)
    text = models.TextField(_("what was learned"))
    person = models.ForeignKey(
        "ledger.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_items",
        verbose_name=_("person concerned"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["visit", "id"]
        indexes = [models.Index(fields=["kind", "created_at"], name="visit_item_kind_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.visit_id})"


def photo_path(instance: VisitPhoto, filename: str) -> str:
    # A random name: the original name is kept in the row, never trusted as a path.
    now = timezone.now()
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"visits/{now:%Y/%m}/{secrets.token_hex(16)}.{ext}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    amendment = models.ForeignKey(
        VisitAmendment, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    file = models.FileField(upload_to=photo_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class FollowUpKind(models.TextChoices):
    TASK = "task", _("A task for me")
    APPEAL = "appeal", _("An appeal")


class VisitFollowUp(models.Model):
    """What must follow a visit: a task on the officer's own list, or an appeal registered with
    the channel "visit" and linked here."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(_("kind of follow-up"), max_length=8, choices=FollowUpKind.choices)
    text = models.TextField(_("what must follow"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    district_path = models.CharField(max_length=255, editable=False)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.OneToOneField(
        "appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="visit_follow_up"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["officer", "due_on"],
                condition=Q(kind="task", done_at__isnull=True),
                name="visit_task_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="task", appeal__isnull=True, due_on__isnull=False)
                | Q(kind="appeal", appeal__isnull=False),
                name="visit_follow_up_kind_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.visit_id})"


class EventAction(models.TextChoices):
    RECORD = "record", _("recorded the visit")
    AMEND = "amend", _("amended the visit")
    WITHDRAW = "withdraw", _("withdrew the visit")
    TASK_DONE = "task_done", _("marked a task done")
    TASK_UNDONE = "task_undone", _("marked a task not done")


class VisitEvent(models.Model):
    """One step of a visit's history, appended and never changed."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=EventAction.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=50, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["visit", "seq"]
        constraints = [models.UniqueConstraint(fields=["visit", "seq"], name="visit_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id}#{self.seq} {self.action}"


class VisitPlan(models.Model):
    """How often every household of a police district is to be visited.

    Appended: the plan in force is the district's latest row, and the rows before it are the
    plan's history. A district without a row follows `settings.VISIT_PLAN_DEFAULT_MONTHS`.
    """

    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    months = models.PositiveSmallIntegerField(_("every household at least once in (months)"))
    set_at = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["district", "-set_at", "-id"]
        indexes = [models.Index(fields=["district", "-set_at", "-id"], name="visit_plan_latest")]
        constraints = [
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=36), name="visit_plan_months_range")
        ]

    def __str__(self) -> str:
        return f"{self.district_id}: {self.months}"


class DistrictOutline(models.Model):
    """The outline of a police district on the map: a GeoJSON Polygon or MultiPolygon geometry
    in longitude/latitude (WGS 84), as GeoJSON has it."""

    district = models.OneToOneField("org.Unit", on_delete=models.PROTECT, related_name="visit_outline")
    geometry = models.JSONField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"outline of {self.district_id}"
