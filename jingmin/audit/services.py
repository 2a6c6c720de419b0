"""Writing to the audit log, and the one sanctioned way of removing old rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.chain import GENESIS_HASH, row_hash
from jingmin.audit.codes import AuditAction
from jingmin.audit.context import client_ip
from jingmin.audit.models import AuditCheckpoint, AuditEntry, AuditHead

if TYPE_CHECKING:
    from jingmin.org.models import User


class AuditPurgeRefused(Exception):
    pass


def _head_for_update() -> AuditHead:
    # The head row serialises writers: each takes the lock, appends one row and moves the head.
    # It is held only until the surrounding transaction commits, which is why services write
    # their audit row last.
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def audit_entry(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    actor_username: str = "",
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
) -> dict[str, Any]:
    """One row's content, before the chain gives it its place (`audit_append`)."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_repr = str(target)[:200]
    unit = getattr(actor, "unit", None) if actor is not None else None
    return {
        "at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_username": (actor.username if actor is not None else actor_username)[:150],
        "unit_id": unit.pk if unit is not None else None,
        "unit_path": unit.path if unit is not None else "",
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr[:200],
        "detail": detail or {},
        "ip": client_ip.get(),
    }


def audit_append(entries: Sequence[dict[str, Any]]) -> list[AuditEntry]:
    """Chain rows made by `audit_entry`, in order, under one lock of the head: a batch of changes
    (the batch intake) takes the lock once, at its end, and writes its rows in one statement."""
    # No savepoint of its own: an audit row that cannot be written must undo the whole change it
    # records, never leave it committed unaudited; and the savepoint was two statements per write.
    with transaction.atomic(savepoint=False):
        head = _head_for_update()
        rows: list[AuditEntry] = []
        seq, prev_hash = head.seq, head.hash
        for content in entries:
            seq += 1
            fields = {"seq": seq, **content}
            entry_hash = row_hash(prev_hash=prev_hash, **fields)
            rows.append(AuditEntry(prev_hash=prev_hash, hash=entry_hash, **fields))
            prev_hash = entry_hash
        AuditEntry.objects.bulk_create(rows)
        head.seq, head.hash = seq, prev_hash
        head.save(update_fields=["seq", "hash"])
    return rows


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    actor_username: str = "",
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
) -> AuditEntry:
    """Append one row. Call it inside the transaction of the change it records."""
    [entry] = audit_append(
        [
            audit_entry(
                actor=actor,
                action=action,
                target=target,
                detail=detail,
                actor_username=actor_username,
                target_type=target_type,
                target_id=target_id,
                target_repr=target_repr,
            )
        ]
    )
    return entry


def audit_read(*, actor: User, target: models.Model, what: str = "") -> AuditEntry:
    """Record that a person read a sensitive record (a profile, an ID number revealed...)."""
    return audit_record(
        actor=actor, action=AuditAction.RECORD_READ, target=target, detail={"what": what} if what else None
    )


def field_changes(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """What changed, for the detail of an update row; secrets are named but never copied."""
    secret = {"password", "phone"}
    changes: dict[str, Any] = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if hasattr(new, "pk"):
            new = new.pk
        if old != new:
            changes[name] = "changed" if name in secret else [_jsonable(old), _jsonable(new)]
    return changes


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class PurgeResult:
    deleted: int
    through_seq: int


def audit_purge(*, actor_username: str, before: datetime) -> PurgeResult:
    """Delete the oldest rows, up to but excluding `before`, never any younger than retention.

    Only a prefix of the chain is removed, and a checkpoint keeps the last removed row's hash,
    so the verifier still knows where the chain must pick up.
    """
    limit = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    if before > limit:
        raise AuditPurgeRefused(
            _(
                "Audit rows younger than %(days)d days can never be purged; the latest allowed cut-off is %(limit)s."
            )
            % {
                "days": settings.AUDIT_RETENTION_DAYS,
                "limit": timezone.localtime(limit).strftime("%Y-%m-%d %H:%M"),
            }
        )
    with transaction.atomic():
        _head_for_update()
        first_young = (
            AuditEntry.objects.filter(at__gte=before).order_by("seq").values_list("seq", flat=True).first()
        )
        old = AuditEntry.objects.filter(at__lt=before)
        if first_young is not None:
            old = old.filter(seq__lt=first_young)
        last = old.order_by("-seq").first()
        if last is None:
            return PurgeResult(deleted=0, through_seq=0)
        AuditCheckpoint.objects.create(
            through_seq=last.seq, through_hash=last.hash, at=timezone.now(), actor_username=actor_username
        )
        deleted, _counts = AuditEntry.objects.filter(seq__lte=last.seq).delete()
        audit_record(
            actor=None,
            actor_username=actor_username,
            action=AuditAction.LOG_PURGE,
            detail={"through_seq": last.seq, "deleted": deleted, "before": before.isoformat()},
        )
    return PurgeResult(deleted=deleted, through_seq=last.seq)
