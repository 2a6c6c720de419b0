"""Walk the chain and report the first row where it breaks."""

from __future__ import annotations

from dataclasses import dataclass

from jingmin.audit.chain import GENESIS_HASH, row_hash
from jingmin.audit.models import AuditCheckpoint, AuditEntry, AuditHead


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def audit_chain_verify(*, chunk_size: int = 5000) -> ChainReport:
    checkpoint = AuditCheckpoint.objects.order_by("-through_seq").first()
    expected_seq = (checkpoint.through_seq if checkpoint else 0) + 1
    prev_hash = checkpoint.through_hash if checkpoint else GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            if entry.seq < expected_seq:
                return ChainReport(False, checked, entry.seq, "row precedes the last purge checkpoint")
            return ChainReport(
                False, checked, expected_seq, f"row is missing (next present row is {entry.seq})"
            )
        if entry.prev_hash != prev_hash:
            return ChainReport(False, checked, entry.seq, "link to the previous row does not match")
        computed = row_hash(
            prev_hash=entry.prev_hash,
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_username=entry.actor_username,
            unit_id=entry.unit_id,
            unit_path=entry.unit_path,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            target_repr=entry.target_repr,
            detail=entry.detail,
            ip=entry.ip,
        )
        if computed != entry.hash:
            return ChainReport(False, checked, entry.seq, "row content does not match its hash (edited)")
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or (head.seq and head.hash != prev_hash)):
        if head.seq > last_seq:
            return ChainReport(False, checked, last_seq + 1, f"rows {last_seq + 1} to {head.seq} are missing")
        return ChainReport(False, checked, head.seq, "the chain's head does not match its last row")
    return ChainReport(True, checked)
