"""The three clocks of an appeal — sign for, first contact, conclusion — and their alerts.

Clock lengths come from `DeadlinePolicy` (per urgency, optionally per type), are counted in
elapsed hours or in working days of the database calendar. Each running clock owes two alerts: a
reminder before it runs out and an escalation when it has. They are not timers: the appeal row
keeps the next alert of each clock (`<clock>_alert_at`) and the earliest of the running ones
(`alert_at`, indexed), and a sweep every minute (`services.appeal_clocks_sweep`) sends what has
come due. A million open appeals thus cost one index, not millions of rows for a worker to poll.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from jingmin.appeals import reference
from jingmin.appeals.models import OPEN_STATES, Appeal, DeadlinePolicy, State
from jingmin.appeals.taxonomy import DEFAULT_POLICIES
from jingmin.worktime.calendar import clock_deadline


def _policies() -> dict[tuple[str, str], DeadlinePolicy]:
    return {(p.urgency, p.type): p for p in DeadlinePolicy.objects.all()}


def policy_for(type_: str, urgency: str) -> DeadlinePolicy:
    rows = reference.cached("deadline_policies", _policies)
    policy = rows.get((urgency, type_)) or rows.get((urgency, ""))
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


CLOCKS = ("sign", "contact", "conclude")


def refresh(appeal: Appeal, *, before: tuple[datetime | None, ...], now: datetime) -> None:
    """After a step: the due time, and the alerts of every clock that was set or reset.

    `before` holds the three deadlines as they were before the step. A clock whose deadline did
    not change keeps its next alert, even across a pause (a return, a reopening); a clock that
    was set or reset starts over with its reminder.
    """
    for clock, previous in zip(CLOCKS, before, strict=True):
        due = getattr(appeal, f"{clock}_by")
        if due != previous:
            setattr(appeal, f"{clock}_alert_at", remind_at(now, due) if due is not None else None)
    refresh_next(appeal)


def refresh_next(appeal: Appeal) -> None:
    """`due_at` and `alert_at` from the clocks still running: a stopped clock alerts no one."""
    clocks = running(appeal)
    appeal.due_at = min(clocks.values()) if clocks else None
    owed = [getattr(appeal, f"{clock}_alert_at") for clock in clocks]
    appeal.alert_at = min((at for at in owed if at is not None), default=None)


ALERT_FIELDS = ["sign_alert_at", "contact_alert_at", "conclude_alert_at", "alert_at"]


def alerts_due(appeal: Appeal, now: datetime) -> list[tuple[str, str, datetime]]:
    """The alerts owed now, as (clock, stage, deadline), each marked sent on the row.

    A reminder comes due at its time and an escalation at the deadline. A reminder whose clock has
    run out meanwhile (the sweep did not run for a while) is not sent late: the escalation is.
    The caller holds the row's lock and saves `ALERT_FIELDS`, so each alert is owed exactly once.
    """
    out: list[tuple[str, str, datetime]] = []
    for clock, deadline in running(appeal).items():
        when = getattr(appeal, f"{clock}_alert_at")
        if when is None or when > now:
            continue
        if when < deadline and now < deadline:
            out.append((clock, "remind", deadline))
            setattr(appeal, f"{clock}_alert_at", deadline)
        else:
            out.append((clock, "escalate", deadline))
            setattr(appeal, f"{clock}_alert_at", None)
    refresh_next(appeal)
    return out


def remind_at(start: datetime, deadline: datetime) -> datetime:
    # A quarter of the clock before it runs out, but never more than a day ahead.
    lead = min((deadline - start) / 4, timedelta(days=1))
    return deadline - max(lead, timedelta(minutes=5))
