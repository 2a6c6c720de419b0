"""Indicator settings with their history.

Each change is a new version kept with the date it takes effect; nothing is overwritten. A report
for a period is computed with the version in force on the period's last day, and says which
(`jingmin/metrics/versions.py`), so a past month recomputes as it was reported.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_weights() -> dict[str, int]:
    return {"response": 30, "resolution": 35, "satisfaction": 35}


def default_excludes() -> list[str]:
    return ["merged", "pending_review", "rejected", "unreasonable"]


def default_sources() -> list[str]:
    return ["follow_up"]


class IndicatorSettings(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    k = models.DecimalField(
        _("weight k of fairly satisfied"), max_digits=3, decimal_places=2, default=Decimal("0.5")
    )
    weights = models.JSONField(_("composite weights"), default=default_weights)
    excludes = models.JSONField(_("exclusions"), default=default_excludes)
    satisfaction_sources = models.JSONField(_("rating sources"), default=default_sources)
    repeat_window_days = models.PositiveSmallIntegerField(_("repeat window (days)"), default=30)
    params = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("reason for the change"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from", "-version"]
        verbose_name = _("indicator settings")
        verbose_name_plural = _("indicator settings")
        indexes = [models.Index(fields=["effective_from", "version"], name="metrics_settings_effective")]
        constraints = [
            models.CheckConstraint(condition=models.Q(k__gte=0, k__lte=1), name="metrics_settings_k_range")
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from:%Y-%m-%d})"


class Tally(models.Model):
    """One count of a roll-up (`jingmin/metrics/rollup.py`): how many records of a `kind` (appeals
    received, a clock kept, a follow-up's score ...) fell on a day, a month or a year (`grain`,
    `day` the first day) in a police district, with the `part` the indicator splits them by, the
    exclusion that may leave them out and, for a clock still running, the day its deadline is
    judged. Day rows also carry the officer (0: none); month and year rows are every officer's."""

    kind = models.CharField(max_length=24)
    grain = models.CharField(max_length=1)
    day = models.DateField()
    unit_path = models.CharField(max_length=255)
    officer_id = models.IntegerField(default=0)
    part = models.CharField(max_length=40, blank=True, default="")
    excluded_by = models.CharField(max_length=64, blank=True, default="")
    due = models.DateField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "grain", "day", "unit_path", "officer_id", "part", "excluded_by", "due"],
                name="metrics_tally_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["grain", "day", "unit_path"],
                opclasses=["varchar_ops", "date_ops", "varchar_pattern_ops"],
                name="metrics_tally_period",
            ),
            models.Index(
                fields=["officer_id", "day"],
                condition=models.Q(grain="d") & ~models.Q(officer_id=0),
                name="metrics_tally_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.grain} {self.day} {self.unit_path} {self.part} = {self.n}"


class RollupState(models.Model):
    """Whether the roll-ups are built (by `metrics_rollup --rebuild` or a settings change): until
    then every figure is counted from the records."""

    built_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"roll-ups built at {self.built_at}"
