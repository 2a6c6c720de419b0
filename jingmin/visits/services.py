"""Every change to visits, their follow-ups, visit plans and district outlines.

One function per write. Each checks the capability and the scope (a household, person or visit
outside it is a 404, as for appeals), validates everything before it writes anything, changes the
rows in one transaction, appends the visit's event and writes the audit row last.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.appeals.models import AppealType, Category, Channel
from jingmin.appeals.services import AppealInput, appeal_register
from jingmin.audit.services import audit_record
from jingmin.core import hooks
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.uploads import check_upload, store_upload
from jingmin.core.writes import write_service
from jingmin.ledger import selectors as ledger
from jingmin.ledger.models import Household, Organisation, Person
from jingmin.metrics import rollup
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.visits import tallies
from jingmin.visits.codes import AuditAction
from jingmin.visits.coverage import counting_visits
from jingmin.visits.models import (
    DistrictOutline,
    EventAction,
    FollowUpKind,
    HouseholdCover,
    ItemKind,
    Visit,
    VisitAmendment,
    VisitEvent,
    VisitFollowUp,
    VisitItem,
    VisitKind,
    VisitPhoto,
    VisitPlan,
)
from jingmin.visits.selectors import current_months, visit_scope

SUMMARY_MAX = 5000
TEXT_MAX = 2000
MAX_ACCURACY_M = 100_000
PLAN_MONTHS_RANGE = (1, 36)
# A device's clock runs a little ahead now and then; a visit "a minute from now" is not refused.
CLOCK_SKEW = timedelta(minutes=1)


def _fail(message: str, field: str, code: str = CommonError.INVALID) -> ServiceError:
    return ServiceError(message, code=code, field=field)


def _require(actor: User, cap: Cap) -> None:
    if not can(actor, cap):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Recording a visit


@dataclass(frozen=True)
class ItemInput:
    """One piece of the family's news (大事小情)."""

    kind: str
    text: str
    person: int | None = None


@dataclass(frozen=True)
class FollowUpInput:
    """What must follow: a task for the officer (due on a day) or an appeal registered now."""

    kind: str
    text: str
    due_on: date | None = None
    appeal_type: str = AppealType.HELP
    category: Category | None = None
    citizen_name: str = ""
    citizen_phone: str = ""


@dataclass(frozen=True)
class VisitInput:
    kind: str
    summary: str
    household: int | None = None
    person: int | None = None
    organisation: int | None = None
    visited_at: datetime | None = None
    latitude: Any = None
    longitude: Any = None
    accuracy: Any = None
    items: Sequence[ItemInput] = ()
    follow_ups: Sequence[FollowUpInput] = ()


@dataclass(frozen=True)
class _Targets:
    household: Household | None
    person: Person | None
    organisation: Organisation | None
    district: Unit


def _targets(actor: User, data: VisitInput) -> _Targets:
    if data.household is None and data.person is None and data.organisation is None:
        raise _fail(
            _("Choose the household, person or organisation that was visited."),
            "household",
            CommonError.REQUIRED,
        )
    # The ledger's own scoped reads: a record outside the actor's district is a 404.
    household = ledger.household_get(actor, data.household) if data.household is not None else None
    person = ledger.person_get(actor, data.person, audit=False) if data.person is not None else None
    organisation = (
        ledger.organisation_get(actor, data.organisation) if data.organisation is not None else None
    )
    if household is not None and not household.is_active:
        raise _fail(_("This household is no longer active in the ledger."), "household")
    if person is not None and not person.is_active:
        raise _fail(_("This person is no longer active in the ledger."), "person")
    if organisation is not None and not organisation.is_active:
        raise _fail(_("This organisation is no longer active in the ledger."), "organisation")
    first = household or person or organisation
    assert first is not None
    district = Unit.objects.get(pk=first.district_id)
    return _Targets(household, person, organisation, district)


def _visited_at(value: datetime | None, now: datetime) -> datetime:
    visited_at = value or now
    if timezone.is_naive(visited_at):
        raise _fail(_("Give the time of the visit with its time zone."), "visited_at")
    if visited_at > now + CLOCK_SKEW:
        raise _fail(_("The time of the visit cannot be in the future."), "visited_at")
    if visited_at < now - timedelta(days=settings.VISIT_MAX_AGE_DAYS):
        raise _fail(
            _("A visit can be entered up to %(days)d days after it took place.")
            % {"days": settings.VISIT_MAX_AGE_DAYS},
            "visited_at",
        )
    return visited_at


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise _fail(_("Enter a number."), field) from exc
    if not number.is_finite():
        raise _fail(_("Enter a number."), field)
    return number.quantize(Decimal("0.000001"))


def _position(data: VisitInput) -> tuple[Decimal | None, Decimal | None, int | None]:
    latitude, longitude = _decimal(data.latitude, "latitude"), _decimal(data.longitude, "longitude")
    if (latitude is None) != (longitude is None):
        raise _fail(_("Give both latitude and longitude, or neither."), "latitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise _fail(_("The latitude must lie between -90 and 90."), "latitude")
    if longitude is not None and not -180 <= longitude <= 180:
        raise _fail(_("The longitude must lie between -180 and 180."), "longitude")
    accuracy = _decimal(data.accuracy, "accuracy")
    if accuracy is not None:
        if latitude is None:
            raise _fail(_("An accuracy belongs to a position; give the position too."), "accuracy")
        if not 0 <= accuracy <= MAX_ACCURACY_M:
            raise _fail(
                _("The accuracy is a radius from 0 to %(max)d metres.") % {"max": MAX_ACCURACY_M}, "accuracy"
            )
    return latitude, longitude, int(accuracy.to_integral_value()) if accuracy is not None else None


def _summary(text: str, field: str = "summary") -> str:
    summary = (text or "").strip()
    if not summary:
        raise _fail(
            _("Write down what the visit was about and what was learned."), field, CommonError.REQUIRED
        )
    if len(summary) > SUMMARY_MAX:
        raise _fail(_("The summary is at most 5,000 characters."), field)
    return summary


def _items(actor: User, items: Sequence[ItemInput], prefix: str = "items") -> list[VisitItem]:
    rows: list[VisitItem] = []
    for i, item in enumerate(items):
        if item.kind not in ItemKind.values:
            raise _fail(_("Choose what kind of news this is."), f"{prefix}.{i}.kind")
        text = (item.text or "").strip()
        if not text:
            raise _fail(_("Say what was learned."), f"{prefix}.{i}.text", CommonError.REQUIRED)
        if len(text) > TEXT_MAX:
            raise _fail(_("At most 2,000 characters."), f"{prefix}.{i}.text")
        person = None
        if item.person is not None:
            try:
                person = ledger.person_get(actor, item.person, audit=False)
            except Http404 as exc:
                raise _fail(_("No such person in your scope."), f"{prefix}.{i}.person") from exc
        rows.append(VisitItem(kind=item.kind, text=text, person=person))
    return rows


@dataclass(frozen=True)
class _CheckedFollowUp:
    data: FollowUpInput
    text: str


def _follow_ups(follow_ups: Sequence[FollowUpInput], today: date) -> list[_CheckedFollowUp]:
    checked: list[_CheckedFollowUp] = []
    for i, f in enumerate(follow_ups):
        field = f"follow_ups.{i}"
        if f.kind not in FollowUpKind.values:
            raise _fail(_("Choose a task for you or an appeal."), f"{field}.kind")
        text = (f.text or "").strip()
        if not text:
            raise _fail(_("Say what must follow."), f"{field}.text", CommonError.REQUIRED)
        if len(text) > TEXT_MAX:
            raise _fail(_("At most 2,000 characters."), f"{field}.text")
        if f.kind == FollowUpKind.TASK:
            if f.due_on is None:
                raise _fail(_("Give the day the task is due."), f"{field}.due_on", CommonError.REQUIRED)
            if f.due_on < today:
                raise _fail(_("The task cannot be due in the past."), f"{field}.due_on")
        else:
            if f.appeal_type not in AppealType.values:
                raise _fail(_("Choose the type of appeal."), f"{field}.appeal_type")
            if f.category is None or f.category.parent_id is None or not f.category.is_active:
                raise _fail(_("Choose an active category of the second level."), f"{field}.category")
        checked.append(_CheckedFollowUp(f, text))
    return checked


def _check_photos(photos: Sequence[UploadedFile], field: str = "photos") -> list[Any]:
    """The appeal attachments' own check (size; the bytes decide the type), then images only."""
    if len(photos) > settings.VISIT_PHOTO_MAX_FILES:
        raise _fail(
            _("At most %(count)d photos.") % {"count": settings.VISIT_PHOTO_MAX_FILES},
            field,
            CommonError.TOO_MANY_FILES,
        )
    checked = []
    for upload in photos:
        try:
            one = check_upload(upload)
        except ServiceError as exc:
            exc.field = field
            raise
        if not one.content_type.startswith("image/"):
            raise _fail(
                _("The file %(name)s is not a photo (JPEG, PNG, GIF, WebP).") % {"name": upload.name or ""},
                field,
                CommonError.FILE_TYPE,
            )
        checked.append(one)
    return checked


def _store_photo(
    visit: Visit, amendment: VisitAmendment | None, checked: Any, actor: User, now: datetime
) -> None:
    store_upload(
        VisitPhoto, checked, actor=actor, now=now, fallback_name="photo", visit=visit, amendment=amendment
    )


def _event(visit: Visit, action: str, actor: User, now: datetime, data: dict[str, Any] | None = None) -> None:
    seq = (VisitEvent.objects.filter(visit=visit).aggregate(m=Max("seq"))["m"] or 0) + 1
    VisitEvent.objects.create(
        visit=visit,
        seq=seq,
        action=action,
        at=now,
        actor=actor,
        actor_name=actor.full_name[:50],
        data=data or {},
    )


def _place(targets: _Targets) -> tuple[str, Any, Any]:
    """The address and position an appeal raised on the visit is about."""
    address = None
    if targets.household is not None:
        address = targets.household.house.address
    elif targets.organisation is not None:
        address = targets.organisation.address
    elif targets.person is not None and targets.person.house_id is not None:
        address = targets.person.house.address if targets.person.house else None
    if address is None:
        return "", None, None
    return (address.full_name or address.name)[:200], address.latitude, address.longitude


def _appeal_title(text: str) -> str:
    line = text.splitlines()[0].strip() if text.strip() else text
    return line[:60]


def _register_appeal(
    actor: User, visit: Visit, targets: _Targets, index: int, checked: _CheckedFollowUp, key: str
) -> VisitFollowUp:
    f = checked.data
    address, latitude, longitude = _place(targets)
    # Received when the family said it: the appeal's clocks run from the visit.
    data = AppealInput(
        channel=Channel.VISIT,
        type=f.appeal_type,
        category=f.category,
        title=_appeal_title(checked.text),
        content=checked.text,
        address=address,
        latitude=latitude,
        longitude=longitude,
        district=targets.district,
        citizen_name=f.citizen_name,
        citizen_phone=f.citizen_phone,
        received_at=visit.visited_at,
    )
    try:
        appeal, _created = appeal_register(actor=actor, data=data, submission_key=f"{key}:appeal:{index}")
    except ServiceError as exc:
        names = {"citizen_name": "citizen_name", "citizen_phone": "citizen_phone", "category": "category"}
        exc.field = f"follow_ups.{index}.{names.get(exc.field or '', 'text')}"
        raise
    return VisitFollowUp.objects.create(
        visit=visit,
        kind=FollowUpKind.APPEAL,
        text=checked.text,
        officer=actor,
        district_path=visit.district_path,
        appeal=appeal,
        created_at=visit.created_at,
    )


@write_service
def visit_record(
    *,
    actor: User,
    data: VisitInput,
    submission_key: str | None = None,
    photos: Sequence[UploadedFile] = (),
) -> tuple[Visit, bool]:
    """Record a visit with its news, photos and follow-ups; returns it and whether it is new.

    A repeated `submission_key` (the same form sent twice) returns the first visit.
    """
    _require(actor, Cap.VISIT_RECORD)
    if submission_key:
        existing = Visit.objects.filter(submission_key=submission_key, officer=actor).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    if data.kind not in VisitKind.values:
        raise _fail(_("Choose the kind of visit."), "kind")
    targets = _targets(actor, data)
    visited_at = _visited_at(data.visited_at, now)
    latitude, longitude, accuracy = _position(data)
    summary = _summary(data.summary)
    items = _items(actor, data.items)
    follow_ups = _follow_ups(data.follow_ups, timezone.localdate(now))
    checked_photos = _check_photos(photos)
    key = submission_key or ""
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                submission_key=submission_key or None,
                kind=data.kind,
                household=targets.household,
                person=targets.person,
                organisation=targets.organisation,
                officer=actor,
                unit=actor.unit,
                district=targets.district,
                district_path=targets.district.path,
                visited_at=visited_at,
                latitude=latitude,
                longitude=longitude,
                accuracy=accuracy,
                summary=summary,
                created_at=now,
            )
            if visit.household_id is not None and not visit.restricted:
                _cover_raise(visit.household_id, visit.visited_at)
            rollup.apply(Counter(), tallies.visit_facts(visit.pk))
            for item in items:
                item.visit = visit
                item.created_at = now
            VisitItem.objects.bulk_create(items)
            appeals: list[int] = []
            for i, checked in enumerate(follow_ups):
                if checked.data.kind == FollowUpKind.TASK:
                    VisitFollowUp.objects.create(
                        visit=visit,
                        kind=FollowUpKind.TASK,
                        text=checked.text,
                        officer=actor,
                        district_path=visit.district_path,
                        due_on=checked.data.due_on,
                        created_at=now,
                    )
                else:
                    row = _register_appeal(actor, visit, targets, i, checked, key or f"visit-{visit.pk}")
                    appeals.append(row.appeal_id or 0)
            # Files last: a follow-up the appeal service refuses leaves none behind.
            for checked_photo in checked_photos:
                _store_photo(visit, None, checked_photo, actor, now)
            detail = {
                "kind": visit.kind,
                "items": [i.kind for i in items],
                "tasks": sum(1 for f in follow_ups if f.data.kind == FollowUpKind.TASK),
                "appeals": appeals,
                "photos": len(checked_photos),
            }
            _event(visit, EventAction.RECORD, actor, now, detail)
            # Early warning reads the visit's notes and news (risk words, hardship) once committed.
            hooks.written("visit", visit.pk)
            audit_record(actor=actor, action=AuditAction.VISIT_RECORD, target=visit, detail=detail)
    except IntegrityError:
        # The same form sent twice at once: the other request won and is the answer.
        if submission_key:
            existing = Visit.objects.filter(submission_key=submission_key, officer=actor).first()
            if existing is not None:
                return existing, False
        raise
    return visit, True


# ---------------------------------------------------------------------------------------------
# The latest counting visit of each household (coverage reads it)


def _lock_household(household_id: int) -> None:
    # Two visits to one household recorded at once are applied one after the other.
    Household.objects.select_for_update().filter(pk=household_id).values_list("pk", flat=True).first()


def _cover_raise(household_id: int, visited_at: datetime) -> None:
    _lock_household(household_id)
    cover = HouseholdCover.objects.filter(pk=household_id).first()
    if cover is None:
        HouseholdCover.objects.create(household_id=household_id, visited_at=visited_at)
    elif cover.visited_at < visited_at:
        # A visit entered late (it took place days ago) leaves a later one in place.
        cover.visited_at = visited_at
        cover.save(update_fields=["visited_at"])


def _cover_recompute(household_id: int) -> None:
    _lock_household(household_id)
    latest = counting_visits().filter(household_id=household_id).aggregate(m=Max("visited_at"))["m"]
    if latest is None:
        HouseholdCover.objects.filter(pk=household_id).delete()
    else:
        HouseholdCover.objects.update_or_create(household_id=household_id, defaults={"visited_at": latest})


@write_service
def household_covers_rebuild() -> int:
    """Derive every household's latest counting visit from the visits again (after a bulk load,
    or to check the kept values), in one INSERT ... SELECT; returns how many households have one."""
    latest = counting_visits().values("household_id").annotate(m=Max("visited_at")).order_by()
    select, params = latest.query.sql_with_params()
    table = connection.ops.quote_name(HouseholdCover._meta.db_table)
    HouseholdCover.objects.all().delete()
    with connection.cursor() as cursor:
        # The table and column names come from the model; every value travels as a parameter.
        cursor.execute(f"INSERT INTO {table} (household_id, visited_at) {select}", params)
    return HouseholdCover.objects.count()


# ---------------------------------------------------------------------------------------------
# Corrections


def _lock_visit(actor: User, visit_id: int) -> Visit:
    visible = visit_scope(actor).filter(pk=visit_id).values_list("pk", flat=True).first()
    if visible is None:
        raise Http404
    return Visit.objects.select_for_update().get(pk=visible)


def may_amend(actor: User, visit: Visit) -> bool:
    """The officer who recorded the visit, or a chief above it, corrects it."""
    return can(actor, Cap.VISIT_RECORD) and (visit.officer_id == actor.pk or can(actor, Cap.VISIT_PLAN))


@write_service
def visit_amend(
    *,
    actor: User,
    visit_id: int,
    reason: str,
    summary: str = "",
    withdraw: bool = False,
    items: Sequence[ItemInput] = (),
    photos: Sequence[UploadedFile] = (),
) -> VisitAmendment:
    """Append a correction: a corrected summary, more news or photos, or the withdrawal of a visit
    recorded in error (it then no longer counts for coverage). Nothing of the visit is overwritten."""
    _require(actor, Cap.VISIT_RECORD)
    reason = (reason or "").strip()
    if not reason:
        raise _fail(_("Say why the visit is corrected."), "reason", CommonError.REQUIRED)
    if len(reason) > TEXT_MAX:
        raise _fail(_("At most 2,000 characters."), "reason")
    corrected = _summary(summary) if (summary or "").strip() else ""
    new_items = _items(actor, items)
    checked_photos = _check_photos(photos)
    visit = _lock_visit(actor, visit_id)
    if not may_amend(actor, visit):
        raise PermissionDenied
    if visit.withdrawn:
        raise _fail(_("This visit was withdrawn; record a new one instead."), "reason", CommonError.WITHDRAWN)
    latest = visit.amendments.exclude(summary="").order_by("-seq").first()
    current = latest.summary if latest is not None else visit.summary
    if corrected == current:
        corrected = ""
    if not (corrected or withdraw or new_items or checked_photos):
        raise _fail(_("Nothing to amend: correct the summary, add news or photos, or withdraw."), "summary")
    now = timezone.now()
    seq = (visit.amendments.aggregate(m=Max("seq"))["m"] or 0) + 1
    amendment = VisitAmendment.objects.create(
        visit=visit, seq=seq, at=now, actor=actor, summary=corrected, withdraw=withdraw, reason=reason
    )
    for item in new_items:
        item.visit, item.amendment, item.created_at = visit, amendment, now
    VisitItem.objects.bulk_create(new_items)
    for checked_photo in checked_photos:
        _store_photo(visit, amendment, checked_photo, actor, now)
    if withdraw:
        before = tallies.visit_facts(visit.pk)
        visit.withdrawn = True
        visit.save(update_fields=["withdrawn"])
        rollup.apply(before, tallies.visit_facts(visit.pk))
        if visit.household_id is not None:
            _cover_recompute(visit.household_id)
    detail = {
        "amendment": seq,
        "summary": bool(corrected),
        "items": [i.kind for i in new_items],
        "photos": len(checked_photos),
        "withdraw": withdraw,
    }
    _event(visit, EventAction.WITHDRAW if withdraw else EventAction.AMEND, actor, now, detail)
    hooks.written("visit", visit.pk)
    audit_record(
        actor=actor,
        action=AuditAction.VISIT_WITHDRAW if withdraw else AuditAction.VISIT_AMEND,
        target=visit,
        detail=detail,
    )
    return amendment


# ---------------------------------------------------------------------------------------------
# Tasks


@write_service
def followup_done(*, actor: User, follow_up_id: int, done: bool = True) -> VisitFollowUp:
    """Tick a task off the officer's list, or back on; ticking twice changes nothing."""
    _require(actor, Cap.VISIT_RECORD)
    row = (
        Scope.of(actor)
        .filter(VisitFollowUp.objects.select_for_update(), "district_path")
        .filter(pk=follow_up_id, kind=FollowUpKind.TASK)
        .first()
    )
    if row is None or not visit_scope(actor).filter(pk=row.visit_id).exists():
        raise Http404
    if row.officer_id != actor.pk and not can(actor, Cap.VISIT_PLAN):
        raise PermissionDenied
    if (row.done_at is not None) == done:
        return row
    now = timezone.now()
    row.done_at, row.done_by = (now, actor) if done else (None, None)
    row.save(update_fields=["done_at", "done_by"])
    visit = Visit.objects.get(pk=row.visit_id)
    _event(visit, EventAction.TASK_DONE if done else EventAction.TASK_UNDONE, actor, now, {"task": row.pk})
    audit_record(
        actor=actor,
        action=AuditAction.TASK_DONE if done else AuditAction.TASK_UNDONE,
        target=visit,
        detail={"task": row.pk},
    )
    return row


# ---------------------------------------------------------------------------------------------
# Plans and outlines


def _district_in_scope(actor: User, district_id: int | None) -> Unit:
    district = (
        Scope.of(actor).units().filter(pk=district_id, kind=UnitKind.DISTRICT).first()
        if district_id is not None
        else None
    )
    if district is None:
        raise Http404
    return district


@write_service
def plan_set(*, actor: User, district_id: int, months: Any) -> VisitPlan | None:
    """Set how often every household of the district is to be visited. The plan in force changes
    from now: coverage is counted over the new window at once. Returns the new row, or None when
    the plan already said so."""
    _require(actor, Cap.VISIT_PLAN)
    district = _district_in_scope(actor, district_id)
    low, high = PLAN_MONTHS_RANGE
    if isinstance(months, bool) or not isinstance(months, int) or not low <= months <= high:
        raise _fail(
            _("Give a whole number of months from %(low)d to %(high)d.") % {"low": low, "high": high},
            "months",
        )
    # The district row serialises two chiefs saving at once.
    Unit.objects.select_for_update().filter(pk=district.pk).first()
    before = current_months([district.pk])[district.pk]
    if before == months:
        return None
    plan = VisitPlan.objects.create(district=district, months=months, set_at=timezone.now(), set_by=actor)
    audit_record(
        actor=actor, action=AuditAction.PLAN_SET, target=district, detail={"months": [before, months]}
    )
    return plan


def _ring(ring: Any) -> bool:
    if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
        return False
    for point in ring:
        if not (isinstance(point, list) and len(point) >= 2):
            return False
        lon, lat = point[0], point[1]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
            return False
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return False
    return True


def outline_valid(geometry: Any) -> bool:
    """A GeoJSON Polygon or MultiPolygon with closed rings of (longitude, latitude)."""
    if not isinstance(geometry, dict):
        return False
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return isinstance(coordinates, list) and bool(coordinates) and all(_ring(r) for r in coordinates)
    if kind == "MultiPolygon":
        return (
            isinstance(coordinates, list)
            and bool(coordinates)
            and all(isinstance(p, list) and p and all(_ring(r) for r in p) for p in coordinates)
        )
    return False


@write_service
def outline_set(*, actor: User, district_id: int, geometry: Any) -> DistrictOutline:
    """Draw a police district's outline on the coverage map."""
    _require(actor, Cap.VISIT_PLAN)
    district = _district_in_scope(actor, district_id)
    if not outline_valid(geometry):
        raise _fail(
            _("Give a GeoJSON Polygon or MultiPolygon: closed rings of [longitude, latitude] pairs."),
            "geometry",
        )
    outline, created = DistrictOutline.objects.select_for_update().get_or_create(
        district=district, defaults={"geometry": geometry}
    )
    if not created:
        outline.geometry = geometry
        outline.updated_at = timezone.now()
        outline.save(update_fields=["geometry", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.OUTLINE_SET,
        target=district,
        detail={"type": geometry["type"], "created": created},
    )
    return outline
