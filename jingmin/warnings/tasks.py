"""Tasks of early warning: run the rules over a record just written; safe to run twice."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def scan_record(*, record_type: str, record_id: int) -> int:
    from jingmin.warnings.services import signals_scan_record

    return signals_scan_record(record_type=record_type, record_id=record_id, now=timezone.now())


def enqueue_scan(record_type: str, record_id: int) -> None:
    """The listener `jingmin.core.hooks` calls after commit."""
    scan_record.enqueue(record_type=record_type, record_id=record_id)
