"""Routing: versioned classifiers for category and unit, and what became of each suggestion.

Models live in the database, not in files: every web worker and the task worker read the same
table, so a model trained by the worker is at once the one every clerk's page uses, with no shared
disk to keep in step; a version, its evaluation and its bytes are written in one transaction and
backed up with everything else. The bytes are a pickle, which can run code when loaded, so each
carries a keyed MAC (`model_store`) and is unpickled only when the MAC made with this deployment's
SECRET_KEY matches: a row that did not come from our own training is never loaded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    APPEALS = "appeals", _("Concluded appeals")
    CSV = "csv", _("CSV file")


class RoutingModel(models.Model):
    """One trained version: its classifiers, the data it learned from and how well it did."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("trained at"), default=timezone.now)
    # Null when a command or the scheduled task trained it; `trained_by` then names the command.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trained_by = models.CharField(_("trained by"), max_length=150)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    description = models.CharField(_("training set"), max_length=300)
    samples = models.PositiveIntegerField(_("examples"))
    # Category and unit figures side by side; the unit ones are null when it has no unit model
    # (a CSV carries no units; too few dispatched appeals).
    category_labels = models.PositiveIntegerField(_("categories learnt"))
    category_macro_f1 = models.FloatField(_("category macro-F1"))
    unit_samples = models.PositiveIntegerField(_("unit examples"), default=0)
    unit_labels = models.PositiveIntegerField(_("units learnt"), default=0)
    unit_macro_f1 = models.FloatField(_("unit macro-F1"), null=True, blank=True)
    # Cross-validated: {"category": {...}, "unit": {...} or null}, see `learning.Evaluation`.
    evaluation = models.JSONField(_("evaluation"), default=dict)
    training_seconds = models.FloatField(default=0)
    library_versions = models.JSONField(default=dict)
    payload = models.BinaryField(editable=False)
    payload_mac = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="routing_model_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"

    @property
    def payload_size(self) -> int:
        return len(self.payload or b"")


class Suggestion(models.Model):
    """What the intake form suggested for one appeal, and whether the clerk took it.

    Written with the registration, from what the form reports it showed (and nothing when it
    showed nothing). `category_taken` compares the suggestion with the category registered;
    `unit_taken` with the unit dispatched to at intake, and stays null when the clerk did not
    dispatch then (no decision was made on the suggestion).
    """

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.PROTECT, related_name="routing_suggestion"
    )
    model = models.ForeignKey(RoutingModel, on_delete=models.PROTECT, related_name="suggestions")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The intake unit's path: the routing page shows a station its own clerks' figures.
    unit_path = models.CharField(max_length=255, editable=False)
    category = models.ForeignKey(
        "appeals.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category_confidence = models.FloatField(null=True, blank=True)
    category_taken = models.BooleanField(null=True, blank=True)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_confidence = models.FloatField(null=True, blank=True)
    unit_taken = models.BooleanField(null=True, blank=True)
    chosen_category = models.ForeignKey("appeals.Category", on_delete=models.PROTECT, related_name="+")
    chosen_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(
                fields=["unit_path", "at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                name="routing_suggestion_scope",
            ),
            models.Index(fields=["at"], name="routing_suggestion_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(category_taken__isnull=False),
                name="routing_suggestion_category_decided",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=False) | Q(unit__isnull=False),
                name="routing_suggestion_something_shown",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} ← v{self.model_id}"
