"""Every change to open-door events, their opinions, and surveys.

One function per write. Each checks the capability and the scope (an event or survey outside the
person's scope is a 404, a step their role may not take a 403), validates everything before it
writes anything, changes the rows in one transaction, appends the event's history and writes
the audit row last. The transactions are not durable, as in the appeals and visits services: the
demo loader calls them inside its single transaction, so that a failed load leaves nothing. An opinion becomes an appeal through the appeals' own
`appeal_register` (channel "open-door event"), never by writing appeal rows here; the answer to a
person who left a number goes by SMS once the outcome is committed.

Answering a survey is the one write without an actor: the portal counts its abuse limits in the
same transaction that saves the sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.appeals.models import Appeal, AppealType, Category, Channel
from jingmin.appeals.services import AppealInput, appeal_register
from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.uploads import check_upload, store_upload
from jingmin.core.writes import write_service
from jingmin.evaluation.codes import AuditAction, ErrorCode
from jingmin.evaluation.models import (
    CHOICE_KINDS,
    Answer,
    AttendeeKind,
    Event,
    EventAttendance,
    EventAttendee,
    EventFile,
    EventHistory,
    EventKind,
    EventRating,
    EventState,
    EventStep,
    Opinion,
    OpinionState,
    Option,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyState,
)
from jingmin.evaluation.selectors import scope_or_owned
from jingmin.notify.services import sms_notify
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope

TITLE_MAX = 120
TEXT_MAX = 5000
QUESTIONS_MAX = 50
OPTIONS_MAX = 20
NAMES_MAX = 200


def _fail(message: str, field: str | None, code: str = CommonError.INVALID) -> ServiceError:
    return ServiceError(message, code=code, field=field)


def _require(actor: User, cap: Cap) -> None:
    if not can(actor, cap):
        raise PermissionDenied


def _unit_in_scope(actor: User, unit: Unit | None, kinds: tuple[str, ...], field: str) -> Unit:
    if unit is None or not unit.is_active or unit.kind not in kinds:
        raise _fail(_("Choose one of the units listed."), field, ErrorCode.WRONG_UNIT)
    if not Scope.of(actor).contains(unit):
        raise _fail(_("Choose one of the units listed."), field, CommonError.OUT_OF_SCOPE)
    return unit


def _text(value: str, field: str, *, required: bool, limit: int, label: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _fail(_("%(label)s is required.") % {"label": label}, field, CommonError.REQUIRED)
    if len(value) > limit:
        raise _fail(
            _("%(label)s is at most %(count)d characters.") % {"label": label, "count": limit},
            field,
            CommonError.TOO_LONG,
        )
    return value


# ---------------------------------------------------------------------------------------------
# Events


@dataclass(frozen=True)
class EventInput:
    unit: Unit | None
    kind: str
    title: str
    place: str
    starts_at: datetime | None
    description: str = ""


def _event_for_update(actor: User, event_id: int) -> Event:
    """The event, locked, if it lies in the actor's scope (404 otherwise), for a manager (403)."""
    row = Scope.of(actor).filter(Event.objects.select_for_update(), "unit_path").filter(pk=event_id).first()
    if row is None:
        raise Http404
    _require(actor, Cap.EVALUATION_MANAGE)
    return row


def _history(event: Event, step: str, actor: User, now: datetime, data: dict[str, Any] | None = None) -> None:
    EventHistory.objects.create(event=event, step=step, at=now, actor=actor, data=data or {})


@write_service
def event_plan(*, actor: User, data: EventInput) -> Event:
    """Plan an event of a station; it is public on the portal from now on."""
    _require(actor, Cap.EVALUATION_MANAGE)
    unit = _unit_in_scope(actor, data.unit, (UnitKind.STATION,), "unit")
    if data.kind not in EventKind.values:
        raise _fail(_("Choose the kind of event."), "kind", CommonError.REQUIRED)
    title = _text(data.title, "title", required=True, limit=TITLE_MAX, label=_("The title"))
    place = _text(data.place, "place", required=True, limit=200, label=_("The place"))
    description = _text(
        data.description, "description", required=False, limit=TEXT_MAX, label=_("The notice")
    )
    if data.starts_at is None:
        raise _fail(_("Give the day and time of the event."), "starts_at", CommonError.REQUIRED)
    now = timezone.now()
    event = Event.objects.create(
        unit=unit,
        unit_path=unit.path,
        kind=data.kind,
        title=title,
        place=place,
        starts_at=data.starts_at,
        description=description,
        created_at=now,
        created_by=actor,
    )
    _history(event, EventStep.PLAN, actor, now)
    audit_record(actor=actor, action=AuditAction.EVENT_PLAN, target=event)
    return event


@write_service
def event_hold(*, actor: User, event_id: int, minutes: str) -> Event:
    """Record that the event took place, with its minutes (the minutes may be written again)."""
    minutes = _text(minutes, "minutes", required=True, limit=20000, label=_("The minutes"))
    now = timezone.now()
    event = _event_for_update(actor, event_id)
    if event.starts_at > now:
        raise _fail(
            _("An event is recorded as held only once it has begun."), "minutes", ErrorCode.WRONG_STATE
        )
    event.minutes = minutes
    event.state = EventState.HELD
    event.held_at = event.held_at or now
    event.save(update_fields=["minutes", "state", "held_at"])
    _history(event, EventStep.HOLD, actor, now, {"length": len(minutes)})
    audit_record(actor=actor, action=AuditAction.EVENT_HOLD, target=event)
    return event


@dataclass(frozen=True)
class NamedAttendee:
    name: str
    kind: str
    consent: bool


@write_service
def event_attendance_record(
    *, actor: User, event_id: int, counts: dict[str, int], named: Sequence[NamedAttendee] = ()
) -> Event:
    """Record how many came of each kind, and the attendees who agreed to be named."""
    clean: dict[str, int] = {}
    for kind, count in counts.items():
        if kind not in AttendeeKind.values:
            raise _fail(_("Choose the kind of attendee."), f"count_{kind}")
        if count is None or count < 0 or count > 100000:
            raise _fail(_("Enter a number of people from 0 to 100,000."), f"count_{kind}")
        clean[kind] = count
    people: list[NamedAttendee] = []
    for person in named:
        name = (person.name or "").strip()
        if not name:
            continue
        if not person.consent:
            # Names are personal data: kept only with the person's agreement.
            raise _fail(
                _("%(name)s is named only if they agreed; tick their consent or leave the name out.")
                % {"name": name},
                "named",
                CommonError.CONSENT_REQUIRED,
            )
        if person.kind not in AttendeeKind.values or len(name) > 50:
            raise _fail(_("Give each named attendee a name of at most 50 characters and a kind."), "named")
        people.append(NamedAttendee(name=name, kind=person.kind, consent=True))
    if len(people) > NAMES_MAX:
        raise _fail(_("At most %(count)d attendees can be named.") % {"count": NAMES_MAX}, "named")
    now = timezone.now()
    event = _event_for_update(actor, event_id)
    for kind, count in clean.items():
        EventAttendance.objects.update_or_create(event=event, kind=kind, defaults={"count": count})
    for person in people:
        EventAttendee.objects.create(event=event, name=person.name, kind=person.kind, consent_at=now)
    detail = {"counts": clean, "named": len(people)}
    _history(event, EventStep.ATTEND, actor, now, detail)
    audit_record(actor=actor, action=AuditAction.EVENT_ATTEND, target=event, detail=detail)
    return event


@write_service
def event_file_add(*, actor: User, event_id: int, files: Sequence[UploadedFile]) -> list[EventFile]:
    """Attach scans and photos; checked by their bytes like an appeal's attachments."""
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ServiceError as exc:
            exc.field = "files"
            raise
    if not checked:
        raise _fail(_("Choose a file to attach."), "files", CommonError.REQUIRED)
    now = timezone.now()
    event = _event_for_update(actor, event_id)
    rows = [
        store_upload(EventFile, one, actor=actor, now=now, fallback_name="file", event=event)
        for one in checked
    ]
    detail = {"files": [row.pk for row in rows]}
    _history(event, EventStep.FILE, actor, now, detail)
    audit_record(actor=actor, action=AuditAction.EVENT_FILE, target=event, detail=detail)
    return rows


@write_service
def event_rate(*, actor: User, event_id: int, officer: User | None, levels: dict[int, int]) -> int:
    """Record the ratings given on paper: how many attendees gave each level (1–5) to the station
    (no officer) or to one named officer of the station; returns how many ratings were added."""
    for level, count in levels.items():
        if level not in (1, 2, 3, 4, 5):
            raise _fail(_("A rating is from 1 to 5."), "levels")
        if count is None or count < 0 or count > 10000:
            raise _fail(_("Enter a number of ratings from 0 to 10,000."), f"level_{level}")
    total = sum(levels.values())
    if total == 0:
        raise _fail(_("Enter how many people gave at least one of the levels."), "level_5", CommonError.EMPTY)
    now = timezone.now()
    event = _event_for_update(actor, event_id)
    if event.state != EventState.HELD:
        raise _fail(
            _("Ratings are recorded once the event is recorded as held."), None, ErrorCode.WRONG_STATE
        )
    if officer is not None and not (
        officer.is_active and Scope.under(event.unit).contains(officer.unit) and can(officer, Cap.APPEAL_VIEW)
    ):
        raise _fail(_("Choose an officer of the station."), "officer", ErrorCode.WRONG_UNIT)
    day = timezone.localdate(event.starts_at)
    EventRating.objects.bulk_create(
        EventRating(event=event, unit_path=event.unit_path, officer=officer, level=level, rated_on=day)
        for level, count in sorted(levels.items())
        for _n in range(count)
    )
    detail = {
        "officer": officer.pk if officer else None,
        "levels": {str(k): v for k, v in levels.items()},
    }
    _history(event, EventStep.RATE, actor, now, detail)
    audit_record(actor=actor, action=AuditAction.EVENT_RATE, target=event, detail=detail)
    return total


# ---------------------------------------------------------------------------------------------
# Opinions


def _normalise_phone(raw: str) -> str:
    digits = "".join(ch for ch in (raw or "") if ch.isdigit() or ch == "+")
    return digits


@write_service
def opinion_add(*, actor: User, event_id: int, text: str, contact_phone: str = "") -> Opinion:
    """Record what someone said; a number is kept only for the answer, encrypted."""
    text = _text(text, "text", required=True, limit=TEXT_MAX, label=_("The opinion"))
    phone = _normalise_phone(contact_phone)
    if phone and not (7 <= len(phone.lstrip("+")) <= 15):
        raise _fail(_("Enter a phone number of 7 to 15 digits."), "contact_phone")
    now = timezone.now()
    event = _event_for_update(actor, event_id)
    opinion = Opinion.objects.create(
        event=event, unit_path=event.unit_path, text=text, contact_phone=phone, created_at=now
    )
    _history(event, EventStep.OPINION, actor, now, {"opinion": opinion.pk})
    audit_record(actor=actor, action=AuditAction.OPINION_ADD, target=opinion, detail={"event": event.pk})
    return opinion


def _opinion_for_update(actor: User, opinion_id: int, *, states: tuple[str, ...]) -> Opinion:
    row = (
        Scope.of(actor)
        .filter(Opinion.objects.select_for_update(), "unit_path")
        .select_related("event", "event__unit")
        .filter(pk=opinion_id)
        .first()
    )
    if row is None:
        raise Http404
    _require(actor, Cap.EVALUATION_MANAGE)
    if row.state not in states:
        raise _fail(
            _("This opinion is “%(state)s”; that step is not possible now.")
            % {"state": row.get_state_display()},
            None,
            ErrorCode.WRONG_STATE,
        )
    return row


@write_service
def opinion_to_appeal(*, actor: User, opinion_id: int, type: str, category: Category | None) -> Appeal:
    """Turn an opinion into an appeal of the station (channel "open-door event"); the appeal's own
    life cycle, clocks and follow-up then answer the person."""
    if type not in AppealType.values:
        raise _fail(_("Choose the type of appeal."), "type", CommonError.REQUIRED)
    now = timezone.now()
    opinion = _opinion_for_update(actor, opinion_id, states=(OpinionState.OPEN,))
    event = opinion.event
    title = opinion.text.splitlines()[0].strip()[:60] or event.title
    data = AppealInput(
        channel=Channel.OPEN_DOOR,
        type=type,
        category=category,
        title=title,
        content=opinion.text,
        citizen_phone=opinion.contact_phone,
        anonymous=not opinion.contact_phone,
        received_at=min(now, max(event.starts_at, opinion.created_at)),
    )
    # The appeal service checks the actor may register appeals, and validates the fields.
    appeal, _created = appeal_register(actor=actor, data=data, submission_key=f"opinion:{opinion.pk}")
    opinion.state = OpinionState.APPEAL
    opinion.appeal = appeal
    opinion.save(update_fields=["state", "appeal"])
    _history(event, EventStep.APPEAL, actor, now, {"opinion": opinion.pk, "appeal": appeal.pk})
    audit_record(actor=actor, action=AuditAction.OPINION_APPEAL, target=opinion, detail={"appeal": appeal.pk})
    return appeal


@write_service
def opinion_track(*, actor: User, opinion_id: int, owner: User | None, due_on: date | None) -> Opinion:
    """Give an opinion an owner of the station and a deadline by which its outcome is reported."""
    if due_on is None:
        raise _fail(_("Give the day by which the outcome is due."), "due_on", CommonError.REQUIRED)
    if due_on < timezone.localdate():
        raise _fail(_("The deadline cannot be in the past."), "due_on")
    now = timezone.now()
    opinion = _opinion_for_update(actor, opinion_id, states=(OpinionState.OPEN, OpinionState.TRACKED))
    if owner is None or not owner.is_active or not Scope.under(opinion.event.unit).contains(owner.unit):
        raise _fail(_("Choose an owner of the station."), "owner", ErrorCode.WRONG_UNIT)
    opinion.state = OpinionState.TRACKED
    opinion.owner = owner
    opinion.due_on = due_on
    opinion.save(update_fields=["state", "owner", "due_on"])
    detail = {"opinion": opinion.pk, "owner": owner.pk, "due_on": due_on.isoformat()}
    _history(opinion.event, EventStep.TRACK, actor, now, detail)
    audit_record(actor=actor, action=AuditAction.OPINION_TRACK, target=opinion, detail=detail)
    return opinion


@write_service
def opinion_conclude(*, actor: User, opinion_id: int, outcome: str) -> Opinion:
    """Record the outcome of a tracked opinion; the person who left a number gets it by SMS once
    this is committed. The owner or a manager of the station reports it."""
    outcome = _text(outcome, "outcome", required=True, limit=500, label=_("The outcome"))
    now = timezone.now()
    row = (
        Opinion.objects.select_for_update()
        .filter(scope_or_owned(actor, Q(owner=actor)))
        .select_related("event", "event__unit")
        .filter(pk=opinion_id)
        .first()
    )
    if row is None:
        raise Http404
    if not (row.owner_id == actor.pk or can(actor, Cap.EVALUATION_MANAGE)):
        raise PermissionDenied
    if row.state != OpinionState.TRACKED:
        raise _fail(
            _("This opinion is “%(state)s”; that step is not possible now.")
            % {"state": row.get_state_display()},
            None,
            ErrorCode.WRONG_STATE,
        )
    row.state = OpinionState.CONCLUDED
    row.outcome = outcome
    row.concluded_at = now
    if row.contact_phone:
        row.reported_at = now
        sms_notify(
            phone=row.contact_phone,
            text=_("[%(unit)s] About the opinion you gave at “%(event)s”: %(outcome)s")
            % {"unit": row.event.unit.name, "event": row.event.title, "outcome": outcome},
        )
    row.save(update_fields=["state", "outcome", "concluded_at", "reported_at"])
    detail = {"opinion": row.pk, "reported": bool(row.contact_phone)}
    _history(row.event, EventStep.CONCLUDE, actor, now, detail)
    audit_record(actor=actor, action=AuditAction.OPINION_CONCLUDE, target=row, detail=detail)
    return row


# ---------------------------------------------------------------------------------------------
# Surveys: the builder


@dataclass(frozen=True)
class QuestionInput:
    kind: str
    text: str
    position: int = 0
    required: bool = False
    satisfaction: bool = False
    options: Sequence[str] = ()


@dataclass(frozen=True)
class SurveyInput:
    unit: Unit | None
    title: str
    closes_at: datetime | None
    intro: str = ""
    questions: Sequence[QuestionInput] = field(default_factory=tuple)


def _check_questions(questions: Sequence[QuestionInput]) -> list[QuestionInput]:
    """The questions in their order, each checked; the field names say which one is at fault."""
    ordered = sorted(enumerate(questions), key=lambda pair: (pair[1].position, pair[0]))
    if not ordered:
        raise _fail(_("A survey needs at least one question."), "questions", ErrorCode.NO_QUESTION)
    if len(ordered) > QUESTIONS_MAX:
        raise _fail(_("A survey has at most %(count)d questions.") % {"count": QUESTIONS_MAX}, "questions")
    clean = []
    for number, (index, q) in enumerate(ordered, start=1):
        where = f"q{index}"
        if q.kind not in QuestionKind.values:
            raise _fail(
                _("Question %(n)d: choose its kind.") % {"n": number}, f"{where}_kind", CommonError.REQUIRED
            )
        text = (q.text or "").strip()
        if not text:
            raise _fail(
                _("Question %(n)d: write the question.") % {"n": number},
                f"{where}_text",
                CommonError.REQUIRED,
            )
        if len(text) > 300:
            raise _fail(_("Question %(n)d is at most 300 characters.") % {"n": number}, f"{where}_text")
        options = [o.strip() for o in q.options if o and o.strip()]
        if q.kind in CHOICE_KINDS:
            if len(options) < 2:
                raise _fail(
                    _("Question %(n)d: give at least two options, one per line.") % {"n": number},
                    f"{where}_options",
                    ErrorCode.NO_OPTIONS,
                )
            if len(options) > OPTIONS_MAX or any(len(o) > 100 for o in options):
                raise _fail(
                    _("Question %(n)d: at most %(count)d options of at most 100 characters.")
                    % {"n": number, "count": OPTIONS_MAX},
                    f"{where}_options",
                )
            seen: set[str] = set()
            for option in options:
                if option in seen:
                    raise _fail(
                        _("Question %(n)d: the option “%(option)s” is given twice.")
                        % {"n": number, "option": option},
                        f"{where}_options",
                        ErrorCode.DUPLICATE_OPTION,
                    )
                seen.add(option)
        else:
            options = []
        if q.satisfaction and q.kind != QuestionKind.SCALE:
            raise _fail(
                _("Question %(n)d: only a 1–5 question can measure satisfaction.") % {"n": number},
                f"{where}_satisfaction",
            )
        clean.append(
            QuestionInput(
                kind=q.kind,
                text=text,
                position=number,
                required=q.required,
                satisfaction=q.satisfaction,
                options=options,
            )
        )
    return clean


def _check_closing(closes_at: datetime | None, now: datetime) -> datetime:
    if closes_at is None:
        raise _fail(_("Give the day the survey closes."), "closes_at", CommonError.REQUIRED)
    if closes_at <= now:
        raise _fail(
            _("The closing date is in the past; choose a later one."), "closes_at", ErrorCode.CLOSING_IN_PAST
        )
    return closes_at


@write_service
def survey_create(*, actor: User, data: SurveyInput) -> Survey:
    """Create a survey (a draft) with its questions, in the order of their positions."""
    _require(actor, Cap.EVALUATION_MANAGE)
    unit = _unit_in_scope(actor, data.unit, (UnitKind.STATION, UnitKind.DISTRICT), "unit")
    title = _text(data.title, "title", required=True, limit=TITLE_MAX, label=_("The title"))
    intro = _text(data.intro, "intro", required=False, limit=2000, label=_("The introduction"))
    now = timezone.now()
    closes_at = _check_closing(data.closes_at, now)
    questions = _check_questions(data.questions)
    survey = Survey.objects.create(
        unit=unit,
        unit_path=unit.path,
        title=title,
        intro=intro,
        closes_at=closes_at,
        created_at=now,
        created_by=actor,
    )
    for q in questions:
        question = Question.objects.create(
            survey=survey,
            position=q.position,
            kind=q.kind,
            text=q.text,
            required=q.required,
            satisfaction=q.satisfaction,
        )
        Option.objects.bulk_create(
            Option(question=question, position=n, text=text) for n, text in enumerate(q.options, start=1)
        )
    audit_record(
        actor=actor, action=AuditAction.SURVEY_CREATE, target=survey, detail={"questions": len(questions)}
    )
    return survey


_SURVEY_STEPS = {
    # step: (from, to, audit action)
    "publish": (SurveyState.DRAFT, SurveyState.OPEN, AuditAction.SURVEY_PUBLISH),
    "close": (SurveyState.OPEN, SurveyState.CLOSED, AuditAction.SURVEY_CLOSE),
    "archive": (SurveyState.CLOSED, SurveyState.ARCHIVED, AuditAction.SURVEY_ARCHIVE),
}


def _survey_for_update(actor: User, survey_id: int) -> Survey:
    row = Scope.of(actor).filter(Survey.objects.select_for_update(), "unit_path").filter(pk=survey_id).first()
    if row is None:
        raise Http404
    _require(actor, Cap.EVALUATION_MANAGE)
    return row


@write_service
def survey_step(*, actor: User, survey_id: int, step: str) -> Survey:
    """Publish a draft, close an open survey, archive a closed one."""
    if step not in _SURVEY_STEPS:
        raise _fail(_("Unknown step."), None)
    before, after, action = _SURVEY_STEPS[step]
    now = timezone.now()
    survey = _survey_for_update(actor, survey_id)
    if survey.state != before:
        raise _fail(
            _("The survey is “%(state)s”; that step is not possible now.")
            % {"state": survey.get_state_display()},
            None,
            ErrorCode.WRONG_STATE,
        )
    if step == "publish":
        _check_closing(survey.closes_at, now)
        if not survey.questions.exists():
            raise _fail(_("A survey needs at least one question."), "questions", ErrorCode.NO_QUESTION)
        survey.published_at = now
    elif step == "close":
        survey.closed_at = now
    else:
        survey.archived_at = now
    survey.state = after
    survey.save(update_fields=["state", "published_at", "closed_at", "archived_at"])
    audit_record(actor=actor, action=action, target=survey)
    return survey


@write_service
def survey_close_due(*, now: datetime | None = None) -> int:
    """Close the open surveys whose closing time has passed (run by the periodic sweep)."""
    moment = now or timezone.now()
    due = list(Survey.objects.select_for_update().filter(state=SurveyState.OPEN, closes_at__lte=moment))
    for survey in due:
        survey.state = SurveyState.CLOSED
        survey.closed_at = moment
        survey.save(update_fields=["state", "closed_at"])
        audit_record(actor=None, action=AuditAction.SURVEY_CLOSE, target=survey, actor_username="system")
    return len(due)


@write_service
def survey_delete(*, actor: User, survey_id: int) -> None:
    """Delete a draft; a survey that has answers is never deleted, only closed and archived."""
    survey = _survey_for_update(actor, survey_id)
    if survey.responses.exists():
        raise _fail(
            _("A survey with answers is never deleted; close and archive it instead."),
            None,
            ErrorCode.HAS_ANSWERS,
        )
    if survey.state != SurveyState.DRAFT:
        raise _fail(_("Only a draft can be deleted."), None, ErrorCode.WRONG_STATE)
    audit_record(actor=actor, action=AuditAction.SURVEY_DELETE, target=survey)
    Option.objects.filter(question__survey=survey).delete()
    Question.objects.filter(survey=survey).delete()
    survey.delete()


# ---------------------------------------------------------------------------------------------
# Surveys: answering (anonymous)


@write_service
def survey_answer(*, survey: Survey, answers: dict[int, Any], submission_key: str) -> tuple[Response, bool]:
    """Record one anonymous answer sheet; returns it and whether it was created now.

    `answers` maps a question's id to an option id (single), a list of option ids (multiple), a
    level 1–5 (scale) or text. A repeated `submission_key` returns the first sheet. Runs inside the
    caller's transaction (the portal counts its limits there), in a savepoint of its own.
    """
    key = (submission_key or "").strip()[:80]
    if not key:
        raise _fail(_("The form has expired; open the survey again."), None, CommonError.REQUIRED)
    existing = Response.objects.filter(submission_key=key, survey=survey).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    if not survey.accepts_answers(now):
        raise _fail(_("This survey is closed and takes no more answers."), None, ErrorCode.SURVEY_NOT_OPEN)
    rows: list[Answer] = []
    questions = list(survey.questions.prefetch_related("options"))
    for question in questions:
        rows.extend(_answer_rows(question, answers.get(question.pk)))
    if not rows:
        raise _fail(_("Answer at least one question."), None, CommonError.EMPTY)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, unit_path=survey.unit_path, submission_key=key, submitted_at=now
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        twin = Response.objects.filter(submission_key=key, survey=survey).first()
        if twin is None:
            raise
        return twin, False
    return response, True


def _answer_rows(question: Question, raw: Any) -> list[Answer]:
    field = f"q{question.pk}"
    missing = raw is None or raw == "" or raw == []
    if missing:
        if question.required:
            raise _fail(_("This question needs an answer."), field, CommonError.REQUIRED)
        return []
    options = {o.pk: o for o in question.options.all()}
    try:
        if question.kind == QuestionKind.SINGLE:
            return [Answer(question=question, option=options[int(raw)])]
        if question.kind == QuestionKind.MULTIPLE:
            chosen = sorted({int(v) for v in (raw if isinstance(raw, list | tuple) else [raw])})
            return [Answer(question=question, option=options[pk]) for pk in chosen]
        if question.kind == QuestionKind.SCALE:
            value = int(raw)
            if value not in (1, 2, 3, 4, 5):
                raise ValueError(value)
            return [Answer(question=question, value=value)]
    except (KeyError, ValueError, TypeError) as exc:
        raise _fail(_("Choose one of the answers offered."), field) from exc
    text = str(raw).strip()
    if len(text) > 1000:
        raise _fail(_("An answer is at most 1,000 characters."), field, CommonError.TOO_LONG)
    return [Answer(question=question, text=text)] if text else []


@write_service
def survey_export_logged(*, actor: User, survey: Survey, rows: int) -> None:
    """The audit row of an export of every answer (the file itself is made by `exports`)."""
    audit_record(actor=actor, action=AuditAction.SURVEY_EXPORT, target=survey, detail={"rows": rows})
