"""Tasks of early warning: run the rules over a record just written; safe to run twice."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def scan_record(*, record_type: str, record_id: int) -> int:
    from jingmin.warnings.services import signals_scan_record

    return signals_scan_record(record_type=record_type, record_id=record_id, now=timezone.now())


@task()
def scan_records(*, record_type: str, record_ids: list[int]) -> int:
    """The rules over each record of a batch written together (the batch intake), in one task."""
    from jingmin.warnings.services import signals_scan_record

    return sum(
        signals_scan_record(record_type=record_type, record_id=record_id, now=timezone.now())
        for record_id in record_ids
    )


def enqueue_scan(record_type: str, record_ids: list[int]) -> None:
    """The listener `jingmin.core.hooks` calls after commit: one task for one record or a batch."""
    if len(record_ids) == 1:
        scan_record.enqueue(record_type=record_type, record_id=record_ids[0])
    else:
        scan_records.enqueue(record_type=record_type, record_ids=list(record_ids))
