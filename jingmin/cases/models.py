"""Help cases (帮扶对象) and persuasion cases (规劝投案): work with a family that runs for months.

Both are restricted records: they are read only by the officers assigned to them and by their
chain of command (a chief or leader whose unit's subtree holds the case's police district),
every reading is audited, and a refused reading leaves an audit row too (`jingmin/cases/access.py`
decides). A case's acts (help given, contacts with the family) are appended, each may name the
visit it was made on, and every step of a case is a `CaseEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingmin.core.crypto import EncryptedTextField, mask


class CaseKind(models.TextChoices):
    HELP = "help", pgettext_lazy("kind of case", "Help")
    PERSUASION = "persuasion", _("Persuasion")


class HelpCloseReason(models.TextChoices):
    RECOVERED = "recovered", _("The family is out of hardship")
    MOVED = "moved", _("The family moved away")
    DECEASED = "deceased", _("The person helped died")
    TAKEN_OVER = "taken_over", _("Taken over by another body")
    OTHER = "other", pgettext_lazy("reason", "Other")


class HelpCase(models.Model):
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    household = models.ForeignKey(
        "ledger.Household", on_delete=models.PROTECT, related_name="help_cases", verbose_name=_("household")
    )
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    district_path = models.CharField(max_length=255, editable=False)
    hardship = models.TextField(_("the family's hardship"))
    plan = models.TextField(_("plan of help"))
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="help_cases", verbose_name=_("officers")
    )
    is_open = models.BooleanField(default=True, editable=False)
    close_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=HelpCloseReason.choices, blank=True
    )
    close_note = models.TextField(_("note"), blank=True)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("help case")
        verbose_name_plural = _("help cases")
        constraints = [
            # One open case per household: help is one plan, not several competing ones.
            models.UniqueConstraint(
                fields=["household"], condition=Q(is_open=True), name="help_case_one_open"
            ),
            models.CheckConstraint(
                condition=Q(is_open=True, close_reason="") | Q(is_open=False) & ~Q(close_reason=""),
                name="help_case_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"help #{self.pk}"


class HelpAct(models.Model):
    """One act of help: what was done, by whom, with what outcome, on which visit."""

    case = models.ForeignKey(HelpCase, on_delete=models.PROTECT, related_name="acts")
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    what = models.TextField(_("what was done"))
    outcome = models.TextField(_("outcome"), blank=True)
    visit = models.ForeignKey(
        "visits.Visit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("visit"),
    )
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.at:%Y-%m-%d}"


class PersuasionOutcome(models.TextChoices):
    SURRENDERED = "surrendered", _("Gave themselves up")
    CAUGHT = "caught", _("Caught")
    CANCELLED = "cancelled", _("Wanted notice withdrawn")
    OTHER = "other", pgettext_lazy("outcome", "Other")


class PersuasionCase(models.Model):
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    wanted_name = models.CharField(_("wanted person"), max_length=60)
    wanted_id_number = EncryptedTextField(_("ID number"))
    wanted_id_hash = models.CharField(max_length=64, db_index=True, editable=False)
    district = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("police district")
    )
    district_path = models.CharField(max_length=255, editable=False)
    household = models.ForeignKey(
        "ledger.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("family's household"),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="persuasion_cases", verbose_name=_("officers")
    )
    is_open = models.BooleanField(default=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=PersuasionOutcome.choices, blank=True)
    outcome_note = models.TextField(_("note"), blank=True)
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("persuasion case")
        verbose_name_plural = _("persuasion cases")
        constraints = [
            models.UniqueConstraint(
                fields=["wanted_id_hash"], condition=Q(is_open=True), name="persuasion_case_one_open"
            ),
            models.CheckConstraint(
                condition=Q(is_open=True, outcome="") | Q(is_open=False) & ~Q(outcome=""),
                name="persuasion_case_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        # No name: this text lands in the audit log.
        return f"persuasion #{self.pk}"

    @property
    def wanted_id_masked(self) -> str:
        return mask(self.wanted_id_number, keep_start=4, keep_end=4)


class PersuasionContact(models.Model):
    """One contact with the wanted person's family, and how they answered."""

    case = models.ForeignKey(PersuasionCase, on_delete=models.PROTECT, related_name="contacts")
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    relative = models.CharField(_("family member"), max_length=60)
    relation = models.CharField(_("relation"), max_length=30, blank=True)
    what = models.TextField(_("what was said"))
    response = models.TextField(_("how the family answered"), blank=True)
    visit = models.ForeignKey(
        "visits.Visit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("visit"),
    )
    submission_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.at:%Y-%m-%d}"


class CaseAction(models.TextChoices):
    OPEN = "open", _("opened the case")
    ACT = "act", _("recorded an act of help")
    CONTACT = "contact", _("recorded a contact with the family")
    CLOSE = "close", _("closed the case")


class CaseEvent(models.Model):
    """One step of a case's history, appended and never changed."""

    kind = models.CharField(max_length=16, choices=CaseKind.choices)
    case_id = models.PositiveBigIntegerField()
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=CaseAction.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=50, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["kind", "case_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "case_id", "seq"], name="case_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id}#{self.seq} {self.action}"
