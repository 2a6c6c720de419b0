"""Tasks of the appeals domain: run by the worker, safe to run twice."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task


@task()
def appeal_clock_check(*, appeal_id: int, clock: str, deadline: str, stage: str) -> bool:
    from jingmin.appeals.services import appeal_clock_alert

    return appeal_clock_alert(
        appeal_id=appeal_id, clock=clock, deadline=datetime.fromisoformat(deadline), stage=stage
    )
