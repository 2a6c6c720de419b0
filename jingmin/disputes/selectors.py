"""Reads of the dispute register, always scoped to the acting user.

A user sees a dispute when its police district lies in their unit's subtree; outside it a
dispute does not exist (404). A dispute names its parties, so reading one is an audited act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jingmin.appeals import selectors as appeals
from jingmin.audit.services import audit_record
from jingmin.disputes.codes import AuditAction
from jingmin.disputes.models import Dispute, DisputeAttachment, DisputeEvent, Grade, Mediation, Party, Source
from jingmin.ledger import selectors as ledger
from jingmin.ledger.models import Person
from jingmin.org.models import UnitKind, User
from jingmin.org.roles import Cap
from jingmin.org.scope import Scope
from jingmin.org.selectors import require
from jingmin.visits import selectors as visits
from jingmin.visits.models import VisitItem

CANDIDATES_LIMIT = 10


def dispute_scope(actor: User) -> QuerySet[Dispute]:
    require(actor, Cap.DISPUTE_VIEW)
    return Scope.of(actor).filter(Dispute.objects.all(), "district_path")


@dataclass(frozen=True)
class DisputeFilters:
    state: str = ""
    grade: str = ""
    type: str = ""
    district: int | None = None
    open_only: bool = False
    overdue: bool = False
    q: str = ""


def dispute_list(actor: User, filters: DisputeFilters | None = None) -> QuerySet[Dispute]:
    f = filters or DisputeFilters()
    qs = dispute_scope(actor)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.grade:
        qs = qs.filter(grade=f.grade)
    if f.type:
        qs = qs.filter(type=f.type)
    if f.district is not None:
        qs = qs.filter(district_id=f.district)
    if f.open_only:
        qs = qs.filter(is_open=True)
    if f.overdue:
        qs = qs.filter(is_open=True, deadline__lt=timezone.now())
    q = f.q.strip()
    if q:
        qs = qs.filter(Q(number=q) | Q(title__contains=q) | Q(place__contains=q))
    return qs.select_related("district", "officer")


def dispute_get(actor: User, pk: int, *, audit: bool = True) -> Dispute:
    dispute = (
        dispute_scope(actor)
        .select_related("district", "officer", "created_by", "appeal", "visit_item__visit")
        .filter(pk=pk)
        .first()
    )
    if dispute is None:
        raise Http404
    if audit:
        audit_record(actor=actor, action=AuditAction.DISPUTE_READ, target=dispute)
    return dispute


def parties_of(dispute: Dispute) -> QuerySet[Party]:
    return dispute.parties.select_related("person").order_by("id")


def mediations_of(dispute: Dispute) -> QuerySet[Mediation]:
    return dispute.mediations.select_related("mediator").order_by("at", "id")


def events_of(dispute: Dispute) -> QuerySet[DisputeEvent]:
    return dispute.events.order_by("seq")


def attachments_of(dispute: Dispute) -> QuerySet[DisputeAttachment]:
    return dispute.attachments.order_by("uploaded_at", "id")


def attachment_get(actor: User, pk: int) -> DisputeAttachment:
    row = DisputeAttachment.objects.select_related("dispute").filter(pk=pk).first()
    if row is None or not dispute_scope(actor).filter(pk=row.dispute_id).exists():
        raise Http404
    audit_record(actor=actor, action=AuditAction.ATTACHMENT_READ, target=row.dispute, detail={"file": row.pk})
    return row


def open_urgent(actor: User) -> QuerySet[Dispute]:
    """The open red and orange disputes of the scope, the nearest deadline first (the chief's home)."""
    return (
        dispute_scope(actor)
        .filter(is_open=True, grade__in=[Grade.RED, Grade.ORANGE])
        .select_related("district")
        .order_by("deadline", "id")
    )


def party_candidates(actor: User, q: str) -> list[Person]:
    """Ledger persons of the scope a party may be: by ID number or phone (keyed hashes) or the
    beginning of a name, as the ledger's own search finds them."""
    if not q.strip():
        return []
    return list(ledger.person_list(actor, ledger.PersonFilters(q=q))[:CANDIDATES_LIMIT])


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, in the bureau's time zone."""
    from jingmin.worktime.calendar import SHANGHAI

    start = datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    nxt = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, nxt


def initial_from_appeal(*, actor: User, appeal_id: int) -> dict[str, Any]:
    """The dispute form filled from an appeal it was found in (404 outside the scope)."""
    appeal = appeals.appeal_get(actor=actor, pk=appeal_id)
    initial: dict[str, Any] = {
        "source": Source.APPEAL,
        "appeal": appeal.pk,
        "title": appeal.title[:120],
        "description": appeal.content,
        "place": appeal.address,
        "occurred_at": timezone.localtime(appeal.received_at),
    }
    if appeal.district_id is not None:
        initial["district"] = appeal.district_id
    return initial


def initial_from_visit_item(*, actor: User, item_id: int) -> dict[str, Any]:
    """The dispute form filled from a visit's family news (404 outside the scope)."""
    item = VisitItem.objects.filter(pk=item_id).select_related("visit").first()
    if item is None or not visits.visit_scope(actor).filter(pk=item.visit_id).exists():
        raise Http404
    return {
        "source": Source.VISIT,
        "visit_item": item.pk,
        "title": item.text[:60],
        "description": item.text,
        "district": item.visit.district_id,
        "occurred_at": timezone.localtime(item.visit.visited_at),
    }


def signal_unit_path(actor: User, signal_id: int) -> str | None:
    """The unit path of an early-warning signal the actor sees, or None.

    Early warning reads disputes, so this domain does not import it; the signal's row is reached
    through the app registry, and only its id and unit path are read.
    """
    from django.apps import apps

    signal_model = apps.get_model("warnings", "Signal")
    return (
        Scope.of(actor)
        .filter(signal_model.objects.filter(pk=signal_id), "unit_path")
        .values_list("unit_path", flat=True)
        .first()
    )


def initial_from_signal(*, actor: User, signal_id: int) -> dict[str, Any]:
    """The dispute form raised from a signal (404 outside the scope): its district when the signal
    landed on one."""
    path = signal_unit_path(actor, signal_id)
    if path is None:
        raise Http404
    initial: dict[str, Any] = {"source": Source.SIGNAL, "signal": signal_id}
    district = (
        Scope.of(actor).units().filter(path=path, kind=UnitKind.DISTRICT).values_list("pk", flat=True).first()
    )
    if district is not None:
        initial["district"] = district
    return initial
