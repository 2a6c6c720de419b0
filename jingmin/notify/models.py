"""In-app notifications: one row per recipient, read in the inbox and counted in the nav badge."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    # The inbox index below starts with the recipient, so the foreign key needs no index of its own.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,
    )
    # A stable code such as "appeal.dispatched", for filtering and for programs; never shown.
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set by a caller that may run twice (a retried task): the same key for the same recipient
    # creates one row only. Empty means "no deduplication".
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            ),
            # The inbox renders `url` as a link: only a path on this site, never "javascript:" or
            # another host ("//host" and "/\host" are other hosts to a browser).
            models.CheckConstraint(
                condition=Q(url="")
                | Q(url__startswith="/") & ~Q(url__startswith="//") & ~Q(url__startswith="/\\"),
                name="notification_url_is_local_path",
            ),
        ]
        indexes = [
            # The inbox: everything of one recipient, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The badge count and "unread only": a small partial index, since most rows are read.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class SmsDispatch(models.Model):
    """One SMS to hand to the gateway, keyed so that a task run twice sends it once.

    `attempted_at` is committed before the gateway is called and `sent_at` after it answered. A run
    that finds `attempted_at` set does not send: the earlier run either sent it or died in the
    middle, and a citizen must not get the same text twice (at most once, unlike e-mail). A
    gateway that refuses the message clears `attempted_at`, so the retry sends it. The number and
    the text are not stored here: they travel in the task's arguments only.
    """

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
