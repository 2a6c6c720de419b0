"""Every change to help and persuasion cases.

One function per write: each checks the capability, that the actor may read the case (the same
rule as the reads: assigned officers and the chain of command), validates before it writes,
changes the rows in one durable transaction, appends the case's event and writes the audit row
last. Early warning hears of each help case written, after commit (`jingmin.core.hooks`): a
household with a help case raises no "hardship without help" signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.cases.codes import AuditAction, ErrorCode
from jingmin.cases.models import (
    CaseAction,
    CaseEvent,
    CaseKind,
    HelpAct,
    HelpCase,
    HelpCloseReason,
    PersuasionCase,
    PersuasionContact,
    PersuasionOutcome,
)
from jingmin.cases.selectors import may_read
from jingmin.core import hooks
from jingmin.core.codes import CommonError
from jingmin.core.crypto import lookup_hash
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service
from jingmin.ledger import selectors as ledger
from jingmin.ledger.identifiers import parse_id_number
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.visits import selectors as visits

TEXT_MAX = 5000
CLOCK_SKEW = timedelta(minutes=1)


def _fail(message: str, field: str, code: str = CommonError.INVALID) -> ServiceError:
    return ServiceError(message, code=code, field=field)


def _require(actor: User, cap: Cap) -> None:
    if not can(actor, cap):
        raise PermissionDenied


def _text(value: str, field: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise _fail(_("This field is required."), field, CommonError.REQUIRED)
    if len(text) > TEXT_MAX:
        raise _fail(_("At most %(count)d characters.") % {"count": TEXT_MAX}, field, CommonError.TOO_LONG)
    return text


def _moment(value: datetime | None, now: datetime) -> datetime:
    moment = value or now
    if timezone.is_naive(moment):
        raise _fail(_("Give the time with its time zone."), "at")
    if moment > now + CLOCK_SKEW:
        raise _fail(_("The time cannot be in the future."), "at")
    return moment


def _officers(actor: User, ids: Sequence[int], district: Unit) -> list[User]:
    """The officers assigned: the actor when none is named; each must record cases and have the
    case's district in their scope."""
    if not ids:
        return [actor]
    officers = list(User.objects.filter(pk__in=set(ids), is_active=True).select_related("unit"))
    if len(officers) != len(set(ids)) or not all(
        can(o, Cap.CASE_RECORD) and Scope.of(o).contains(district) for o in officers
    ):
        raise _fail(
            _("Assign officers who work in the case's police district."), "officers", ErrorCode.BAD_OFFICER
        )
    return officers


def _event(
    kind: CaseKind, case_id: int, action: str, actor: User, now: datetime, data: dict[str, Any]
) -> None:
    seq = (CaseEvent.objects.filter(kind=kind, case_id=case_id).aggregate(m=Max("seq"))["m"] or 0) + 1
    CaseEvent.objects.create(
        kind=kind,
        case_id=case_id,
        seq=seq,
        action=action,
        at=now,
        actor=actor,
        actor_name=actor.full_name[:50],
        data=data,
    )


def _visit_id(actor: User, visit_id: int | None, district_path: str) -> int | None:
    if visit_id is None:
        return None
    visit = (
        visits.visit_scope(actor)
        .filter(pk=visit_id, district_path=district_path)
        .values_list("pk", flat=True)
        .first()
    )
    if visit is None:
        raise _fail(_("No such visit in the case's police district."), "visit", ErrorCode.BAD_VISIT)
    return visit


# ---------------------------------------------------------------------------------------------
# Help cases (帮扶)


@write_service
def help_case_open(
    *,
    actor: User,
    household_id: int,
    hardship: str,
    plan: str,
    officers: Sequence[int] = (),
    submission_key: str | None = None,
) -> tuple[HelpCase, bool]:
    """Open a help case for a household of the actor's scope; returns it and whether it is new."""
    _require(actor, Cap.CASE_RECORD)
    if submission_key:
        existing = HelpCase.objects.filter(submission_key=submission_key, opened_by=actor).first()
        if existing is not None:
            return existing, False
    household = ledger.household_get(actor, household_id)
    hardship = _text(hardship, "hardship")
    plan = _text(plan, "plan")
    district = Unit.objects.get(pk=household.district_id)
    assigned = _officers(actor, officers, district)
    now = timezone.now()
    try:
        with transaction.atomic():
            if HelpCase.objects.filter(household=household, is_open=True).exists():
                raise _fail(
                    _("This household already has an open help case."),
                    "household",
                    ErrorCode.OPEN_CASE_EXISTS,
                )
            case = HelpCase.objects.create(
                submission_key=submission_key or None,
                household=household,
                district=district,
                district_path=district.path,
                hardship=hardship,
                plan=plan,
                opened_at=now,
                opened_by=actor,
            )
            case.officers.set(assigned)
            detail = {"household": household.pk, "officers": [o.pk for o in assigned]}
            _event(CaseKind.HELP, case.pk, CaseAction.OPEN, actor, now, detail)
            hooks.written("help_case", case.pk)
            audit_record(actor=actor, action=AuditAction.HELP_OPEN, target=case, detail=detail)
    except IntegrityError:
        if submission_key:
            existing = HelpCase.objects.filter(submission_key=submission_key, opened_by=actor).first()
            if existing is not None:
                return existing, False
        raise
    return case, True


def _lock(actor: User, model: type[HelpCase] | type[PersuasionCase], case_id: int) -> Any:
    case = model.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise Http404
    if not may_read(actor, case):
        if Scope.of(actor).contains(case.district_path):
            raise PermissionDenied
        raise Http404
    if not case.is_open:
        raise _fail(_("This case is closed."), "case", ErrorCode.CASE_CLOSED)
    return case


@write_service
def help_act_record(
    *,
    actor: User,
    case_id: int,
    what: str,
    outcome: str = "",
    at: datetime | None = None,
    visit: int | None = None,
    submission_key: str | None = None,
) -> HelpAct:
    """Append an act of help, linked to the visit it was given on when there was one."""
    _require(actor, Cap.CASE_RECORD)
    what = _text(what, "what")
    outcome = _text(outcome, "outcome", required=False)
    when = _moment(at, timezone.now())
    if submission_key:
        existing = HelpAct.objects.filter(submission_key=submission_key, by=actor).first()
        if existing is not None:
            return existing
    case = _lock(actor, HelpCase, case_id)
    act = HelpAct.objects.create(
        case=case,
        at=when,
        by=actor,
        what=what,
        outcome=outcome,
        visit_id=_visit_id(actor, visit, case.district_path),
        submission_key=submission_key or None,
    )
    detail = {"act": act.pk, "visit": act.visit_id}
    _event(CaseKind.HELP, case.pk, CaseAction.ACT, actor, timezone.now(), detail)
    audit_record(actor=actor, action=AuditAction.HELP_ACT, target=case, detail=detail)
    return act


@write_service
def help_case_close(*, actor: User, case_id: int, reason: str, note: str = "") -> HelpCase:
    _require(actor, Cap.CASE_RECORD)
    if reason not in HelpCloseReason.values:
        raise _fail(_("Choose why the case is closed."), "reason")
    note = _text(note, "note", required=reason == HelpCloseReason.OTHER)
    case: HelpCase = _lock(actor, HelpCase, case_id)
    now = timezone.now()
    case.is_open, case.close_reason, case.close_note, case.closed_at = False, reason, note, now
    case.save(update_fields=["is_open", "close_reason", "close_note", "closed_at"])
    _event(CaseKind.HELP, case.pk, CaseAction.CLOSE, actor, now, {"reason": reason})
    hooks.written("help_case", case.pk)
    audit_record(actor=actor, action=AuditAction.HELP_CLOSE, target=case, detail={"reason": reason})
    return case


# ---------------------------------------------------------------------------------------------
# Persuasion cases (规劝投案)


@write_service
def persuasion_case_open(
    *,
    actor: User,
    district_id: int,
    wanted_name: str,
    wanted_id_number: str,
    household_id: int | None = None,
    officers: Sequence[int] = (),
    submission_key: str | None = None,
) -> tuple[PersuasionCase, bool]:
    """Open a persuasion case for a wanted person, known by ID number, whose family lives in a
    police district of the actor's scope."""
    _require(actor, Cap.CASE_RECORD)
    if submission_key:
        existing = PersuasionCase.objects.filter(submission_key=submission_key, opened_by=actor).first()
        if existing is not None:
            return existing, False
    district = Scope.of(actor).units().filter(pk=district_id, kind=UnitKind.DISTRICT).first()
    if district is None:
        raise _fail(_("No such police district in your scope."), "district", CommonError.OUT_OF_SCOPE)
    name = _text(wanted_name, "wanted_name")[:60]
    number = parse_id_number(wanted_id_number, field="wanted_id_number").number
    household = None
    if household_id is not None:
        try:
            household = ledger.household_get(actor, household_id)
        except Http404 as exc:
            raise _fail(_("No such household in your scope."), "household", CommonError.OUT_OF_SCOPE) from exc
    assigned = _officers(actor, officers, district)
    now = timezone.now()
    id_hash = lookup_hash(number)
    try:
        with transaction.atomic():
            if PersuasionCase.objects.filter(wanted_id_hash=id_hash, is_open=True).exists():
                raise _fail(
                    _("An open persuasion case for this person exists."),
                    "wanted_id_number",
                    ErrorCode.OPEN_CASE_EXISTS,
                )
            case = PersuasionCase.objects.create(
                submission_key=submission_key or None,
                wanted_name=name,
                wanted_id_number=number,
                wanted_id_hash=id_hash,
                district=district,
                district_path=district.path,
                household=household,
                opened_at=now,
                opened_by=actor,
            )
            case.officers.set(assigned)
            detail = {"officers": [o.pk for o in assigned]}
            _event(CaseKind.PERSUASION, case.pk, CaseAction.OPEN, actor, now, detail)
            audit_record(actor=actor, action=AuditAction.PERSUASION_OPEN, target=case, detail=detail)
    except IntegrityError:
        if submission_key:
            existing = PersuasionCase.objects.filter(submission_key=submission_key, opened_by=actor).first()
            if existing is not None:
                return existing, False
        raise
    return case, True


@write_service
def persuasion_contact_record(
    *,
    actor: User,
    case_id: int,
    relative: str,
    what: str,
    relation: str = "",
    response: str = "",
    at: datetime | None = None,
    visit: int | None = None,
    submission_key: str | None = None,
) -> PersuasionContact:
    """Append a contact with the family, linked to the visit it was made on when there was one."""
    _require(actor, Cap.CASE_RECORD)
    relative = _text(relative, "relative")[:60]
    relation = _text(relation, "relation", required=False)[:30]
    what = _text(what, "what")
    response = _text(response, "response", required=False)
    when = _moment(at, timezone.now())
    if submission_key:
        existing = PersuasionContact.objects.filter(submission_key=submission_key, by=actor).first()
        if existing is not None:
            return existing
    case = _lock(actor, PersuasionCase, case_id)
    contact = PersuasionContact.objects.create(
        case=case,
        at=when,
        by=actor,
        relative=relative,
        relation=relation,
        what=what,
        response=response,
        visit_id=_visit_id(actor, visit, case.district_path),
        submission_key=submission_key or None,
    )
    detail = {"contact": contact.pk, "visit": contact.visit_id}
    _event(CaseKind.PERSUASION, case.pk, CaseAction.CONTACT, actor, timezone.now(), detail)
    audit_record(actor=actor, action=AuditAction.PERSUASION_CONTACT, target=case, detail=detail)
    return contact


@write_service
def persuasion_case_close(*, actor: User, case_id: int, outcome: str, note: str = "") -> PersuasionCase:
    _require(actor, Cap.CASE_RECORD)
    if outcome not in PersuasionOutcome.values:
        raise _fail(_("Choose the outcome."), "outcome")
    note = _text(note, "note", required=False)
    case: PersuasionCase = _lock(actor, PersuasionCase, case_id)
    now = timezone.now()
    case.is_open, case.outcome, case.outcome_note, case.closed_at = False, outcome, note, now
    case.save(update_fields=["is_open", "outcome", "outcome_note", "closed_at"])
    _event(CaseKind.PERSUASION, case.pk, CaseAction.CLOSE, actor, now, {"outcome": outcome})
    audit_record(actor=actor, action=AuditAction.PERSUASION_CLOSE, target=case, detail={"outcome": outcome})
    return case
