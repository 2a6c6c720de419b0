"""The public portal's own rows: rate counters, SMS verification codes and notices (宣传).

Appeals themselves live in `jingmin.appeals`; the portal only hands them over through its
services. Nothing here stores a phone number or a client address in the clear: counters and codes
carry keyed hashes (`jingmin.core.crypto.lookup_hash`), enough to count and to match, not to read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """How often one client address or one phone did one thing in one fixed time window.

    One row per (what, who, window); `jingmin.portal.limits.hit` adds to it with a single
    upsert, so that concurrent requests in any process count exactly.
    """

    scope = models.CharField(max_length=32)
    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash", "window_start"], name="rate_counter_unique")
        ]
        # The clean-up deletes windows that ended long ago.
        indexes = [models.Index(fields=["window_start"], name="rate_counter_window")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:8]} {self.window_start:%Y-%m-%d %H:%M} = {self.count}"


class PhoneCode(models.Model):
    """A six-digit code sent by SMS to prove that the phone number given is the citizen's own.

    Only a keyed hash of the code is kept. The newest code of a phone is the only valid one; it
    expires, allows a few wrong tries, and is used once (by one submission of the form).
    """

    phone_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    # The form submission that used it: a second tap on "submit" finds its own code used and
    # still gets its appeal back.
    used_for = models.CharField(max_length=80, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone_hash", "created_at"], name="phone_code_latest")]

    def __str__(self) -> str:
        return f"code for {self.phone_hash[:8]} at {self.created_at:%Y-%m-%d %H:%M}"


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    SAFETY = "safety", _("Safety advice")


class NoticeState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Notice(models.Model):
    """An announcement or safety advice (宣传) a station or the bureau publishes on the portal.

    The row holds the current text; every publication, edit and withdrawal also appends a
    `NoticeRevision`, so what the public was shown at any time can be told afterwards.
    """

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=120)
    # Plain text: shown escaped, with its line breaks; never HTML.
    body = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=16, choices=NoticeState.choices, default=NoticeState.PUBLISHED
    )
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            # The public list: published notices, newest first.
            models.Index(
                fields=["published_at", "id"], condition=Q(state="published"), name="notice_published"
            ),
            models.Index(
                fields=["unit_path", "published_at"],
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
                name="notice_unit_published",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="published", withdrawn_at__isnull=True)
                | Q(state="withdrawn", withdrawn_at__isnull=False),
                name="notice_withdrawn_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title


class NoticeRevision(models.Model):
    """One step of a notice's history: the text as it stood after the step. Never changed."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("published")
        EDIT = "edit", _("edited")
        WITHDRAW = "withdraw", _("withdrawn")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField()
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=50)

    class Meta:
        ordering = ["notice", "version"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "version"], name="notice_revision_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} v{self.version} {self.action}"
