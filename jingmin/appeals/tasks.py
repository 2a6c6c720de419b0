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


@task()
def appeal_arrival_notify(*, appeal_id: int) -> int:
    from jingmin.appeals.models import Appeal
    from jingmin.appeals.notifications import arrival_notify

    appeal = Appeal.objects.select_related("intake_unit").filter(pk=appeal_id).first()
    return arrival_notify(appeal) if appeal is not None else 0
