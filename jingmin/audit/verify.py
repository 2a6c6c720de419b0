"""Walk the chain and report the first row where it breaks, and the rows still waiting to be sealed.

The head is read first and the walk stops at it, so rows a sealer adds while the walk runs are
neither missed nor reported as missing: the walk proves the chain as it stood when it began.
Unsealed rows are not part of the proof yet; they are counted, and the log fails verification
when one has waited longer than the sealer ever should (the minute's sweep seals every row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min
from django.utils import timezone

from jingmin.audit.chain import GENESIS_HASH, entry_hash
from jingmin.audit.models import AuditCheckpoint, AuditEntry, AuditHead

# An unsealed row older than this means the sealer has not run: the sweep runs every minute.
UNSEALED_GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""
    unsealed: int = 0
    oldest_unsealed_at: datetime | None = None
    # Rows that waited past the grace: the chain may be intact, but the log is not.
    stale_unsealed: int = 0


def audit_chain_verify(*, chunk_size: int = 5000, unsealed_grace: timedelta = UNSEALED_GRACE) -> ChainReport:
    head = AuditHead.objects.filter(pk=1).first()
    report = _walk(head, chunk_size)
    if report.ok and head is not None:
        report = _nothing_beyond_head(report)
    waiting = AuditEntry.objects.filter(seq__isnull=True)
    pending = waiting.aggregate(n=Count("id"), oldest=Min("at"))
    stale = waiting.filter(at__lt=timezone.now() - unsealed_grace).count() if pending["n"] else 0
    unsealed = {"unsealed": pending["n"], "oldest_unsealed_at": pending["oldest"], "stale_unsealed": stale}
    if report.ok and stale:
        reason = (
            f"{stale} rows have waited more than {int(unsealed_grace.total_seconds() // 60)} minutes unsealed"
        )
        return ChainReport(False, report.checked, None, reason, **unsealed)
    return ChainReport(report.ok, report.checked, report.broken_at, report.reason, **unsealed)


def _nothing_beyond_head(report: ChainReport) -> ChainReport:
    # Rows are sealed and the head moved in one transaction, so the highest number read before the
    # head is read again can never exceed it, unless the head was set back.
    highest = AuditEntry.objects.aggregate(m=Max("seq"))["m"] or 0
    head = AuditHead.objects.get(pk=1)
    if highest > head.seq:
        reason = f"rows {head.seq + 1} to {highest} lie beyond the chain's head"
        return ChainReport(False, report.checked, head.seq + 1, reason)
    return report


def _walk(head: AuditHead | None, chunk_size: int) -> ChainReport:
    checkpoint = AuditCheckpoint.objects.order_by("-through_seq").first()
    expected_seq = (checkpoint.through_seq if checkpoint else 0) + 1
    prev_hash = checkpoint.through_hash if checkpoint else GENESIS_HASH
    checked = 0
    rows = AuditEntry.objects.filter(seq__isnull=False)
    if head is not None:
        rows = rows.filter(seq__lte=head.seq)
    for entry in rows.order_by("seq").iterator(chunk_size=chunk_size):
        assert entry.seq is not None
        if entry.seq != expected_seq:
            if entry.seq < expected_seq:
                return ChainReport(False, checked, entry.seq, "row precedes the last purge checkpoint")
            return ChainReport(
                False, checked, expected_seq, f"row is missing (next present row is {entry.seq})"
            )
        if entry.prev_hash != prev_hash:
            return ChainReport(False, checked, entry.seq, "link to the previous row does not match")
        if entry_hash(entry, seq=entry.seq, prev_hash=entry.prev_hash) != entry.hash:
            return ChainReport(False, checked, entry.seq, "row content does not match its hash (edited)")
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or (head.seq and head.hash != prev_hash)):
        if head.seq > last_seq:
            return ChainReport(False, checked, last_seq + 1, f"rows {last_seq + 1} to {head.seq} are missing")
        return ChainReport(False, checked, head.seq, "the chain's head does not match its last row")
    return ChainReport(True, checked)
