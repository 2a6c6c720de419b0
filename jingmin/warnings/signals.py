"""Turning findings into signals: raise, add evidence, reopen — and nothing twice.

`apply` is the only writer of what the rules find. It locks the signal of the finding's key (one
per key, ever), adds the evidence it does not hold yet, and:

- no signal yet: raises one with all the evidence;
- an open signal (open, acknowledged, acted on): adds the new evidence to it, if any;
- a closed signal: reopens it when there is new evidence, and leaves it closed when there is not.

So the same evidence never raises two open signals, a closed signal stays closed until something
new shows, and running the rules twice (the on-commit task and the nightly sweep) changes nothing
the second time.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max

from jingmin.audit.services import audit_record
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.warnings.codes import AuditAction
from jingmin.warnings.models import SEVERITY_RANK, Action, Evidence, Severity, Signal, SignalEvent, State
from jingmin.warnings.rules import Finding

RAISED, REOPENED, ADDED = "raised", "reopened", "added"


def event_append(
    signal: Signal,
    action: str,
    at: datetime,
    *,
    actor: User | None = None,
    note: str = "",
    data: dict[str, object] | None = None,
) -> SignalEvent:
    seq = (SignalEvent.objects.filter(signal=signal).aggregate(m=Max("seq"))["m"] or 0) + 1
    return SignalEvent.objects.create(
        signal=signal,
        seq=seq,
        action=action,
        at=at,
        actor=actor,
        actor_name=actor.full_name[:50] if actor is not None else "",
        note=note,
        data=data or {},
    )


def _assignee(finding: Finding, unit: Unit) -> User | None:
    """The responsible person the finding names, if they may handle signals of that unit."""
    if finding.assignee_id is None:
        return None
    user = User.objects.filter(pk=finding.assignee_id, is_active=True).select_related("unit").first()
    if user is None or not can(user, Cap.SIGNAL_HANDLE) or not Scope.of(user).contains(unit):
        return None
    return user


def _max_severity(a: str, b: str) -> str:
    return a if SEVERITY_RANK[Severity(a)] >= SEVERITY_RANK[Severity(b)] else b


def apply(finding: Finding, now: datetime) -> str | None:
    """Raise, extend or reopen the finding's signal; returns what happened, or None."""
    try:
        with transaction.atomic():
            return _apply(finding, now)
    except IntegrityError:
        # The same finding applied at the same moment by another worker: that one raised it.
        with transaction.atomic():
            return _apply(finding, now)


def _apply(finding: Finding, now: datetime) -> str | None:
    signal = Signal.objects.select_for_update().filter(key=finding.key).first()
    if signal is None:
        unit = Unit.objects.get(pk=finding.unit_id)
        signal = Signal.objects.create(
            key=finding.key,
            kind=finding.kind,
            severity=finding.severity,
            title=finding.title,
            themes=list(finding.themes),
            unit=unit,
            unit_path=unit.path,
            assignee=_assignee(finding, unit),
            raised_at=now,
            updated_at=now,
        )
        _add(signal, finding, set(), now)
        event_append(signal, Action.RAISE, now, data={"evidence": len(finding.evidence)})
        audit_record(
            actor=None,
            actor_username="system",
            action=AuditAction.SIGNAL_RAISE,
            target=signal,
            detail={"kind": signal.kind, "evidence": len(finding.evidence)},
        )
        return RAISED
    held = set(Evidence.objects.filter(signal=signal).values_list("record_type", "record_id", "mark"))
    added = _add(signal, finding, held, now)
    if not added:
        return None
    signal.severity = _max_severity(signal.severity, finding.severity)
    signal.themes = sorted(set(signal.themes) | set(finding.themes))
    signal.updated_at = now
    if signal.state == State.CLOSED:
        signal.state = State.OPEN
        signal.reopened += 1
        signal.closed_at = None
        signal.save()
        event_append(signal, Action.REOPEN, now, data={"evidence": added})
        audit_record(
            actor=None,
            actor_username="system",
            action=AuditAction.SIGNAL_REOPEN,
            target=signal,
            detail={"evidence": added},
        )
        return REOPENED
    signal.save()
    event_append(signal, Action.EVIDENCE, now, data={"evidence": added})
    return ADDED


def _add(signal: Signal, finding: Finding, held: set[tuple[str, int, str]], now: datetime) -> int:
    new = [p for p in finding.evidence if p.ident not in held]
    Evidence.objects.bulk_create(
        [
            Evidence(
                signal=signal,
                record_type=p.record_type,
                record_id=p.record_id,
                mark=p.mark,
                detail=p.detail,
                added_at=now,
            )
            for p in new
        ]
    )
    return len(new)
