"""Every change to the dispute register.

One function per write. Each checks the capability and the scope (a dispute, a district, a
person or a source record outside it is a 404), validates everything before it writes, changes
the rows in one durable transaction, appends the dispute's event and writes the audit row last.
Early warning hears of each written dispute after commit (`jingmin.core.hooks`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.appeals import selectors as appeals
from jingmin.audit.services import audit_record
from jingmin.core import hooks
from jingmin.core.codes import CommonError
from jingmin.core.crypto import lookup_hash
from jingmin.core.errors import ServiceError
from jingmin.core.uploads import CheckedUpload, check_upload, store_upload
from jingmin.core.writes import write_service
from jingmin.disputes import rules, selectors
from jingmin.disputes.codes import AuditAction, ErrorCode
from jingmin.disputes.models import (
    GRADE_RANK,
    OPEN_STATES,
    Dispute,
    DisputeAttachment,
    DisputeEvent,
    DisputeType,
    EventAction,
    Grade,
    HandOverTo,
    Mediation,
    Party,
    PartyRole,
    Source,
)
from jingmin.ledger import selectors as ledger
from jingmin.ledger.identifiers import normalise_phone, parse_id_number
from jingmin.ledger.models import Person
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.visits import selectors as visits
from jingmin.visits.models import VisitItem

TEXT_MAX = 5000
NOTE_MAX = 2000
MAX_PARTIES = 20
CLOCK_SKEW = timedelta(minutes=1)


class StepNotAllowed(ServiceError):
    """The step does not start from the dispute's present state (the API answers 409)."""


def _fail(message: str, field: str, code: str = CommonError.INVALID) -> ServiceError:
    return ServiceError(message, code=code, field=field)


def _require(actor: User, cap: Cap) -> None:
    if not can(actor, cap):
        raise PermissionDenied


def _text(value: str, field: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if required and not text:
        raise _fail(_("This field is required."), field, CommonError.REQUIRED)
    if len(text) > limit:
        raise _fail(_("At most %(count)d characters.") % {"count": limit}, field, CommonError.TOO_LONG)
    return text


# ---------------------------------------------------------------------------------------------
# Registering


@dataclass(frozen=True)
class PartyInput:
    name: str = ""
    role: str = PartyRole.APPLICANT
    phone: str = ""
    id_number: str = ""
    # A ledger person the officer picked; name and identifiers then come from the ledger.
    person: int | None = None


@dataclass(frozen=True)
class DisputeInput:
    title: str
    description: str
    place: str
    district: int | None
    type: str
    grade: str
    occurred_at: datetime | None = None
    people_involved: Any = 2
    amount_involved: Any = None
    parties: Sequence[PartyInput] = ()
    source: str = Source.SCREENING
    appeal: int | None = None
    visit_item: int | None = None
    signal_id: int | None = None
    officer: int | None = None


@dataclass
class _Checked:
    district: Unit
    occurred_at: datetime
    people: int
    amount: Decimal | None
    parties: list[Party] = field(default_factory=list)
    appeal_id: int | None = None
    visit_item_id: int | None = None
    officer: User | None = None


def _district(actor: User, pk: int | None) -> Unit:
    if pk is None:
        raise _fail(_("Choose the police district."), "district", CommonError.REQUIRED)
    district = Scope.of(actor).units().filter(pk=pk, kind=UnitKind.DISTRICT).first()
    if district is None:
        raise _fail(_("No such police district in your scope."), "district", CommonError.OUT_OF_SCOPE)
    return district


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise _fail(_("Enter an amount of money in yuan."), "amount_involved") from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 12:
        raise _fail(_("Enter an amount of money in yuan."), "amount_involved")
    return amount.quantize(Decimal("0.01"))


def _people(value: Any) -> int:
    try:
        people = int(value)
    except (TypeError, ValueError) as exc:
        raise _fail(_("Enter how many people are involved."), "people_involved") from exc
    if not 1 <= people <= 100_000:
        raise _fail(_("Enter how many people are involved."), "people_involved")
    return people


def _ledger_match(actor: User, id_hash: str, phone_hash: str) -> Person | None:
    """The ledger person of the actor's scope with this ID number, or else this phone."""
    if id_hash:
        found = ledger.person_list(actor).filter(id_hash=id_hash).first()
        if found is not None:
            return found
    if phone_hash:
        return ledger.person_list(actor).filter(phone_hash=phone_hash).order_by("id").first()
    return None


def _party(actor: User, data: PartyInput, index: int) -> Party:
    prefix = f"parties.{index}"
    if data.role not in PartyRole.values:
        raise _fail(_("Choose the party's role."), f"{prefix}.role")
    if data.person is not None:
        try:
            person = ledger.person_get(actor, data.person, audit=False)
        except Http404 as exc:
            raise _fail(
                _("No such person in your scope."), f"{prefix}.person", CommonError.OUT_OF_SCOPE
            ) from exc
        return Party(
            role=data.role,
            person=person,
            name=person.name,
            phone=person.phone,
            phone_hash=person.phone_hash,
            id_number=person.id_number,
            id_hash=person.id_hash,
        )
    name = _text(data.name, f"{prefix}.name", limit=60)
    phone = normalise_phone(data.phone, field=f"{prefix}.phone")
    id_number = (
        parse_id_number(data.id_number, field=f"{prefix}.id_number").number if data.id_number.strip() else ""
    )
    id_hash = lookup_hash(id_number) if id_number else ""
    phone_hash = lookup_hash(phone) if phone else ""
    return Party(
        role=data.role,
        person=_ledger_match(actor, id_hash, phone_hash),
        name=name,
        phone=phone,
        phone_hash=phone_hash,
        id_number=id_number,
        id_hash=id_hash,
    )


def _source(actor: User, data: DisputeInput, checked: _Checked) -> None:
    if data.source not in Source.values:
        raise _fail(_("Choose where the dispute was found."), "source")
    if data.source == Source.APPEAL:
        if data.appeal is None:
            raise _fail(_("Name the appeal the dispute was found in."), "appeal", ErrorCode.DISPUTE_SOURCE)
        try:
            checked.appeal_id = appeals.appeal_get(actor=actor, pk=data.appeal).pk
        except Http404 as exc:
            raise _fail(_("No such appeal in your scope."), "appeal", CommonError.OUT_OF_SCOPE) from exc
    elif data.source == Source.VISIT:
        item = (
            VisitItem.objects.filter(pk=data.visit_item).values("pk", "visit_id").first()
            if data.visit_item is not None
            else None
        )
        if item is None or not visits.visit_scope(actor).filter(pk=item["visit_id"]).exists():
            raise _fail(_("No such family news in your scope."), "visit_item", CommonError.OUT_OF_SCOPE)
        checked.visit_item_id = item["pk"]
    elif data.source == Source.SIGNAL:
        if data.signal_id is None:
            raise _fail(_("Name the signal the dispute was raised from."), "signal", ErrorCode.DISPUTE_SOURCE)
        if selectors.signal_unit_path(actor, data.signal_id) is None:
            raise _fail(_("No such signal in your scope."), "signal", CommonError.OUT_OF_SCOPE)


def _officer(actor: User, pk: int | None, district: Unit) -> User:
    if pk is None or pk == actor.pk:
        return actor
    officer = Scope.under(district).filter(User.objects.filter(pk=pk, is_active=True), "unit__path").first()
    if officer is None:
        # The responsible officer may also sit above the district (a chief, the station's own staff).
        officer = Scope.of(actor).filter(User.objects.filter(pk=pk, is_active=True), "unit__path").first()
    if officer is None or not can(officer, Cap.DISPUTE_HANDLE):
        raise _fail(_("Choose an officer of your scope who handles disputes."), "officer")
    return officer


def _check(actor: User, data: DisputeInput, now: datetime) -> _Checked:
    _text(data.title, "title", limit=120)
    _text(data.description, "description")
    _text(data.place, "place", limit=200)
    if data.type not in DisputeType.values:
        raise _fail(_("Choose the type of dispute."), "type")
    if data.grade not in Grade.values:
        raise _fail(_("Choose the risk grade."), "grade")
    occurred_at = data.occurred_at or now
    if timezone.is_naive(occurred_at):
        raise _fail(_("Give the time with its time zone."), "occurred_at")
    if occurred_at > now + CLOCK_SKEW:
        raise _fail(_("The time cannot be in the future."), "occurred_at")
    district = _district(actor, data.district)
    checked = _Checked(district, occurred_at, _people(data.people_involved), _amount(data.amount_involved))
    if not data.parties:
        raise _fail(_("Name at least one party."), "parties", ErrorCode.NO_PARTY)
    if len(data.parties) > MAX_PARTIES:
        raise _fail(_("At most %(count)d parties.") % {"count": MAX_PARTIES}, "parties")
    checked.parties = [_party(actor, p, i) for i, p in enumerate(data.parties)]
    _source(actor, data, checked)
    checked.officer = _officer(actor, data.officer, district)
    return checked


def _event(
    dispute: Dispute,
    action: str,
    actor: User,
    now: datetime,
    *,
    from_state: str = "",
    from_grade: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    submission_key: str | None = None,
) -> DisputeEvent:
    last = DisputeEvent.objects.filter(dispute=dispute).order_by("-seq").values_list("seq", flat=True).first()
    return DisputeEvent.objects.create(
        dispute=dispute,
        seq=(last or 0) + 1,
        action=action,
        from_state=from_state,
        to_state=dispute.state,
        from_grade=from_grade,
        to_grade=dispute.grade,
        at=now,
        actor=actor,
        actor_name=actor.full_name[:50],
        note=note,
        data=data or {},
        submission_key=submission_key or None,
    )


def _check_files(files: Sequence[UploadedFile]) -> list[CheckedUpload]:
    if len(files) > settings.DISPUTE_ATTACHMENT_MAX_FILES:
        raise _fail(
            _("At most %(count)d files.") % {"count": settings.DISPUTE_ATTACHMENT_MAX_FILES},
            "files",
            CommonError.TOO_MANY_FILES,
        )
    return [check_upload(f) for f in files]


def _store(dispute: Dispute, checked: Sequence[CheckedUpload], actor: User, now: datetime) -> None:
    for one in checked:
        store_upload(DisputeAttachment, one, actor=actor, now=now, fallback_name="file", dispute=dispute)


@write_service
def dispute_register(
    *,
    actor: User,
    data: DisputeInput,
    submission_key: str | None = None,
    files: Sequence[UploadedFile] = (),
) -> tuple[Dispute, bool]:
    """Register a dispute with its parties; returns it and whether it is new.

    A repeated `submission_key` (the same form or API call sent twice) returns the first one. A
    A source (appeal, visit's news, signal) must be one the actor sees.
    """
    _require(actor, Cap.DISPUTE_HANDLE)
    if submission_key:
        existing = Dispute.objects.filter(submission_key=submission_key, created_by=actor).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    checked = _check(actor, data, now)
    uploads = _check_files(files)
    assert checked.officer is not None
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                submission_key=submission_key or None,
                title=data.title.strip(),
                description=data.description.strip(),
                occurred_at=checked.occurred_at,
                place=data.place.strip(),
                district=checked.district,
                district_path=checked.district.path,
                type=data.type,
                people_involved=checked.people,
                amount_involved=checked.amount,
                grade=data.grade,
                deadline=rules.deadline_for(data.grade, now),
                visit_due=rules.visit_due_for(data.grade, now),
                officer=checked.officer,
                source=data.source,
                appeal_id=checked.appeal_id,
                visit_item_id=checked.visit_item_id,
                signal_id=data.signal_id if data.source == Source.SIGNAL else None,
                created_by=actor,
                created_at=now,
            )
            for party in checked.parties:
                party.dispute = dispute
            Party.objects.bulk_create(checked.parties)
            _store(dispute, uploads, actor, now)
            detail = {
                "grade": dispute.grade,
                "source": dispute.source,
                "parties": len(checked.parties),
                "linked": sum(1 for p in checked.parties if p.person is not None),
                "files": len(uploads),
            }
            _event(dispute, EventAction.REGISTER, actor, now, data=detail)
            hooks.written("dispute", dispute.pk)
            audit_record(actor=actor, action=AuditAction.DISPUTE_REGISTER, target=dispute, detail=detail)
    except IntegrityError:
        # The same form sent twice at once: the other request won and is the answer.
        if submission_key:
            existing = Dispute.objects.filter(submission_key=submission_key, created_by=actor).first()
            if existing is not None:
                return existing, False
        raise
    return dispute, True


# ---------------------------------------------------------------------------------------------
# The steps of a dispute's life


@dataclass
class _Step:
    dispute: Dispute
    actor: User
    now: datetime
    data: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    from_grade: str = ""


def _scope(actor: User) -> QuerySet[Dispute]:
    return Scope.of(actor).filter(Dispute.objects.all(), "district_path")


def _lock(actor: User, dispute_id: int) -> Dispute:
    visible = _scope(actor).filter(pk=dispute_id).values_list("pk", flat=True).first()
    if visible is None:
        raise Http404
    return Dispute.objects.select_for_update().get(pk=visible)


_AUDIT = {
    EventAction.MEDIATE: AuditAction.DISPUTE_MEDIATE,
    EventAction.VISIT: AuditAction.DISPUTE_VISIT,
    EventAction.REGRADE: AuditAction.DISPUTE_REGRADE,
    EventAction.RESOLVE: AuditAction.DISPUTE_RESOLVE,
    EventAction.HAND_OVER: AuditAction.DISPUTE_HAND_OVER,
    EventAction.CONTAIN: AuditAction.DISPUTE_CONTAIN,
    EventAction.ATTACH: AuditAction.DISPUTE_ATTACH,
}


def _apply(
    *,
    actor: User,
    dispute_id: int,
    action: str,
    change: Callable[[_Step], None],
    submission_key: str | None = None,
) -> Dispute:
    step_rule = rules.STEPS[action]
    with transaction.atomic():
        dispute = _lock(actor, dispute_id)
        if not can(actor, Cap.DISPUTE_HANDLE):
            raise PermissionDenied
        if submission_key and DisputeEvent.objects.filter(submission_key=submission_key).exists():
            # The same step sent again (its answer was lost on the way): it was taken once.
            return dispute
        if dispute.state not in step_rule.sources:
            raise StepNotAllowed(
                _("This step is not possible while the dispute is %(state)s.")
                % {"state": dispute.get_state_display()},
                code=ErrorCode.DISPUTE_STATE,
                field="state",
            )
        before = dispute.state
        step = _Step(dispute=dispute, actor=actor, now=timezone.now(), from_grade=dispute.grade)
        change(step)
        if step_rule.target is not None:
            dispute.state = step_rule.target
        dispute.is_open = dispute.state in OPEN_STATES
        if not dispute.is_open and dispute.closed_at is None:
            dispute.closed_at = step.now
            dispute.visit_due = None
        dispute.save()
        event = _event(
            dispute,
            action,
            actor,
            step.now,
            from_state=before,
            from_grade=step.from_grade if step.from_grade != dispute.grade else "",
            note=step.note,
            data=step.data,
            submission_key=submission_key,
        )
        hooks.written("dispute", dispute.pk)
        audit_record(
            actor=actor,
            action=_AUDIT[EventAction(action)],
            target=dispute,
            detail={"from": before, "to": dispute.state, "event": event.seq, **step.data},
        )
    return dispute


def _moment(value: datetime | None, now: datetime, field: str) -> datetime:
    moment = value or now
    if timezone.is_naive(moment):
        raise _fail(_("Give the time with its time zone."), field)
    if moment > now + CLOCK_SKEW:
        raise _fail(_("The time cannot be in the future."), field)
    return moment


@write_service
def dispute_mediate(
    *,
    actor: User,
    dispute_id: int,
    with_whom: str,
    what: str,
    agreed: str = "",
    at: datetime | None = None,
    submission_key: str | None = None,
) -> Dispute:
    """Append a mediation session to the log; a dispute found is then being mediated."""
    _require(actor, Cap.DISPUTE_HANDLE)
    with_whom = _text(with_whom, "with_whom", limit=200)
    what = _text(what, "what")
    agreed = _text(agreed, "agreed", required=False)
    when = _moment(at, timezone.now(), "at")

    def change(step: _Step) -> None:
        Mediation.objects.create(
            dispute=step.dispute, at=when, mediator=step.actor, with_whom=with_whom, what=what, agreed=agreed
        )
        step.dispute.visit_due = rules.visit_due_for(step.dispute.grade, when)
        step.data = {"agreed": bool(agreed)}

    return _apply(
        actor=actor,
        dispute_id=dispute_id,
        action=EventAction.MEDIATE,
        change=change,
        submission_key=submission_key,
    )


@write_service
def dispute_visit(
    *,
    actor: User,
    dispute_id: int,
    what: str,
    at: datetime | None = None,
    submission_key: str | None = None,
) -> Dispute:
    """Record a follow-up visit; the next one falls due by the grade's interval."""
    _require(actor, Cap.DISPUTE_HANDLE)
    what = _text(what, "what")
    when = _moment(at, timezone.now(), "at")

    def change(step: _Step) -> None:
        Mediation.objects.create(
            dispute=step.dispute, at=when, mediator=step.actor, with_whom="", what=what, is_visit=True
        )
        step.dispute.visit_due = rules.visit_due_for(step.dispute.grade, when)

    return _apply(
        actor=actor,
        dispute_id=dispute_id,
        action=EventAction.VISIT,
        change=change,
        submission_key=submission_key,
    )


@write_service
def dispute_regrade(
    *, actor: User, dispute_id: int, grade: str, reason: str, submission_key: str | None = None
) -> Dispute:
    """Change the risk grade with the reason; the deadline and the visits follow the new grade,
    counted from now."""
    _require(actor, Cap.DISPUTE_HANDLE)
    if grade not in Grade.values:
        raise _fail(_("Choose the risk grade."), "grade")
    reason = _text(reason, "reason", limit=NOTE_MAX)

    def change(step: _Step) -> None:
        if step.dispute.grade == grade:
            raise _fail(_("The dispute already has this grade."), "grade", ErrorCode.GRADE_UNCHANGED)
        step.data = {
            "grade": [step.dispute.grade, grade],
            "up": GRADE_RANK[Grade(grade)] > GRADE_RANK[Grade(step.dispute.grade)],
        }
        step.dispute.grade = grade
        step.dispute.deadline = rules.deadline_for(grade, step.now)
        step.dispute.visit_due = rules.visit_due_for(grade, step.now)
        step.note = reason

    return _apply(
        actor=actor,
        dispute_id=dispute_id,
        action=EventAction.REGRADE,
        change=change,
        submission_key=submission_key,
    )


@write_service
def dispute_resolve(
    *, actor: User, dispute_id: int, outcome: str, submission_key: str | None = None
) -> Dispute:
    _require(actor, Cap.DISPUTE_HANDLE)
    outcome = _text(outcome, "outcome", limit=NOTE_MAX)

    def change(step: _Step) -> None:
        step.dispute.outcome = outcome
        step.note = outcome

    return _apply(
        actor=actor,
        dispute_id=dispute_id,
        action=EventAction.RESOLVE,
        change=change,
        submission_key=submission_key,
    )


@write_service
def dispute_hand_over(
    *,
    actor: User,
    dispute_id: int,
    to_kind: str,
    to: str,
    note: str = "",
    submission_key: str | None = None,
) -> Dispute:
    """Hand the dispute to a court, a people's mediation committee or another department, named."""
    _require(actor, Cap.DISPUTE_HANDLE)
    if to_kind not in HandOverTo.values:
        raise _fail(_("Choose whom the dispute is handed over to."), "to_kind")
    to = _text(to, "to", limit=120)
    note = _text(note, "note", required=False, limit=NOTE_MAX)

    def change(step: _Step) -> None:
        step.dispute.handed_to_kind, step.dispute.handed_to = to_kind, to
        step.dispute.outcome = note
        step.data = {"to_kind": to_kind, "to": to}
        step.note = note

    return _apply(
        actor=actor,
        dispute_id=dispute_id,
        action=EventAction.HAND_OVER,
        change=change,
        submission_key=submission_key,
    )


@write_service
def dispute_contain(*, actor: User, dispute_id: int, note: str, submission_key: str | None = None) -> Dispute:
    """Not settled, but brought under control (稳控): say how."""
    _require(actor, Cap.DISPUTE_HANDLE)
    note = _text(note, "note", limit=NOTE_MAX)

    def change(step: _Step) -> None:
        step.dispute.outcome = note
        step.note = note

    return _apply(
        actor=actor,
        dispute_id=dispute_id,
        action=EventAction.CONTAIN,
        change=change,
        submission_key=submission_key,
    )


@write_service
def dispute_attach(*, actor: User, dispute_id: int, files: Sequence[UploadedFile]) -> Dispute:
    _require(actor, Cap.DISPUTE_HANDLE)
    checked = _check_files(files)
    if not checked:
        raise _fail(_("Choose a file to attach."), "files", CommonError.REQUIRED)

    def change(step: _Step) -> None:
        _store(step.dispute, checked, step.actor, step.now)
        step.data = {"files": len(checked)}

    return _apply(actor=actor, dispute_id=dispute_id, action=EventAction.ATTACH, change=change)


# The steps by name, for the pages and the API: each takes the actor, the dispute and its fields.
STEP_SERVICES: dict[str, Callable[..., Dispute]] = {
    EventAction.MEDIATE: dispute_mediate,
    EventAction.VISIT: dispute_visit,
    EventAction.REGRADE: dispute_regrade,
    EventAction.RESOLVE: dispute_resolve,
    EventAction.HAND_OVER: dispute_hand_over,
    EventAction.CONTAIN: dispute_contain,
}
