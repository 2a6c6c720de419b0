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

from jingmin.audit.chain import GENESIS_HASH, entry_hash
from jingmin.audit.codes import AuditAction
from jingmin.audit.context import client_ip
from jingmin.audit.models import AuditCheckpoint, AuditEntry, AuditHead
from jingmin.core.dates import spoken_datetime

if TYPE_CHECKING:
    from jingmin.org.models import User


class AuditPurgeRefused(Exception):
    pass


# Rows sealed per transaction: the sweep catching up after a pause seals in steps of this size, so
# the head is never held for long; right after a commit there are a handful.
SEAL_BATCH = 500


def _head_for_update(*, wait: bool = True) -> AuditHead | None:
    """The chain's head, locked until the transaction ends. Only the sealer and the purge take it,
    never a writer. With `wait` false, None when another transaction holds it (SKIP LOCKED)."""
    heads = AuditHead.objects.select_for_update(skip_locked=not wait).filter(pk=1)
    head = heads.first()
    if head is None:
        if AuditHead.objects.filter(pk=1).exists():
            return None
        AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
        head = heads.first()
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
    """One row's content, for `audit_append` to write; the sealer gives it its place in the chain."""
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
    """Write rows made by `audit_entry`, in order and in one statement (the batch intake writes
    all of its rows at once). They are written unsealed: no lock is taken, so writers never queue
    on one another; the sealer gives them their place in the chain once this transaction commits
    (`audit_seal`, tried right after the commit and run every minute)."""
    # No savepoint of its own: an audit row that cannot be written must undo the whole change it
    # records, never leave it committed unaudited.
    rows = AuditEntry.objects.bulk_create([AuditEntry(**content) for content in entries])
    _queue_seal()
    return rows


def _queue_seal() -> None:
    # Once per transaction: a callback already queued where no savepoint can drop it will seal
    # these rows too. (Django keeps each callback with the savepoints open when it was queued.)
    connection = transaction.get_connection()
    open_now = set(connection.savepoint_ids)
    if any(
        func is seal_after_commit and sids <= open_now for sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(seal_after_commit, robust=True)


def seal_after_commit() -> None:
    """What every writing transaction runs once after its commit (tests that count a request's
    callbacks after commit tell it apart by this name)."""
    # Never waits: if the head is taken, another transaction is sealing, and what it misses the
    # next sealer takes. A failure here is logged (robust) and leaves the rows to the sweep: the
    # writer's change is committed and its row with it.
    audit_seal(wait=False)


def audit_seal(*, wait: bool = True, batch_size: int = SEAL_BATCH) -> int:
    """Give the committed unsealed rows their number and hash, oldest id first, each linked to the
    row sealed before it; returns how many were sealed.

    The head is locked for each sealing transaction alone (durable: never inside a writer's
    transaction). The chain's order is the order of sealing: a row whose transaction commits
    after a later-written one's is sealed in a later batch, after it. Sealing twice is impossible:
    a sealer reads the unsealed rows only once it holds the head, and the database refuses to
    update a sealed row. With `wait` false a sealer that finds the head taken returns at once."""
    sealed = 0
    while True:
        with transaction.atomic(durable=True):
            head = _head_for_update(wait=wait)
            if head is None:
                return sealed
            batch = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:batch_size])
            if not batch:
                return sealed
            seq, prev_hash = head.seq, head.hash
            for entry in batch:
                seq += 1
                entry.seq, entry.prev_hash = seq, prev_hash
                entry.hash = prev_hash = entry_hash(entry, seq=seq, prev_hash=prev_hash)
            AuditEntry.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            head.seq, head.hash = seq, prev_hash
            head.save(update_fields=["seq", "hash"])
        sealed += len(batch)
        if len(batch) < batch_size:
            return sealed


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
    """Write one row. Call it inside the transaction of the change it records, last."""
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
                "limit": spoken_datetime(limit),
            }
        )
    with transaction.atomic():
        # The head, so that no sealer moves the chain while its prefix is cut.
        _head_for_update()
        sealed = AuditEntry.objects.filter(seq__isnull=False)
        first_young = sealed.filter(at__gte=before).order_by("seq").values_list("seq", flat=True).first()
        old = sealed.filter(at__lt=before)
        if first_young is not None:
            old = old.filter(seq__lt=first_young)
        last = old.order_by("-seq").values_list("seq", "hash").first()
        through_seq, through_hash = last if last is not None else (None, "")
        if through_seq is None:
            return PurgeResult(deleted=0, through_seq=0)
        AuditCheckpoint.objects.create(
            through_seq=through_seq,
            through_hash=through_hash,
            at=timezone.now(),
            actor_username=actor_username,
        )
        deleted, _counts = AuditEntry.objects.filter(seq__lte=through_seq).delete()
        audit_record(
            actor=None,
            actor_username=actor_username,
            action=AuditAction.LOG_PURGE,
            detail={"through_seq": through_seq, "deleted": deleted, "before": before.isoformat()},
        )
    return PurgeResult(deleted=deleted, through_seq=through_seq)
