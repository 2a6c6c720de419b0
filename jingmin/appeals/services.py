"""Every change to an appeal.

One function per step of the life cycle. Each is atomic: it locks the appeal row, checks the
actor's scope and capability and the transitions table, changes the row, appends the event, writes
the audit row last, and leaves side effects (notifications, clock checks) to run after commit.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.appeals import clocks, notifications, tallies, urgency
from jingmin.appeals.codes import AuditAction, ErrorCode, step_action
from jingmin.appeals.models import (
    OPEN_STATES,
    Action,
    Appeal,
    AppealAssist,
    AppealEvent,
    AppealType,
    Attachment,
    Category,
    Channel,
    FollowUp,
    FollowUpChannel,
    Result,
    ReviewOutcome,
    State,
    Urgency,
)
from jingmin.appeals.selectors import appeal_in_scope, follow_up_barred
from jingmin.appeals.transitions import (
    HOLDER_ACTIONS,
    TRANSITIONS,
    follow_up_due,
    follow_up_refusal,
    reopen_deadline,
    review_of_answer,
)
from jingmin.audit.services import audit_append, audit_entry, audit_record
from jingmin.core import hooks
from jingmin.core.codes import CommonError
from jingmin.core.crypto import lookup_hash, mask
from jingmin.core.dates import spoken_datetime
from jingmin.core.errors import ServiceError
from jingmin.core.search import index_text
from jingmin.core.uploads import CheckedUpload, check_upload, store_upload
from jingmin.core.writes import write_service, write_steps
from jingmin.metrics import rollup
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope, scope_tokens
from jingmin.org.selectors import intake_desk


class TransitionNotAllowed(ServiceError):
    """The step is not allowed from the appeal's current state (the API answers 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=ErrorCode.TRANSITION_NOT_ALLOWED)


MAX_RECEIVED_AGE = timedelta(days=30)
_PHONE = re.compile(r"^\+?[0-9]{7,15}$")


# ---------------------------------------------------------------------------------------------
# Registration


@dataclass(frozen=True)
class AppealInput:
    channel: str
    type: str
    category: Category | None
    title: str
    content: str
    urgency: str = Urgency.GENERAL
    address: str = ""
    latitude: Any = None
    longitude: Any = None
    district: Unit | None = None
    anonymous: bool = False
    citizen_name: str = ""
    citizen_phone: str = ""
    received_at: datetime | None = None
    # Set by the public portal and Open311 (staff intake leaves them at their defaults).
    phone_verified: bool = False
    consent_at: datetime | None = None
    # The outside system that handed it in (an Open311 partner's name); empty for the bureau's own.
    source: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    media_url: str = ""
    # The portal asks whether anyone is in danger now and lets the citizen mark it urgent; they
    # suggest an urgency for the clerk to confirm, as the text itself may (`appeals.urgency`).
    in_danger: bool = False
    citizen_urgent: bool = False


def normalise_phone(raw: str) -> str:
    return re.sub(r"[\s\-()]", "", raw or "")


def _validate_input(data: AppealInput, now: datetime) -> dict[str, Any]:
    def fail(message: str, field: str, code: str = CommonError.INVALID) -> ServiceError:
        return ServiceError(message, code=code, field=field)

    if data.channel not in Channel.values:
        raise fail(_("Choose how the appeal came in."), "channel")
    if data.type not in AppealType.values:
        raise fail(_("Choose the type of appeal."), "type")
    if data.urgency not in Urgency.values:
        raise fail(_("Choose the urgency."), "urgency")
    if data.category is None:
        raise fail(_("Choose a category."), "category", CommonError.REQUIRED)
    if data.category.parent_id is None or not data.category.is_active:
        raise fail(_("Choose an active category of the second level."), "category")
    title, content = data.title.strip(), data.content.strip()
    if not title:
        raise fail(_("The title is required."), "title", CommonError.REQUIRED)
    if len(title) > 120:
        raise fail(_("The title is at most 120 characters."), "title")
    if not content:
        raise fail(_("Describe what the citizen asks for."), "content", CommonError.REQUIRED)
    if len(content) > 5000:
        raise fail(_("The content is at most 5,000 characters."), "content")
    address = data.address.strip()
    if len(address) > 200:
        raise fail(_("The address is at most 200 characters."), "address")
    if (data.latitude is None) != (data.longitude is None):
        raise fail(_("Give both latitude and longitude, or neither."), "latitude")
    if data.latitude is not None and not (-90 <= float(data.latitude) <= 90):
        raise fail(_("The latitude must lie between -90 and 90."), "latitude")
    if data.longitude is not None and not (-180 <= float(data.longitude) <= 180):
        raise fail(_("The longitude must lie between -180 and 180."), "longitude")
    if data.district is not None and data.district.kind != UnitKind.DISTRICT:
        raise fail(_("Choose a police district."), "district")
    name = data.citizen_name.strip()
    phone = normalise_phone(data.citizen_phone)
    if data.anonymous and name:
        raise fail(_("An anonymous appeal carries no name."), "citizen_name")
    if len(name) > 50:
        raise fail(_("The name is at most 50 characters."), "citizen_name")
    if phone and not _PHONE.match(phone):
        raise fail(_("Enter a phone number of 7 to 15 digits."), "citizen_phone")
    received_at = data.received_at or now
    if received_at > now + timedelta(minutes=1):
        raise fail(_("The time received cannot be in the future."), "received_at")
    if received_at < now - MAX_RECEIVED_AGE:
        raise fail(_("The time received cannot be more than 30 days ago."), "received_at")
    suggestion = urgency.suggest(
        f"{title}\n{content}",
        registered=data.urgency,
        in_danger=data.in_danger,
        citizen_urgent=data.citizen_urgent,
    )
    return {
        "channel": data.channel,
        "type": data.type,
        "category": data.category,
        "urgency": data.urgency,
        "urgency_suggested": suggestion.urgency,
        "urgency_reason": suggestion.reason,
        "title": title,
        "content": content,
        "address": address,
        "latitude": data.latitude,
        "longitude": data.longitude,
        "district": data.district,
        "anonymous": data.anonymous,
        "citizen_name": name,
        "citizen_phone": phone,
        "citizen_phone_hash": lookup_hash(phone) if phone else "",
        "citizen_name_hash": lookup_hash(name) if name else "",
        "received_at": received_at,
        "search_tokens": index_text(title, content, address),
        "phone_verified": bool(phone) and data.phone_verified,
        "consent_at": data.consent_at,
        "source": data.source.strip()[:80],
        "attributes": dict(data.attributes),
        "media_url": data.media_url.strip()[:500],
    }


def receiving_unit(unit: Unit | None) -> Unit | None:
    """Where an appeal that names no station lands: the intake desk (the command centre).

    The bureau itself holds no appeals (nobody there accepts or dispatches), so an appeal sent to
    the root of the tree, or to no unit at all, goes to the desk; without a desk it stays where
    it was sent, and the nightly sweep (`appeals_unattended`) says so.
    """
    if unit is not None and unit.parent_id is not None:
        return unit
    return intake_desk() or unit


@write_service
def appeal_register(
    *,
    actor: User | None,
    data: AppealInput,
    intake_unit: Unit | None = None,
    submission_key: str | None = None,
    files: Sequence[UploadedFile] = (),
    audit_rows: list[dict[str, Any]] | None = None,
) -> tuple[Appeal, bool]:
    """Record a new appeal; returns it and whether it was created now.

    Staff register for their own unit. The portal and Open311 pass `actor=None` and the unit that
    receives the citizen's appeals. A repeated `submission_key` returns the first appeal: the
    unique key makes the second insert fail and the first is read then, so a registration that
    is not a repeat (nearly all) spends no query looking for one. One short transaction: the
    appeal, its event and its audit row; its clocks need nothing queued (`appeal_clocks_sweep`).
    With `audit_rows` the audit row is added to that list for the caller to chain (`audit_append`)
    before its transaction ends, instead of being written now.
    """
    if actor is not None:
        # An officer on a visit registers what the family asks for (channel "visit") themselves.
        if not (
            can(actor, Cap.APPEAL_INTAKE) or (data.channel == Channel.VISIT and can(actor, Cap.VISIT_RECORD))
        ):
            raise PermissionDenied
        intake_unit = actor.unit
    intake_unit = receiving_unit(intake_unit)
    if intake_unit is None:
        raise ServiceError(_("No unit receives this appeal."), code=ErrorCode.NO_UNIT)
    if submission_key:
        # The same form was already merged into an earlier appeal ("merge into" at intake): no
        # insert would collide, so ask the events' key (a partial unique index) first.
        # One probe of the events' key index; the appeal is read only when the key was spent.
        merged_id = (
            AppealEvent.objects.filter(submission_key=submission_key)
            .values_list("appeal_id", flat=True)
            .first()
        )
        if merged_id is not None:
            return Appeal.objects.get(pk=merged_id), False
    if submission_key and files:
        # Files are written to storage before the insert could collide: look for the repeat first.
        existing = Appeal.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    fields = _validate_input(data, now)
    checked_files = [check_upload(f) for f in files]
    if len(checked_files) > settings.APPEAL_ATTACHMENT_MAX_FILES:
        raise ServiceError(
            _("At most %(count)d files can be attached.") % {"count": settings.APPEAL_ATTACHMENT_MAX_FILES},
            code=CommonError.TOO_MANY_FILES,
            field="files",
        )
    try:
        with transaction.atomic():
            appeal = _new_appeal(fields, actor, intake_unit, submission_key, now)
            appeal.save(force_insert=True)
            tallies.appeals_registered([appeal])
            event = _registered_event(appeal, actor, now)
            event.save(force_insert=True)
            for checked in checked_files:
                _store_file(appeal, event, checked, actor, now)
            # Early warning reads every new appeal (repeats, risk words, spikes) once it is committed.
            hooks.written("appeal", appeal.pk)
            audit = audit_entry(
                actor=actor, action=AuditAction.APPEAL_REGISTER, target=appeal, actor_username="citizen"
            )
            if audit_rows is None:
                audit_append([audit])
            if actor is None:
                # Nobody at the receiving desk saw it come in: tell them at once.
                notifications.arrival(appeal)
        if audit_rows is not None:
            audit_rows.append(audit)
    except IntegrityError:
        # Two identical submissions raced: the other one won and is the answer.
        if submission_key:
            existing = Appeal.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing, False
        raise
    return appeal, True


def _new_appeal(
    fields: dict[str, Any], actor: User | None, intake_unit: Unit, submission_key: str | None, now: datetime
) -> Appeal:
    """A registered appeal, not yet saved, from `_validate_input`'s fields: at its intake unit,
    with its clocks."""
    appeal = Appeal(
        **fields,
        submission_key=submission_key or None,
        created_at=now,
        created_by=actor,
        intake_unit=intake_unit,
        intake_unit_path=intake_unit.path,
        accountable_unit=intake_unit,
        unit=intake_unit,
        unit_path=intake_unit.path,
        scope_tokens=" ".join(scope_tokens(intake_unit.path)),
        state=State.SUBMITTED,
    )
    policy = clocks.policy_for(appeal.type, appeal.urgency)
    if appeal.citizen_phone:
        appeal.contact_by = clocks.deadline(appeal.received_at, policy, "contact")
    appeal.conclude_by = clocks.deadline(appeal.received_at, policy, "conclude")
    clocks.refresh(appeal, before=(None, None, None), now=now)
    return appeal


def _registered_event(appeal: Appeal, actor: User | None, now: datetime) -> AppealEvent:
    """A new appeal's first event, not yet saved."""
    return _event(
        appeal, Action.REGISTER, "", actor, now=now, data={"channel": appeal.channel}, seq=1, insert=False
    )


@dataclass(frozen=True)
class IntakeOutcome:
    """One appeal of a batch: registered now, found under its key (a repeat), or refused."""

    appeal: Appeal | None
    created: bool = False
    error: ServiceError | None = None


def batch_size_check(count: int) -> None:
    """A batch of intake holds one appeal at least and `APPEAL_BATCH_MAX` at most (checked before
    its items are read, so an oversized batch costs nothing)."""
    if count < 1:
        raise ServiceError(_("Send at least one appeal."), code=CommonError.REQUIRED, field="appeals")
    if count > settings.APPEAL_BATCH_MAX:
        raise ServiceError(
            _("At most %(count)d appeals in one batch.") % {"count": settings.APPEAL_BATCH_MAX},
            code=CommonError.TOO_LARGE,
            field="appeals",
        )


@write_service
def appeal_register_batch(*, actor: User, items: Sequence[tuple[str, AppealInput]]) -> list[IntakeOutcome]:
    """Register several appeals, each under its own submission key, in one transaction.

    For partners and the hotline, who send what they took in by the dozen. Each appeal is checked
    as `appeal_register` checks it, so one refused (a bad category, a time received in the future)
    is answered as refused and the others are registered; a key registered before, in an earlier
    batch, earlier in this one or alone, answers with its appeal and registers nothing twice. The
    outcomes are in the order given.

    The batch is written set-wise: the spent keys asked once, the appeals and their first events
    inserted in one statement each, the audit rows chained in one. Should a key be taken by a
    registration running at the same moment (the unique key refuses the insert), the batch is
    registered again one appeal at a time, each in its own savepoint, as `appeal_register` does.
    """
    if not can(actor, Cap.APPEAL_INTAKE):
        raise PermissionDenied
    batch_size_check(len(items))
    with transaction.atomic():
        audit_rows: list[dict[str, Any]] = []
        try:
            with transaction.atomic():
                outcomes = _register_set_wise(actor, items, audit_rows)
        except IntegrityError:
            audit_rows.clear()
            outcomes = []
            for key, data in items:
                try:
                    appeal, created = appeal_register(
                        actor=actor, data=data, submission_key=key, audit_rows=audit_rows
                    )
                except ServiceError as exc:
                    outcomes.append(IntakeOutcome(None, error=exc))
                else:
                    outcomes.append(IntakeOutcome(appeal, created=created))
        # The audit head is locked once, just before the commit: batches sent at once wait for
        # each other only for their last statements, not for the whole of each batch.
        if audit_rows:
            audit_append(audit_rows)
    return outcomes


def _registered_under(keys: Sequence[str]) -> dict[str, Appeal]:
    """The appeals already registered under these submission keys, by key."""
    return {str(a.submission_key): a for a in Appeal.objects.filter(submission_key__in=keys)}


def _register_set_wise(
    actor: User, items: Sequence[tuple[str, AppealInput]], audit_rows: list[dict[str, Any]]
) -> list[IntakeOutcome]:
    """The batch's appeals checked one by one and written together (see `appeal_register_batch`)."""
    intake_unit = receiving_unit(actor.unit)
    if intake_unit is None:
        refusal = ServiceError(_("No unit receives this appeal."), code=ErrorCode.NO_UNIT)
        return [IntakeOutcome(None, error=refusal) for _item in items]
    keys = [key for key, _data in items]
    # A key spent on a "merge into" at intake answers first, as in `appeal_register`; then a key
    # an appeal already holds.
    merged = dict(
        AppealEvent.objects.filter(submission_key__in=keys).values_list("submission_key", "appeal_id")
    )
    merged_appeals = Appeal.objects.in_bulk(set(merged.values()))
    registered = _registered_under(keys)
    outcomes: list[IntakeOutcome] = []
    new: list[Appeal] = []
    for key, data in items:
        if key in merged:
            outcomes.append(IntakeOutcome(merged_appeals[merged[key]]))
            continue
        if key in registered:
            # Registered before, or earlier in this batch (then it is that new appeal).
            outcomes.append(IntakeOutcome(registered[key]))
            continue
        now = timezone.now()
        try:
            fields = _validate_input(data, now)
        except ServiceError as exc:
            outcomes.append(IntakeOutcome(None, error=exc))
            continue
        appeal = _new_appeal(fields, actor, intake_unit, key, now)
        registered[key] = appeal
        new.append(appeal)
        outcomes.append(IntakeOutcome(appeal, created=True))
    if not new:
        return outcomes
    Appeal.objects.bulk_create(new)
    tallies.appeals_registered(new)
    AppealEvent.objects.bulk_create([_registered_event(a, actor, a.created_at) for a in new])
    # Early warning reads every new appeal once it is committed (one task for the batch).
    hooks.written_many("appeal", [appeal.pk for appeal in new])
    for appeal in new:
        audit_rows.append(
            audit_entry(
                actor=actor, action=AuditAction.APPEAL_REGISTER, target=appeal, actor_username="citizen"
            )
        )
    return outcomes


@write_service
def appeal_register_and_dispatch(
    *,
    actor: User,
    data: AppealInput,
    dispatch_to: Unit | int | None = None,
    submission_key: str | None = None,
    files: Sequence[UploadedFile] = (),
) -> tuple[Appeal, bool]:
    """The clerk's intake: register an appeal and, when a unit is chosen, accept it and dispatch
    it there; returns the appeal and whether it was created now.

    One durable transaction, so a dispatch refused (a closed unit) leaves no half-done appeal
    behind and the clerk sends the same form again, and so no caller wraps it in a transaction of
    its own by accident. A repeated `submission_key` returns the first appeal and takes no step.
    The intake page calls it through `shell.services.intake_register`, which records what the
    routing suggestion showed in the same transaction.
    """
    appeal, created = appeal_register(actor=actor, data=data, submission_key=submission_key, files=files)
    if not created:
        return appeal, False
    if dispatch_to is not None:
        appeal_accept(actor=actor, appeal_id=appeal.pk)
        try:
            appeal = appeal_dispatch(actor=actor, appeal_id=appeal.pk, unit=dispatch_to)
        except ServiceError as exc:
            # The intake form names the unit to dispatch to `dispatch_to`.
            if exc.field == "unit":
                exc.field = "dispatch_to"
            raise
    return appeal, True


# ---------------------------------------------------------------------------------------------
# Attachments


def _store_file(
    appeal: Appeal, event: AppealEvent | None, checked: CheckedUpload, actor: User | None, now: datetime
) -> Attachment:
    return store_upload(
        Attachment, checked, actor=actor, now=now, fallback_name="file", appeal=appeal, event=event
    )


@write_service
def appeal_attach(*, actor: User, appeal_id: int, files: Sequence[UploadedFile], note: str = "") -> Appeal:
    checked = [check_upload(f) for f in files]
    if not checked:
        raise ServiceError(_("Choose a file to attach."), code=CommonError.REQUIRED, field="files")

    def change(step: _Step) -> None:
        for c in checked:
            _store_file(step.appeal, None, c, actor, step.now)
        step.data["files"] = [c.upload.name for c in checked]

    return _apply(actor=actor, appeal_id=appeal_id, action=Action.ATTACH, note=note, change=change)


# ---------------------------------------------------------------------------------------------
# The one function that applies a step of the life cycle


@dataclass
class _Step:
    appeal: Appeal
    actor: User | None
    now: datetime
    data: dict[str, Any]
    unit: Unit | None = None
    after: list[Callable[[AppealEvent], None]] | None = None

    def then(self, fn: Callable[[AppealEvent], None]) -> None:
        if self.after is None:
            self.after = []
        self.after.append(fn)


def _lock(appeal_id: int, actor: User | None) -> Appeal:
    appeal = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
    if appeal is None or (actor is not None and not appeal_in_scope(actor=actor, pk=appeal.pk)):
        raise Http404
    return appeal


def _explain(action: str, appeal: Appeal) -> str:
    if action == Action.SIGN and appeal.state in (State.SIGNED, State.HANDLING) and appeal.handler_id:
        handler = User.objects.filter(pk=appeal.handler_id).first()
        return _("%(name)s already signed for this appeal at %(time)s.") % {
            "name": handler.full_name if handler else "?",
            "time": spoken_datetime(appeal.signed_at) if appeal.signed_at else "",
        }
    return _("An appeal that is %(state)s cannot be %(action)s.") % {
        "state": State(appeal.state).label,
        "action": Action(action).label,
    }


def _apply(
    *,
    actor: User | None,
    appeal_id: int,
    action: str,
    note: str = "",
    change: Callable[[_Step], None] | None = None,
    guard: Callable[[Appeal], None] | None = None,
    submission_key: str | None = None,
) -> Appeal:
    transition = TRANSITIONS[action]
    with transaction.atomic():
        appeal = _lock(appeal_id, actor)
        if (
            submission_key
            and AppealEvent.objects.filter(appeal=appeal, submission_key=submission_key).exists()
        ):
            # The same step sent again (its answer was lost on the way): it was taken once, and the
            # appeal as it is now is the answer, whatever happened to it since.
            return appeal
        if actor is not None:
            if not any(can(actor, cap) for cap in transition.caps):
                raise PermissionDenied
            if action in HOLDER_ACTIONS and not Scope.of(actor).contains(appeal.unit_path):
                raise PermissionDenied
        if appeal.state not in transition.sources:
            raise TransitionNotAllowed(_explain(action, appeal))
        if guard is not None:
            guard(appeal)
        before_state = appeal.state
        before_clocks = (appeal.sign_by, appeal.contact_by, appeal.conclude_by)
        # What the appeal counts for in the roll-ups, read under its lock: the step's change is
        # added to them in this transaction.
        before_facts = tallies.appeal_facts(appeal.pk)
        step = _Step(appeal=appeal, actor=actor, now=timezone.now(), data={})
        if change is not None:
            change(step)
        if transition.target is not None:
            appeal.state = transition.target
        appeal.is_open = appeal.state in OPEN_STATES
        clocks.refresh(appeal, before=before_clocks, now=step.now)
        appeal.save()
        event = _event(
            appeal,
            action,
            before_state,
            actor,
            now=step.now,
            note=note,
            unit=step.unit,
            data=step.data,
            submission_key=submission_key,
        )
        for fn in step.after or []:
            fn(event)
        rollup.apply(before_facts, tallies.appeal_facts(appeal.pk))
        audit_record(
            actor=actor,
            actor_username="" if actor is not None else "citizen",
            action=step_action(action),
            target=appeal,
            detail={
                "from": before_state,
                "to": appeal.state,
                **({"unit": step.unit.pk} if step.unit else {}),
            },
        )
        notifications.after_step(appeal, action, event)
    return appeal


def _event(
    appeal: Appeal,
    action: str,
    from_state: str,
    actor: User | None,
    *,
    now: datetime,
    note: str = "",
    unit: Unit | None = None,
    data: dict[str, Any] | None = None,
    to_state: str | None = None,
    submission_key: str | None = None,
    seq: int | None = None,
    insert: bool = True,
) -> AppealEvent:
    """The appeal's next event, inserted (or, with `insert=False`, left for a bulk insert)."""
    if seq is None:
        last = (
            AppealEvent.objects.filter(appeal=appeal).order_by("-seq").values_list("seq", flat=True).first()
        )
        seq = (last or 0) + 1
    event = AppealEvent(
        submission_key=submission_key or None,
        appeal=appeal,
        seq=seq,
        action=action,
        from_state=from_state,
        to_state=to_state or appeal.state,
        at=now,
        actor=actor,
        actor_name=actor.full_name if actor is not None else "",
        actor_unit=actor.unit if actor is not None else None,
        unit=unit,
        note=note,
        data=data or {},
    )
    if insert:
        event.save(force_insert=True)
    return event


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message, code=CommonError.REQUIRED, field=field)
    if len(value) > 2000:
        raise ServiceError(_("At most 2,000 characters."), code=CommonError.TOO_LONG, field=field)
    return value


def _target_unit(unit: Unit | int | None, field: str = "unit") -> Unit:
    if isinstance(unit, int):
        unit = Unit.objects.filter(pk=unit).first()
    if unit is None:
        raise ServiceError(_("Choose a unit."), code=CommonError.REQUIRED, field=field)
    if not unit.is_active:
        raise ServiceError(
            _("%(unit)s is closed.") % {"unit": unit.name}, code=CommonError.INACTIVE_UNIT, field=field
        )
    if unit.kind == UnitKind.BUREAU:
        raise ServiceError(
            _("Appeals are handled by stations, districts or departments, not by the bureau itself."),
            code=ErrorCode.BAD_UNIT,
            field=field,
        )
    return unit


def _move_to(appeal: Appeal, unit: Unit) -> None:
    appeal.unit = unit
    appeal.unit_path = unit.path
    appeal.handler = None
    appeal.signed_at = None
    _rescope(appeal)


def _rescope(appeal: Appeal) -> None:
    """Bring the appeal's scope tokens in line with its units (saved with the step)."""
    assisting = AppealAssist.objects.filter(appeal=appeal).values_list("unit_path", flat=True)
    appeal.scope_tokens = " ".join(scope_tokens(appeal.unit_path, appeal.intake_unit_path, *assisting))


# ---------------------------------------------------------------------------------------------
# The steps


@write_service
def appeal_accept(*, actor: User, appeal_id: int, note: str = "") -> Appeal:
    return _apply(actor=actor, appeal_id=appeal_id, action=Action.ACCEPT, note=note)


@write_service
def appeal_reject(*, actor: User, appeal_id: int, reason: str) -> Appeal:
    reason = _required(reason, "reason", _("Say why the appeal is not accepted."))
    return _apply(actor=actor, appeal_id=appeal_id, action=Action.REJECT, note=reason)


@write_service
def appeal_dispatch(
    *,
    actor: User,
    appeal_id: int,
    unit: Unit | int | None,
    assist_units: Iterable[Unit | int] = (),
    note: str = "",
) -> Appeal:
    lead = _target_unit(unit)
    assists = [_target_unit(u, "assist_units") for u in assist_units]
    if any(a.pk == lead.pk for a in assists):
        raise ServiceError(
            _("The lead unit cannot also be an assisting unit."),
            code=CommonError.INVALID,
            field="assist_units",
        )

    def change(step: _Step) -> None:
        appeal = step.appeal
        _move_to(appeal, lead)
        appeal.dispatcher_unit = step.actor.unit if step.actor else appeal.intake_unit
        appeal.sign_by = clocks.deadline(step.now, clocks.policy_for(appeal.type, appeal.urgency), "sign")
        for a in assists:
            AppealAssist.objects.get_or_create(appeal=appeal, unit=a, defaults={"unit_path": a.path})
        if assists:
            _rescope(appeal)
        step.unit = lead
        step.data["assist_units"] = [a.pk for a in assists]

    return _apply(actor=actor, appeal_id=appeal_id, action=Action.DISPATCH, note=note, change=change)


@write_service
def appeal_sign(*, actor: User, appeal_id: int, submission_key: str | None = None) -> Appeal:
    def change(step: _Step) -> None:
        appeal = step.appeal
        appeal.handler = actor
        appeal.signed_at = step.now
        # First-contact responsibility passes to the unit that took the appeal on.
        appeal.accountable_unit = appeal.unit
        step.data["on_time"] = appeal.sign_by is None or step.now <= appeal.sign_by

    return _apply(
        actor=actor, appeal_id=appeal_id, action=Action.SIGN, change=change, submission_key=submission_key
    )


@write_service
def appeal_contact(*, actor: User, appeal_id: int, note: str, submission_key: str | None = None) -> Appeal:
    note = _required(note, "note", _("Write down what was said with the citizen."))

    def change(step: _Step) -> None:
        appeal = step.appeal
        first = appeal.contacted_at is None
        if first:
            appeal.contacted_at = step.now
        step.data["first"] = first
        if first and appeal.contact_by is not None:
            step.data["on_time"] = step.now <= appeal.contact_by

    return _apply(
        actor=actor,
        appeal_id=appeal_id,
        action=Action.CONTACT,
        note=note,
        change=change,
        submission_key=submission_key,
    )


@write_service
def appeal_transfer(*, actor: User, appeal_id: int, unit: Unit | int | None, reason: str) -> Appeal:
    target = _target_unit(unit)
    reason = _required(reason, "reason", _("Say why the appeal is transferred."))

    def guard(appeal: Appeal) -> None:
        if appeal.unit_id == target.pk:
            raise ServiceError(
                _("The appeal is already with that unit."), code=ErrorCode.SAME_UNIT, field="unit"
            )

    def change(step: _Step) -> None:
        appeal = step.appeal
        _move_to(appeal, target)
        appeal.handoffs += 1
        appeal.sign_by = clocks.deadline(step.now, clocks.policy_for(appeal.type, appeal.urgency), "sign")
        step.unit = target

    return _apply(
        actor=actor, appeal_id=appeal_id, action=Action.TRANSFER, note=reason, change=change, guard=guard
    )


@write_service
def appeal_return(*, actor: User, appeal_id: int, reason: str) -> Appeal:
    reason = _required(reason, "reason", _("Say why the appeal is returned."))

    def change(step: _Step) -> None:
        appeal = step.appeal
        back_to = appeal.dispatcher_unit or appeal.intake_unit
        _move_to(appeal, back_to)
        appeal.handoffs += 1
        appeal.sign_by = None
        step.unit = back_to

    return _apply(actor=actor, appeal_id=appeal_id, action=Action.RETURN, note=reason, change=change)


@write_service
def appeal_conclude(
    *,
    actor: User,
    appeal_id: int,
    result: str,
    note: str,
    files: Sequence[UploadedFile] = (),
    submission_key: str | None = None,
) -> Appeal:
    if result not in Result.values:
        raise ServiceError(
            _("Choose the result: solved, explained or cannot be solved for now."),
            code=CommonError.INVALID,
            field="result",
        )
    note = _required(note, "note", _("Say what was done and why the appeal can be concluded."))
    checked = [check_upload(f) for f in files]
    token = secrets.token_urlsafe(24)
    step_taken = False

    def change(step: _Step) -> None:
        nonlocal step_taken
        step_taken = True
        appeal = step.appeal
        appeal.result = result
        appeal.result_note = note
        appeal.concluded_at = step.now
        step.data["result"] = result
        if appeal.conclude_by is not None:
            step.data["on_time"] = step.now <= appeal.conclude_by
        rounds = FollowUp.objects.filter(appeal=appeal).count()
        FollowUp.objects.create(
            appeal=appeal,
            round=rounds + 1,
            due_at=follow_up_due(step.now),
            token_hash=lookup_hash(token),
            token_expires_at=step.now + timedelta(days=settings.APPEAL_FOLLOWUP_LINK_DAYS),
        )

        def attach(event: AppealEvent) -> None:
            for c in checked:
                _store_file(appeal, event, c, actor, step.now)

        step.then(attach)

    appeal = _apply(
        actor=actor,
        appeal_id=appeal_id,
        action=Action.CONCLUDE,
        note=note,
        change=change,
        submission_key=submission_key,
    )
    if step_taken:
        # Not for a step sent again: its link went out the first time, with the token then stored.
        notifications.follow_up_link(appeal, token)
    return appeal


def _refuse_by_follow_up_rules(action: str, appeal: Appeal, latest: FollowUp | None) -> None:
    """The follow-up rules of `transitions`, as the page offers them (`allowed_actions`)."""
    owed = action == Action.FOLLOW_UP and appeal.follow_ups.filter(answered_at__isnull=True).exists()
    refusal = follow_up_refusal(action, latest=latest, owed=owed)
    if refusal is not None:
        raise TransitionNotAllowed(str(refusal))


def _pending_follow_up(appeal: Appeal) -> FollowUp:
    follow_up = FollowUp.objects.filter(appeal=appeal, answered_at__isnull=True).order_by("-round").first()
    if follow_up is None:
        raise TransitionNotAllowed(_("This appeal has no follow-up waiting for an answer."))
    return follow_up


def _answer(
    step: _Step, follow_up: FollowUp, *, resolved: Any, satisfaction: Any, note: str, channel: str
) -> None:
    if not isinstance(resolved, bool):
        raise ServiceError(
            _("Say whether the problem was resolved."), code=CommonError.REQUIRED, field="resolved"
        )
    if isinstance(satisfaction, bool) or not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise ServiceError(
            _("Choose the satisfaction from 1 (very dissatisfied) to 5 (very satisfied)."),
            code=CommonError.INVALID,
            field="satisfaction",
        )
    follow_up.answered_at = step.now
    follow_up.channel = channel
    follow_up.answered_by = step.actor
    follow_up.resolved = resolved
    follow_up.satisfaction = satisfaction
    follow_up.note = (note or "").strip()[:2000]
    follow_up.review = review_of_answer(resolved, satisfaction)
    follow_up.save()
    step.data.update(
        {"round": follow_up.round, "resolved": resolved, "satisfaction": satisfaction, "channel": channel}
    )


def _follow_up(
    *, actor: User | None, appeal_id: int, resolved: Any, satisfaction: Any, note: str, channel: str
) -> Appeal:
    def guard(appeal: Appeal) -> None:
        # The citizen answers for themselves; staff never follow up what they handled.
        if actor is not None and follow_up_barred(actor=actor, appeal=appeal):
            raise PermissionDenied(
                _("The follow-up is recorded by someone other than who handled the appeal.")
            )

    def change(step: _Step) -> None:
        _answer(
            step,
            _pending_follow_up(step.appeal),
            resolved=resolved,
            satisfaction=satisfaction,
            note=note,
            channel=channel,
        )

    return _apply(
        actor=actor, appeal_id=appeal_id, action=Action.FOLLOW_UP, note=note, change=change, guard=guard
    )


@write_service
def appeal_follow_up(
    *, actor: User, appeal_id: int, resolved: Any, satisfaction: Any, note: str = ""
) -> Appeal:
    """An officer or clerk records what the citizen said on the follow-up call."""
    return _follow_up(
        actor=actor,
        appeal_id=appeal_id,
        resolved=resolved,
        satisfaction=satisfaction,
        note=note,
        channel=FollowUpChannel.PHONE,
    )


def follow_up_by_token(token: str) -> FollowUp | None:
    now = timezone.now()
    return (
        FollowUp.objects.select_related("appeal")
        .filter(token_hash=lookup_hash(token), token_expires_at__gt=now, answered_at__isnull=True)
        .first()
    )


@write_service
def appeal_follow_up_by_citizen(*, token: str, resolved: Any, satisfaction: Any, note: str = "") -> Appeal:
    """The citizen answers through the link of the SMS; the token is their only credential."""
    follow_up = follow_up_by_token(token)
    if follow_up is None:
        raise ServiceError(
            _("This link has expired or has already been answered."),
            code=ErrorCode.INVALID_TOKEN,
            field="token",
        )

    return _follow_up(
        actor=None,
        appeal_id=follow_up.appeal_id,
        resolved=resolved,
        satisfaction=satisfaction,
        note=note,
        channel=FollowUpChannel.LINK,
    )


@write_service
def appeal_follow_up_by_tracking_code(
    *, code: str, resolved: Any, satisfaction: Any, note: str = ""
) -> Appeal:
    """The citizen answers on the portal's tracking page; the tracking code is their credential
    (the portal limits how many wrong codes one address may try)."""
    appeal_id = Appeal.objects.filter(tracking_code=code).values_list("pk", flat=True).first()
    if appeal_id is None:
        raise ServiceError(_("No appeal has this tracking code."), code=CommonError.NOT_FOUND, field="code")
    return _follow_up(
        actor=None,
        appeal_id=appeal_id,
        resolved=resolved,
        satisfaction=satisfaction,
        note=note,
        channel=FollowUpChannel.LINK,
    )


def _latest_follow_up(appeal: Appeal) -> FollowUp | None:
    return FollowUp.objects.filter(appeal=appeal, answered_at__isnull=False).order_by("-round").first()


def _reopen(step: _Step, reason: str) -> None:
    appeal = step.appeal
    appeal.reopen_count += 1
    appeal.concluded_at = None
    appeal.result = ""
    appeal.result_note = ""
    # The published practice: a reopened appeal is reported on within 5 working days.
    appeal.conclude_by = reopen_deadline(step.now)
    step.data["conclude_by"] = appeal.conclude_by.isoformat()


@write_service
def appeal_review(*, actor: User, appeal_id: int, reasonable: Any, note: str) -> Appeal:
    """The reasonableness review (合理性审核) of a dissatisfied answer; a reasonable one reopens."""
    if not isinstance(reasonable, bool):
        raise ServiceError(
            _("Say whether the citizen's demand is reasonable."),
            code=CommonError.REQUIRED,
            field="reasonable",
        )
    note = _required(note, "note", _("Give the reason for the review's outcome."))
    reviewed: dict[str, FollowUp] = {}

    def guard(appeal: Appeal) -> None:
        follow_up = _latest_follow_up(appeal)
        _refuse_by_follow_up_rules(Action.REVIEW, appeal, follow_up)
        assert follow_up is not None
        reviewed["it"] = follow_up

    def change(step: _Step) -> None:
        follow_up = reviewed["it"]
        follow_up.review = ReviewOutcome.REASONABLE if reasonable else ReviewOutcome.UNREASONABLE
        follow_up.reviewed_at = step.now
        follow_up.reviewed_by = actor
        follow_up.review_note = note
        follow_up.save()
        step.data.update({"reasonable": reasonable, "round": follow_up.round})

    appeal = _apply(
        actor=actor, appeal_id=appeal_id, action=Action.REVIEW, note=note, change=change, guard=guard
    )
    if reasonable:
        appeal = appeal_reopen(actor=actor, appeal_id=appeal_id, reason=note)
    return appeal


@write_service
def appeal_reopen(*, actor: User, appeal_id: int, reason: str) -> Appeal:
    reason = _required(reason, "reason", _("Say why the appeal is reopened."))

    def guard(appeal: Appeal) -> None:
        _refuse_by_follow_up_rules(Action.REOPEN, appeal, _latest_follow_up(appeal))

    def change(step: _Step) -> None:
        _reopen(step, reason)

    return _apply(
        actor=actor, appeal_id=appeal_id, action=Action.REOPEN, note=reason, change=change, guard=guard
    )


@write_service
def appeal_urgency_decide(*, actor: User, appeal_id: int, confirm: Any, note: str = "") -> Appeal:
    """The clerk confirms the suggested urgency (its clocks then run at that urgency, counted from
    the time received) or keeps the one registered; either way the suggestion is settled."""
    if not isinstance(confirm, bool):
        raise ServiceError(
            _("Say whether the suggested urgency applies."), code=CommonError.REQUIRED, field="confirm"
        )

    def guard(appeal: Appeal) -> None:
        if not appeal.urgency_suggested:
            raise TransitionNotAllowed(_("This appeal has no suggested urgency to decide."))

    def change(step: _Step) -> None:
        appeal = step.appeal
        before = appeal.urgency
        step.data.update(
            {
                "confirmed": confirm,
                "suggested": appeal.urgency_suggested,
                "reason": appeal.urgency_reason,
                "from": before,
            }
        )
        if confirm:
            appeal.urgency = appeal.urgency_suggested
            policy = clocks.policy_for(appeal.type, appeal.urgency)
            appeal.conclude_by = clocks.deadline(appeal.received_at, policy, "conclude")
            if appeal.citizen_phone and appeal.contacted_at is None:
                appeal.contact_by = clocks.deadline(appeal.received_at, policy, "contact")
            if appeal.state == State.DISPATCHED:
                appeal.sign_by = clocks.deadline(step.now, policy, "sign")
        step.data["to"] = appeal.urgency
        appeal.urgency_suggested = ""
        appeal.urgency_reason = ""

    return _apply(
        actor=actor, appeal_id=appeal_id, action=Action.URGENCY, note=note, change=change, guard=guard
    )


@write_service
def appeal_supervise(*, actor: User, appeal_id: int, note: str) -> Appeal:
    note = _required(note, "note", _("Say what the supervision asks for."))

    def change(step: _Step) -> None:
        step.appeal.supervised = True

    return _apply(actor=actor, appeal_id=appeal_id, action=Action.SUPERVISE, note=note, change=change)


@write_service
def appeal_merge(*, actor: User, appeal_id: int, into: Appeal | int | None, note: str = "") -> Appeal:
    """Merge a duplicate into another appeal; both stay visible and both tracking codes work."""
    into_id = into.pk if isinstance(into, Appeal) else into
    if into_id is None:
        raise ServiceError(_("Choose the appeal to merge into."), code=CommonError.REQUIRED, field="into")
    if into_id == appeal_id:
        raise ServiceError(
            _("An appeal cannot be merged into itself."), code=CommonError.INVALID, field="into"
        )
    found: dict[str, Appeal] = {}

    def guard(appeal: Appeal) -> None:
        # Checked once the appeal itself is known to be in scope, so that nothing is said about
        # a target to someone who may not even see the source.
        target = Appeal.objects.filter(pk=into_id).first()
        if target is None or not appeal_in_scope(actor=actor, pk=target.pk):
            raise ServiceError(_("No such appeal in your scope."), code=CommonError.NOT_FOUND, field="into")
        _refuse_finished_target(target)
        found["target"] = target

    def change(step: _Step) -> None:
        target = found["target"]
        step.appeal.merged_into = target
        step.data["into"] = target.pk

        def mark_target(event: AppealEvent) -> None:
            locked = Appeal.objects.select_for_update().get(pk=target.pk)
            _event(
                locked,
                Action.MERGE,
                locked.state,
                actor,
                now=step.now,
                note=note,
                data={"merged": step.appeal.pk, "tracking_code": step.appeal.tracking_code},
            )

        step.then(mark_target)

    return _apply(
        actor=actor, appeal_id=appeal_id, action=Action.MERGE, note=note, change=change, guard=guard
    )


def _refuse_finished_target(target: Appeal) -> None:
    """Nothing is merged into an appeal that is no longer being handled."""
    if target.state in (State.MERGED, State.REJECTED, State.ARCHIVED):
        raise ServiceError(
            _("The appeal %(code)s is %(state)s; merge into an appeal that is still being handled.")
            % {"code": target.tracking_code, "state": State(target.state).label},
            code=CommonError.INVALID,
            field="into",
        )


@dataclass(frozen=True)
class RepeatContact:
    """What the clerk took down of a citizen raising a matter already registered."""

    channel: str
    title: str
    content: str
    citizen_phone: str = ""
    address: str = ""


@write_service
def appeal_merge_contact(
    *, actor: User, appeal_id: int, contact: RepeatContact, submission_key: str | None = None
) -> Appeal:
    """Merge into at intake: the new contact joins the history of the appeal it repeats and no
    appeal is registered. The intake form's key makes a retried submission append nothing twice.
    """
    if not can(actor, Cap.APPEAL_INTAKE):
        raise PermissionDenied
    if contact.channel not in Channel.values:
        raise ServiceError(_("Choose how the appeal came in."), code=CommonError.INVALID, field="channel")
    words = "\n".join(part for part in (contact.title.strip(), contact.content.strip()) if part)
    if not words:
        raise ServiceError(
            _("Describe what the citizen asks for."), code=CommonError.REQUIRED, field="content"
        )
    if len(words) > 5000:
        raise ServiceError(
            _("The content is at most 5,000 characters."), code=CommonError.INVALID, field="content"
        )
    phone = normalise_phone(contact.citizen_phone)
    if phone and not _PHONE.match(phone):
        raise ServiceError(
            _("Enter a phone number of 7 to 15 digits."), code=CommonError.INVALID, field="citizen_phone"
        )
    try:
        with transaction.atomic():
            appeal = _lock(appeal_id, actor)
            if submission_key:
                done = (
                    AppealEvent.objects.filter(submission_key=submission_key).select_related("appeal").first()
                )
                if done is not None:
                    return done.appeal
                if Appeal.objects.filter(submission_key=submission_key).exists():
                    raise ServiceError(
                        _("This form was already registered as an appeal; merge that appeal instead."),
                        code=CommonError.INVALID,
                        field="into",
                    )
            _refuse_finished_target(appeal)
            now = timezone.now()
            phone_hash = lookup_hash(phone) if phone else ""
            event = _event(
                appeal,
                Action.MERGE,
                appeal.state,
                actor,
                now=now,
                note=words,
                data={
                    "contact": contact.channel,
                    "same_caller": bool(phone_hash) and phone_hash == appeal.citizen_phone_hash,
                    "same_address": bool(contact.address.strip())
                    and contact.address.strip() == appeal.address,
                    **({"caller": mask(phone)} if phone else {}),
                },
                submission_key=submission_key,
            )
            audit_record(
                actor=actor,
                action=AuditAction.APPEAL_MERGE,
                target=appeal,
                detail={"contact": contact.channel, "seq": event.seq},
            )
            notifications.after_step(appeal, Action.MERGE, event)
    except IntegrityError:
        # The same form raced itself: the other submission appended the contact.
        if submission_key:
            done = AppealEvent.objects.filter(submission_key=submission_key).select_related("appeal").first()
            if done is not None:
                return done.appeal
        raise
    return appeal


@write_service
def appeal_archive(*, actor: User, appeal_id: int, note: str = "") -> Appeal:
    def guard(appeal: Appeal) -> None:
        _refuse_by_follow_up_rules(Action.ARCHIVE, appeal, _latest_follow_up(appeal))

    return _apply(actor=actor, appeal_id=appeal_id, action=Action.ARCHIVE, note=note, guard=guard)


# ---------------------------------------------------------------------------------------------
# Steps the system takes when a clock runs


@write_steps
def appeal_clocks_sweep(*, now: datetime | None = None, batch: int = 200) -> int:
    """Send every reminder and escalation that has come due; returns how many were sent.

    Run every minute (`manage.py appeals_clock_sweep`). It reads the appeals whose next alert
    (`alert_at`, indexed) is due, each batch in a transaction that locks its rows with SKIP
    LOCKED: two sweeps at once share the work, a row being changed by a person is left to the
    next minute, and an alert is marked sent on the row in the transaction that records it, so it
    is sent once. After a gap (the timer stopped, the database was down) the first sweep sends
    what the gap owed, once. The rows are walked in (alert_at, id) order from where the previous
    batch ended, so the sweep ends even if a row keeps failing.
    """
    now = now or timezone.now()
    sent = 0
    after: tuple[datetime, int] | None = None
    while True:
        with transaction.atomic():
            due = Appeal.objects.select_for_update(skip_locked=True).filter(alert_at__lte=now)
            if after is not None:
                due = due.filter(Q(alert_at__gt=after[0]) | Q(alert_at=after[0], pk__gt=after[1]))
            rows = list(due.order_by("alert_at", "pk")[:batch])
            for appeal in rows:
                after = (appeal.alert_at, appeal.pk)  # type: ignore[assignment]
                sent += _clock_alerts(appeal, now)
        if len(rows) < batch:
            return sent


def _clock_alerts(appeal: Appeal, now: datetime) -> int:
    owed = clocks.alerts_due(appeal, now)
    if any(stage == "escalate" for _clock, stage, _deadline in owed):
        appeal.escalated_at = now
    appeal.save(update_fields=[*clocks.ALERT_FIELDS, "due_at", "escalated_at"])
    for clock, stage, deadline in owed:
        action = Action.REMIND if stage == "remind" else Action.ESCALATE
        unit = notifications.supervising_unit(appeal) if action == Action.ESCALATE else None
        event = _event(
            appeal,
            action,
            appeal.state,
            None,
            now=now,
            unit=unit,
            data={"clock": clock, "deadline": deadline.isoformat()},
        )
        notifications.after_step(appeal, action, event)
    return len(owed)


# ---------------------------------------------------------------------------------------------
# Batch work: several appeals, one step each


BATCH_ACTIONS = (Action.DISPATCH, Action.SUPERVISE, Action.SIGN)
BATCH_MAX = 50


@dataclass(frozen=True)
class BatchResult:
    appeal_id: int
    ok: bool
    message: str = ""
    appeal: Appeal | None = None


@write_steps
def appeal_batch(
    *, actor: User, action: str, appeal_ids: Sequence[int], unit: Unit | int | None = None, note: str = ""
) -> list[BatchResult]:
    """Take one step on each of several appeals: one service call per appeal, each its own
    transaction, so that one appeal that cannot take the step (taken by a colleague a moment ago,
    out of scope) leaves the others done; the result of each row is returned in the order given."""
    if action not in BATCH_ACTIONS:
        raise ServiceError(
            _("Choose dispatch, supervise or sign for."), code=CommonError.INVALID, field="action"
        )
    if not any(can(actor, cap) for cap in TRANSITIONS[action].caps):
        raise PermissionDenied
    ids = list(dict.fromkeys(int(i) for i in appeal_ids))
    if not ids:
        raise ServiceError(_("Select at least one appeal."), code=CommonError.REQUIRED, field="ids")
    if len(ids) > BATCH_MAX:
        raise ServiceError(
            _("At most %(count)d appeals at once.") % {"count": BATCH_MAX},
            code=CommonError.TOO_MANY,
            field="ids",
        )
    if action == Action.SUPERVISE:
        note = _required(note, "note", _("Say what the supervision asks for."))
    if action == Action.DISPATCH:
        unit = _target_unit(unit)
    results: list[BatchResult] = []
    for pk in ids:
        try:
            if action == Action.DISPATCH:
                done = appeal_dispatch(actor=actor, appeal_id=pk, unit=unit, note=note)
            elif action == Action.SUPERVISE:
                done = appeal_supervise(actor=actor, appeal_id=pk, note=note)
            else:
                done = appeal_sign(actor=actor, appeal_id=pk)
        except ServiceError as exc:
            results.append(BatchResult(pk, False, exc.message))
        except PermissionDenied:
            results.append(BatchResult(pk, False, _("You may not take this step on this appeal.")))
        except Http404:
            results.append(BatchResult(pk, False, _("No such appeal in your scope.")))
        else:
            results.append(BatchResult(pk, True, appeal=done))
    return results
