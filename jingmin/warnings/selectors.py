"""Reads of early-warning signals, scoped: a signal lands in a unit, and is seen by that unit's
subtree's people above it (an officer sees their district's, a chief the station's)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from jingmin.org.models import User
from jingmin.org.roles import Cap
from jingmin.org.scope import Scope
from jingmin.org.selectors import require
from jingmin.warnings.models import Evidence, RiskWord, Signal, SignalEvent, State


def signal_scope(actor: User) -> QuerySet[Signal]:
    require(actor, Cap.SIGNAL_VIEW)
    return Scope.of(actor).filter(Signal.objects.all(), "unit_path")


@dataclass(frozen=True)
class SignalFilters:
    state: str = ""  # "open" means not closed, whatever step it is at
    kind: str = ""
    severity: str = ""
    unit: int | None = None
    record_type: str = ""
    record_id: int | None = None
    mine: bool = False


def signal_list(actor: User, filters: SignalFilters | None = None) -> QuerySet[Signal]:
    f = filters or SignalFilters()
    qs = signal_scope(actor)
    if f.state == State.OPEN:
        qs = qs.exclude(state=State.CLOSED)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.unit is not None:
        qs = qs.filter(unit_id=f.unit)
    if f.record_type:
        evidence = Evidence.objects.filter(record_type=f.record_type)
        if f.record_id is not None:
            evidence = evidence.filter(record_id=f.record_id)
        qs = qs.filter(pk__in=evidence.values("signal_id"))
    if f.mine:
        qs = qs.filter(assignee=actor)
    return qs.select_related("unit", "assignee").order_by("-updated_at", "-id")


def signal_get(actor: User, pk: int) -> Signal:
    signal = signal_scope(actor).select_related("unit", "assignee").filter(pk=pk).first()
    if signal is None:
        raise Http404
    return signal


def evidence_of(signal: Signal) -> QuerySet[Evidence]:
    return signal.evidence.order_by("added_at", "id")


def events_of(signal: Signal) -> QuerySet[SignalEvent]:
    return signal.events.order_by("seq")


def risk_words(actor: User) -> QuerySet[RiskWord]:
    require(actor, Cap.MANAGE_WARNING_SETTINGS)
    return RiskWord.objects.filter(is_active=True).order_by("theme", "word")
