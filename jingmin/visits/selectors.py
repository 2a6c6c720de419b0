"""Reads of visits, always scoped to the acting user.

A user sees a visit when their unit's subtree holds the visited record's police district (the
ledger's rule). Persuasion (规劝) is narrower: only the officer who recorded it and the chiefs above
see it, and each time one of them opens it an audit row says so.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from jingmin.audit.services import audit_read
from jingmin.org.models import User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.org.selectors import require
from jingmin.visits.models import (
    RESTRICTED_KINDS,
    FollowUpKind,
    Visit,
    VisitAmendment,
    VisitEvent,
    VisitFollowUp,
    VisitPhoto,
    VisitPlan,
)


def may_read_restricted(actor: User) -> bool:
    """Chiefs (who set visit plans) read every persuasion visit of their scope."""
    return can(actor, Cap.VISIT_PLAN)


def visit_scope(actor: User) -> QuerySet[Visit]:
    require(actor, Cap.LEDGER_VIEW)
    qs = Scope.of(actor).filter(Visit.objects.all(), "district_path")
    if not may_read_restricted(actor):
        qs = qs.filter(~Q(kind__in=sorted(RESTRICTED_KINDS)) | Q(officer=actor))
    return qs


def with_current_summary(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    """The summary as last corrected (the visit's own text when never corrected)."""
    latest = (
        VisitAmendment.objects.filter(visit=OuterRef("pk"))
        .exclude(summary="")
        .order_by("-seq")
        .values("summary")[:1]
    )
    return qs.annotate(corrected_summary=Subquery(latest))


def visit_list(
    *,
    actor: User,
    household: int | None = None,
    person: int | None = None,
    organisation: int | None = None,
    kind: str = "",
    mine: bool = False,
) -> QuerySet[Visit]:
    qs = visit_scope(actor)
    if household is not None:
        qs = qs.filter(household_id=household)
    if person is not None:
        qs = qs.filter(Q(person_id=person) | Q(items__person_id=person)).distinct()
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation)
    if kind:
        qs = qs.filter(kind=kind)
    if mine:
        qs = qs.filter(officer=actor)
    return with_current_summary(
        qs.select_related(
            "officer",
            "district",
            "household__house__address",
            "household__head",
            "organisation__address",
            "person",
        ).order_by("-visited_at", "-id")
    )


def visit_get(*, actor: User, pk: int) -> Visit:
    """One visit; reading a persuasion visit is recorded in the audit log."""
    visit = (
        with_current_summary(visit_scope(actor))
        .select_related(
            "officer",
            "unit",
            "district",
            "household__house__address",
            "household__head",
            "person",
            "organisation__address",
        )
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404
    if visit.restricted:
        audit_read(actor=actor, target=visit, what="persuasion")
    return visit


def photo_get(*, actor: User, pk: int) -> VisitPhoto:
    """A photo of a visit the actor may see (404 otherwise)."""
    row = VisitPhoto.objects.filter(pk=pk).first()
    if row is None or not visit_scope(actor).filter(pk=row.visit_id).exists():
        raise Http404
    return row


def visit_events(*, visit: Visit) -> QuerySet[VisitEvent]:
    # `visit` comes from visit_get, which already checked the scope.
    return VisitEvent.objects.filter(visit=visit).order_by("seq")


def task_list(*, actor: User, include_done_since: datetime | None = None) -> QuerySet[VisitFollowUp]:
    """The officer's own tasks from visits: open ones by due day, and those done recently."""
    require(actor, Cap.VISIT_RECORD)
    visible = visit_scope(actor).values("pk")
    done = Q(done_at__gte=include_done_since) if include_done_since is not None else Q(pk__in=[])
    return (
        VisitFollowUp.objects.filter(kind=FollowUpKind.TASK, officer=actor, visit__in=visible)
        .filter(Q(done_at__isnull=True) | done)
        .select_related(
            "visit", "visit__household__house__address", "visit__household__head", "visit__organisation"
        )
        .order_by("done_at", "due_on", "id")
    )


# ---------------------------------------------------------------------------------------------
# Plans and their windows


def months_before(moment: datetime, months: int) -> datetime:
    """The start of the local day `months` calendar months before `moment` (31 March less one
    month is 28 or 29 February)."""
    local = timezone.localtime(moment)
    years, month0 = divmod(local.month - 1 - months, 12)
    year, month = local.year + years, month0 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day, hour=0, minute=0, second=0, microsecond=0)


def add_months(moment: datetime | date, months: int) -> date:
    """The local day `months` calendar months after `moment`: when a visit's cover runs out."""
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def current_months(district_ids: Iterable[int]) -> dict[int, int]:
    """The plan in force for each district: its latest plan row, or the default."""
    ids = list(district_ids)
    months = dict.fromkeys(ids, settings.VISIT_PLAN_DEFAULT_MONTHS)
    if not ids:
        return months
    rows = (
        VisitPlan.objects.filter(district_id__in=ids)
        .order_by("district_id", "-set_at", "-id")
        .values_list("district_id", "months")
    )
    seen: set[int] = set()
    for district_id, value in rows:
        if district_id not in seen:
            seen.add(district_id)
            months[district_id] = value
    return months


def plan_history(*, district_id: int) -> QuerySet[VisitPlan]:
    return (
        VisitPlan.objects.filter(district_id=district_id).select_related("set_by").order_by("-set_at", "-id")
    )
