"""Who reads a help or persuasion case, and the reads themselves.

A case is read by the officers assigned to it and by the chain of command above its police
district (those who may supervise cases and whose scope holds the district); nobody else, the
inspector and the other officers of the district included. Every reading of a case writes an
audit row; a refused reading writes one too, and shows nothing: 404 outside the reader's scope,
403 inside it.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from jingmin.audit.services import audit_record
from jingmin.cases.codes import AuditAction
from jingmin.cases.models import (
    CaseEvent,
    CaseKind,
    HelpAct,
    HelpCase,
    PersuasionCase,
    PersuasionContact,
)
from jingmin.org.models import User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope

C = TypeVar("C", HelpCase, PersuasionCase)


def _readable(actor: User, qs: QuerySet[C]) -> QuerySet[C]:
    if not actor.is_active:
        return qs.none()
    if can(actor, Cap.CASE_SUPERVISE):
        return Scope.of(actor).filter(qs, "district_path")
    if can(actor, Cap.CASE_RECORD):
        return qs.filter(officers=actor)
    return qs.none()


def may_read(actor: User, case: HelpCase | PersuasionCase) -> bool:
    if not actor.is_active:
        return False
    if can(actor, Cap.CASE_SUPERVISE) and Scope.of(actor).contains(case.district_path):
        return True
    return can(actor, Cap.CASE_RECORD) and case.officers.filter(pk=actor.pk).exists()


def help_cases(actor: User) -> QuerySet[HelpCase]:
    return _readable(actor, HelpCase.objects.all()).select_related("household__house__address", "district")


def persuasion_cases(actor: User) -> QuerySet[PersuasionCase]:
    return _readable(actor, PersuasionCase.objects.all()).select_related("district")


def case_for_step(actor: User, model: type[C], pk: int) -> C:
    """The case a step is about, checked as a read is but not recorded as one (the step's own
    audit row records it): 404 outside the scope, 403 inside it for whoever may not read it."""
    case = model.objects.filter(pk=pk).first()
    if case is None:
        raise Http404
    if not may_read(actor, case):
        if Scope.of(actor).contains(case.district_path):
            raise PermissionDenied
        raise Http404
    return case


def visit_choices(actor: User, case: HelpCase | PersuasionCase) -> list[tuple[int, str]]:
    """The visits an act or a contact may name: the actor's visits of the case's district (for
    help, of its household), newest first."""
    from django.utils import timezone

    from jingmin.visits.selectors import visit_scope

    qs = visit_scope(actor).filter(district_path=case.district_path, withdrawn=False)
    if isinstance(case, HelpCase):
        qs = qs.filter(household_id=case.household_id)
    else:
        qs = qs.filter(kind="persuasion")
    return [
        (v.pk, f"{timezone.localtime(v.visited_at):%Y-%m-%d %H:%M} {v.get_kind_display()}")
        for v in qs.order_by("-visited_at")[:20]
    ]


def _get(actor: User, model: type[C], pk: int, read_action: str) -> C:
    case = model.objects.select_related("district").filter(pk=pk).first()
    if case is None:
        raise Http404
    if not may_read(actor, case):
        # The refusal is recorded (its own transaction: nothing else is written on a refusal).
        audit_record(
            actor=actor,
            action=AuditAction.READ_REFUSED,
            target=case,
            detail={"kind": model._meta.model_name},
        )
        if Scope.of(actor).contains(case.district_path):
            raise PermissionDenied
        raise Http404
    audit_record(actor=actor, action=read_action, target=case)
    return case


def help_case_get(actor: User, pk: int) -> HelpCase:
    return _get(actor, HelpCase, pk, AuditAction.HELP_READ)


def persuasion_case_get(actor: User, pk: int) -> PersuasionCase:
    return _get(actor, PersuasionCase, pk, AuditAction.PERSUASION_READ)


def help_acts(case: HelpCase) -> QuerySet[HelpAct]:
    return case.acts.select_related("by", "visit").order_by("at", "id")


def persuasion_contacts(case: PersuasionCase) -> QuerySet[PersuasionContact]:
    return case.contacts.select_related("by", "visit").order_by("at", "id")


def case_events(kind: CaseKind, case_id: int) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(kind=kind, case_id=case_id).order_by("seq")


def households_with_open_help(household_ids: list[int]) -> set[int]:
    """Of these households, those with an open help case (early warning asks; it shows nothing)."""
    return set(
        HelpCase.objects.filter(household_id__in=household_ids, is_open=True).values_list(
            "household_id", flat=True
        )
    )
