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
