"""The three clocks of an appeal — sign for, first contact, conclusion — and their alerts.

Clock lengths come from `DeadlinePolicy` (per urgency, optionally per type), are counted in
elapsed hours or in working days of the database calendar, and each running clock gets two
tasks when it is set: a reminder before it runs out and an escalation when it has.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from jingmin.appeals.models import OPEN_STATES, Appeal, DeadlinePolicy, State
from jingmin.appeals.taxonomy import DEFAULT_POLICIES
from jingmin.worktime.calendar import clock_deadline


def policy_for(type_: str, urgency: str) -> DeadlinePolicy:
    rows = {p.type: p for p in DeadlinePolicy.objects.filter(urgency=urgency, type__in=[type_, ""])}
    policy = rows.get(type_) or rows.get("")
    if policy is not None:
        return policy
    # No row at all (an administrator deleted it): the GUIDE's defaults still hold.
    _urgency, sign, contact, conclude = next(p for p in DEFAULT_POLICIES if p[0] == urgency)
    return DeadlinePolicy(
        urgency=urgency,
        sign_amount=sign[0],
        sign_unit=sign[1],
        contact_amount=contact[0],
        contact_unit=contact[1],
        conclude_amount=conclude[0],
        conclude_unit=conclude[1],
    )


def deadline(start: datetime, policy: DeadlinePolicy, clock: str) -> datetime:
    amount, unit = policy.clock(clock)
    return clock_deadline(start, amount, unit)


def running(appeal: Appeal) -> dict[str, datetime]:
    """The clocks still running, by name: a stopped clock no longer alerts anyone."""
    out: dict[str, datetime] = {}
    if appeal.state not in OPEN_STATES:
        return out
    if appeal.state == State.DISPATCHED and appeal.sign_by is not None:
        out["sign"] = appeal.sign_by
    if appeal.contacted_at is None and appeal.contact_by is not None:
        out["contact"] = appeal.contact_by
    if appeal.conclude_by is not None:
        out["conclude"] = appeal.conclude_by
    return out


def refresh_due(appeal: Appeal) -> None:
    clocks = running(appeal)
    appeal.due_at = min(clocks.values()) if clocks else None


def remind_at(start: datetime, deadline: datetime) -> datetime:
    # A quarter of the clock before it runs out, but never more than a day ahead.
    lead = min((deadline - start) / 4, timedelta(days=1))
    return deadline - max(lead, timedelta(minutes=5))


def schedule(appeal: Appeal, *, before: tuple[datetime | None, datetime | None, datetime | None]) -> None:
    """After commit, queue the reminder and escalation of every clock that was set or reset."""
    from jingmin.appeals.tasks import appeal_clock_check

    previous = dict(zip(("sign", "contact", "conclude"), before, strict=True))
    now = timezone.now()
    for clock, due in running(appeal).items():
        if previous.get(clock) == due:
            continue
        for stage, when in (("remind", remind_at(now, due)), ("escalate", due)):
            transaction.on_commit(
                lambda stage=stage, when=when, clock=clock, due=due: appeal_clock_check.using(  # type: ignore[misc]
                    run_after=when
                ).enqueue(appeal_id=appeal.pk, clock=clock, deadline=due.isoformat(), stage=stage)
            )
