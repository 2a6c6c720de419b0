"""The audit log: append-only rows, each chained to the one before by a SHA-256 hash.

The database itself refuses UPDATE, and DELETE of rows younger than the retention period (see the
triggers in migration 0002); the chain makes any change made around those triggers — by someone
with the database's superuser, say — visible to `manage.py audit_verify`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    seq = models.BigIntegerField(_("row number"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # Plain ids, not foreign keys: a row must never change when what it names changes.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("account"), max_length=150, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    target_type = models.CharField(_("record type"), max_length=40, blank=True)
    target_id = models.CharField(_("record"), max_length=64, blank=True)
    target_repr = models.CharField(_("record name"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.CharField(pgettext_lazy("network address", "address"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """The last link of the chain: one row, locked by every writer so that rows chain in order,
    and compared with the last row by the verifier so that deleting the newest rows shows too."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head #{self.seq}"


class AuditCheckpoint(models.Model):
    """Where the chain starts again after old rows were purged: the last purged row's number and
    hash, so that a purge is itself accountable and cannot hide the removal of later rows."""

    through_seq = models.BigIntegerField(unique=True)
    through_hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    actor_username = models.CharField(max_length=150)

    class Meta:
        ordering = ["-through_seq"]

    def __str__(self) -> str:
        return f"purged through #{self.through_seq}"
