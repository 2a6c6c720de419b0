"""The audit log: append-only rows, each chained to the one before by a SHA-256 hash.

A writer inserts its row unsealed (no number, no hash) in its own transaction; the sealer
(`audit_seal`) gives committed rows their number and hash in the order it finds them, moments
later. The database itself refuses every UPDATE but that one sealing of an unsealed row, and
DELETE of rows younger than the retention period (see `triggers.py`); the chain makes any change
made around those triggers — by someone with the database's superuser, say — visible to
`manage.py audit_verify`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    # The place in the chain, given by the sealer; empty (with both hashes) until then.
    seq = models.BigIntegerField(_("row number"), unique=True, null=True, blank=True)
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
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        # Newest written first. The id is the order rows were written in; the chain's order is
        # the order they were sealed in, which differs only where transactions committed out of
        # the order they wrote (rows written before sealing existed have both orders equal).
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # The sealer's work list: only the rows still waiting, so it stays tiny.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_entry_unsealed"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}" if self.sealed else f"({self.pk}) {self.action}"

    @property
    def sealed(self) -> bool:
        return self.seq is not None


class AuditHead(models.Model):
    """The last link of the chain: one row, locked by the sealer for the sealing transaction
    alone (writers never touch it), and compared with the last sealed row by the verifier so that
    deleting the newest rows shows too."""

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
