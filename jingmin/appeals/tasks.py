"""Tasks of the appeals domain: run by the worker, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def appeal_clock_check(*, appeal_id: int, clock: str, deadline: str, stage: str) -> bool:
    """Nothing: kept so that alert tasks queued before the clocks' sweep replaced them still run,
    harmlessly, in an upgraded installation (queued in Redis with RQ, or in the database queue if
    the upgrade's migration could not remove them). The sweep (`appeal_clocks_sweep`) sends their
    alerts; remove this once no queue can hold one."""
    return False


@task()
def appeal_arrival_notify(*, appeal_id: int) -> int:
    from jingmin.appeals.models import Appeal
    from jingmin.appeals.notifications import arrival_notify

    appeal = Appeal.objects.select_related("intake_unit").filter(pk=appeal_id).first()
    return arrival_notify(appeal) if appeal is not None else 0
