"""Early-warning signals (预警): what the rules found, the records that show it, and who acts on it.

A signal is known by its `key`, which names the rule and its subject (one caller's keyed phone
hash, one address, one household, one dispute, one category in one police district); there is
only ever one signal per key. Evidence rows point at the records that raised it (appeals, visits,
disputes); the same record never counts twice for one signal. New evidence for an open signal is
added to it; new evidence for a closed signal reopens it — so the same evidence never raises two
open signals, and nothing new goes unseen. Every step is a `SignalEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    REPEAT_CALLER = "repeat_caller", _("Repeated appeals from one caller")
    REPEAT_ADDRESS = "repeat_address", _("Repeated appeals from one address")
    RISK_WORDS = "risk_words", _("Risk words")
    DISPUTE_OVERDUE = "dispute_overdue", _("Dispute past its deadline")
    DISPUTE_UPGRADED = "dispute_upgraded", _("Dispute re-graded upward")
    DISPUTE_PARTY = "dispute_party", _("A party in several open disputes")
    SPIKE = "spike", _("Spike of one category")
    HARDSHIP = "hardship", _("Hardship without help")


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class State(models.TextChoices):
    OPEN = "open", pgettext_lazy("signal state", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACTED = "acted", _("Acted on")
    CLOSED = "closed", _("Closed")


class Theme(models.TextChoices):
    """Themes of risk words."""

    SELF_HARM = "self_harm", _("Self-harm")
    VIOLENCE = "violence", _("Violence")
    REVENGE = "revenge", _("Revenge")
    EXPLOSIVES = "explosives", _("Gas or explosives")
    WAGES = "wages", _("Wages owed")
    DOMESTIC = "domestic", _("Domestic violence")
    GATHERING = "gathering", _("Group gathering")
    EXTREME = "extreme", _("Extreme words")


class Signal(models.Model):
    key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    # What the signal is about, in words fit for a list: no names, phones or addresses.
    title = models.CharField(_("title"), max_length=200)
    themes = models.JSONField(default=list, blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assignee"),
    )
    raised_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reopened = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [
            models.Index(
                fields=["unit_path", "updated_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                condition=~Q(state="closed"),
                name="signal_open_scope",
            ),
            models.Index(fields=["kind", "state"], name="signal_kind_state"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED


class Evidence(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="evidence")
    record_type = models.CharField(max_length=16)
    record_id = models.PositiveBigIntegerField()
    # Tells apart several pieces of evidence in one record (a re-grading event, a piece of news).
    mark = models.CharField(max_length=60, blank=True)
    # What was found in it (the risk words matched, the grades): no personal data.
    detail = models.JSONField(default=dict, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signal", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "record_type", "record_id", "mark"], name="evidence_once_per_signal"
            )
        ]
        indexes = [models.Index(fields=["record_type", "record_id"], name="evidence_record")]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id}"


class Action(models.TextChoices):
    RAISE = "raise", _("raised the signal")
    EVIDENCE = "evidence", _("added evidence")
    REOPEN = "reopen", _("reopened the signal with new evidence")
    ACKNOWLEDGE = "acknowledge", _("acknowledged the signal")
    ACT = "act", _("recorded an action")
    CLOSE = "close", _("closed the signal")


class SignalEvent(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    # None when the rules acted (raising, adding evidence, reopening).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=50, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["signal", "seq"]
        constraints = [models.UniqueConstraint(fields=["signal", "seq"], name="signal_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.signal_id}#{self.seq} {self.action}"


class RiskWord(models.Model):
    """One risk word of the bureau's lists; the matcher is rebuilt when the list changes."""

    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)
    word = models.CharField(_("word"), max_length=30)
    is_active = models.BooleanField(default=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["theme", "word"]
        constraints = [models.UniqueConstraint(fields=["theme", "word"], name="risk_word_unique")]

    def __str__(self) -> str:
        return f"{self.theme}: {self.word}"
