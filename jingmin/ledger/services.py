"""Every change to the ledger.

One function per change. Each is atomic: it checks the actor's capability and scope (a record
outside the scope is a 404, as for reads), validates the input (a refusal is a `ServiceError`
naming the field), changes the row, appends a `LedgerChange` row with what changed (identifiers
masked) and writes the audit row last. Persons are never deleted: they leave by deactivation.

History is an append-only change table rather than revision copies of each row: one table serves
all five record types, a record's timeline is one indexed read, and what an edit changed is
stored as such instead of being recomputed from two copies; the copies would also have had to
hold every encrypted identifier again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.crypto import lookup_hash, mask
from jingmin.core.errors import ServiceError
from jingmin.core.search import index_text
from jingmin.core.writes import write_service
from jingmin.ledger.bulk import reserve_ids
from jingmin.ledger.codes import AuditAction, ErrorCode, record_action
from jingmin.ledger.identifiers import (
    normalise_credit_code,
    normalise_id_number,
    normalise_phone,
    parse_id_number,
)
from jingmin.ledger.models import (
    ADDRESS_KIND_ORDER,
    Address,
    AddressKind,
    ChangeAction,
    ChangeSource,
    House,
    Household,
    HouseUse,
    ImportRun,
    LeaveReason,
    LedgerChange,
    Organisation,
    OrganisationKind,
    Person,
    PersonTag,
    RecordType,
    Relation,
    Residence,
    Sex,
    Tag,
)
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope, chain_q, subtree_q, widened

M = TypeVar("M", bound=models.Model)

# Identifiers are never written to the history in clear.
SENSITIVE_FIELDS = frozenset({"id_number", "phone", "owner_phone", "contact_phone"})
ADDRESS_SEGMENT = 11  # "0000000001/": Address.path_segment
# The codes of each choice list, computed once (Django builds `Choices.values` anew on each use).
VALUES: dict[type, frozenset[str]] = {
    enum: frozenset(enum.values)
    for enum in (AddressKind, HouseUse, Sex, Residence, Relation, LeaveReason, OrganisationKind)
}
# Kinds of address that can be the door of a house or of an organisation.
DOOR_KINDS = frozenset(set(AddressKind) - {AddressKind.DIVISION, AddressKind.ROAD})


# ---------------------------------------------------------------------------------------------
# History


def masked_value(name: str, value: Any) -> Any:
    if name in SENSITIVE_FIELDS and value:
        return mask(str(value), keep_start=4, keep_end=4) if name == "id_number" else mask(str(value))
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, f"{name}_id" if _is_fk(obj, name) else name) for name in names}


def _is_fk(obj: models.Model, name: str) -> bool:
    try:
        return obj._meta.get_field(name).many_to_one is True
    except FieldDoesNotExist:
        return False


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} of what changed, identifiers masked."""
    out: dict[str, list[Any]] = {}
    empty: tuple[Any, ...] = (None, "", [])
    for name, new in after.items():
        old = before.get(name)
        if _plain(old) in empty and _plain(new) in empty:
            continue
        if _plain(old) != _plain(new):
            out[name] = [masked_value(name, old), masked_value(name, new)]
    return out


@write_service
def change_append(
    *,
    actor: User | None,
    record_type: str,
    record: models.Model,
    action: str,
    changes: dict[str, list[Any]],
    district_path: str,
    source: str = ChangeSource.FORM,
    import_run: ImportRun | None = None,
    submission_key: str | None = None,
    at: datetime | None = None,
) -> LedgerChange:
    return LedgerChange.objects.create(
        record_type=record_type,
        record_id=record.pk,
        action=action,
        source=source,
        at=at or timezone.now(),
        actor=actor,
        actor_name=actor.full_name if actor is not None else "",
        changes=changes,
        district_path=district_path,
        import_run=import_run,
        submission_key=submission_key or None,
    )


def _replayed(model: type[M], record_type: str, submission_key: str | None) -> M | None:
    """The record a first submission with this key created, if it did."""
    if not submission_key:
        return None
    change = LedgerChange.objects.filter(submission_key=submission_key, record_type=record_type).first()
    return model._default_manager.filter(pk=change.record_id).first() if change else None


def _log_update(
    actor: User,
    record_type: str,
    record: models.Model,
    changes: dict[str, list[Any]],
    *,
    action: str,
    then: Callable[[], None] | None = None,
) -> None:
    """An edit's history row, what follows from it (`then`, with history rows of its own) and,
    last, its audit row naming the fields it changed."""
    change_append(
        actor=actor,
        record_type=record_type,
        record=record,
        action=action,
        changes=changes,
        district_path=record.district_path,  # type: ignore[attr-defined]
    )
    if then is not None:
        then()
    audit_record(
        actor=actor,
        action=record_action(record_type, "update"),
        target=record,
        detail={"fields": sorted(changes)},
    )


def _create_once(
    model: type[M],
    record_type: str,
    *,
    actor: User | None,
    submission_key: str | None,
    duplicate: ServiceError,
    insert: Callable[[], M],
    changes: Callable[[M], dict[str, list[Any]]],
    source: str = ChangeSource.FORM,
    then: Callable[[M], None] | None = None,
) -> M:
    """Create a record with its history row and its audit row, all or nothing.

    The callers check for duplicates first, for a clear message; the database's unique
    constraints catch what slips between that check and the insert. When they do, a concurrent
    submission with the same key (a double tap, a retried request) has created the record: that
    record is the answer. Any other collision is `duplicate`."""
    try:
        with transaction.atomic():
            record = insert()
            change_append(
                actor=actor,
                record_type=record_type,
                record=record,
                action=ChangeAction.CREATE,
                changes=changes(record),
                district_path=record.district_path,  # type: ignore[attr-defined]
                source=source,
                submission_key=submission_key,
            )
            if then is not None:
                then(record)
            audit_record(
                actor=actor,
                actor_username="system",
                action=record_action(record_type, "create"),
                target=record,
            )
    except IntegrityError as exc:
        replay = _replayed(model, record_type, submission_key)
        if replay is not None:
            return replay
        raise duplicate from exc
    return record


# ---------------------------------------------------------------------------------------------
# Scope


def _require_edit(actor: User, district_path: str) -> None:
    if not can(actor, Cap.LEDGER_EDIT):
        raise PermissionDenied
    if not Scope.of(actor).contains(district_path):
        raise Http404


def _lock_for_edit(actor: User, model: type[M], pk: int) -> M:
    """The record, locked for the rest of the transaction, if it exists and the actor may edit it."""
    record = model._default_manager.select_for_update().filter(pk=pk).first()
    if record is None:
        raise Http404
    _require_edit(actor, record.district_path)  # type: ignore[attr-defined]
    return record


def _check_district(actor: User | None, district: Unit | None, *, field_name: str = "district") -> Unit:
    if district is None:
        raise ServiceError(
            _("Choose the police district responsible."), code=CommonError.REQUIRED, field=field_name
        )
    if district.kind != UnitKind.DISTRICT or not district.is_active:
        raise ServiceError(_("Choose an active police district."), code=CommonError.INVALID, field=field_name)
    if actor is not None and not Scope.of(actor).contains(district):
        raise ServiceError(
            _("Choose a police district within your unit."), code=CommonError.OUT_OF_SCOPE, field=field_name
        )
    return district


@write_service
def widen_ancestors(parent: Address | None, district_path: str) -> None:
    """A node above districts covers every district beneath it: its district_path becomes the
    common prefix, and it no longer names one district once it spans two."""
    if parent is None:
        return
    chain = Address.objects.select_for_update().filter(chain_q("path", parent.path, segment=ADDRESS_SEGMENT))
    for node in chain:
        common = widened(node.district_path, district_path)
        if common is not None:
            Address.objects.filter(pk=node.pk).update(district_path=common, district=None)


# ---------------------------------------------------------------------------------------------
# Addresses


@dataclass(frozen=True)
class AddressInput:
    kind: str
    name: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _check_position(latitude: Any, longitude: Any) -> None:
    if (latitude is None) != (longitude is None):
        raise ServiceError(_("Give both latitude and longitude, or neither."), field="latitude")
    if latitude is not None and not (-90 <= float(latitude) <= 90):
        raise ServiceError(_("The latitude must lie between -90 and 90."), field="latitude")
    if longitude is not None and not (-180 <= float(longitude) <= 180):
        raise ServiceError(_("The longitude must lie between -180 and 180."), field="longitude")


def check_address_name(name: str, *, field_name: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_("The name is required."), code=CommonError.REQUIRED, field=field_name)
    if len(name) > 60:
        raise ServiceError(_("The name is at most 60 characters."), field=field_name)
    return name


def check_address_kind(kind: str, parent_kind: str | None, *, field_name: str = "kind") -> None:
    if kind not in VALUES[AddressKind]:
        raise ServiceError(_("Choose the kind of address."), field=field_name)
    if parent_kind is None:
        return
    if kind == AddressKind.DIVISION and parent_kind == AddressKind.DIVISION:
        return
    if ADDRESS_KIND_ORDER[kind] <= ADDRESS_KIND_ORDER[parent_kind]:
        raise ServiceError(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": AddressKind(kind).label, "parent": AddressKind(parent_kind).label},
            code=CommonError.BAD_PARENT,
            field=field_name,
        )


@write_service
def address_create(
    *,
    actor: User | None,
    parent: Address | None,
    data: AddressInput,
    district: Unit | None = None,
    submission_key: str | None = None,
    source: str = ChangeSource.FORM,
) -> Address:
    """Add a node to the standard address tree. It belongs to `district`, or to its parent's."""
    if actor is not None and not can(actor, Cap.LEDGER_EDIT):
        raise PermissionDenied
    replay = _replayed(Address, RecordType.ADDRESS, submission_key)
    if replay is not None:
        return replay
    name = check_address_name(data.name)
    check_address_kind(data.kind, parent.kind if parent else None)
    _check_position(data.latitude, data.longitude)
    district = _check_district(actor, district or (parent.district if parent else None))
    duplicate = ServiceError(
        _("This address is already in the ledger."), code=CommonError.DUPLICATE, field="name"
    )
    if (
        Address.objects.filter(parent=parent, kind=data.kind, name=name).exists()
        if parent
        else Address.objects.filter(parent__isnull=True, kind=data.kind, name=name).exists()
    ):
        raise duplicate
    return _create_once(
        Address,
        RecordType.ADDRESS,
        actor=actor,
        submission_key=submission_key,
        duplicate=duplicate,
        insert=lambda: _address_insert(parent, data.kind, name, district, data.latitude, data.longitude),
        changes=lambda node: diff({}, {"name": name, "kind": data.kind, "district": district.pk}),
        source=source,
    )


def _address_insert(
    parent: Address | None,
    kind: str,
    name: str,
    district: Unit,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Address:
    full_name = (parent.full_name if parent else "") + name
    # The path ends with the node's own id, taken first so that one insert writes the row whole.
    pk = reserve_ids(Address, 1)[0]
    node = Address.objects.create(
        pk=pk,
        parent=parent,
        kind=kind,
        name=name,
        full_name=full_name[:300],
        path=(parent.path if parent else "") + Address.path_segment(pk),
        depth=parent.depth + 1 if parent else 0,
        district=district,
        district_path=district.path,
        latitude=latitude,
        longitude=longitude,
        search_tokens=index_text(full_name),
    )
    widen_ancestors(parent, district.path)
    return node


@write_service
def address_ensure(
    *,
    actor: User | None,
    parts: Sequence[tuple[str, str]],
    district: Unit,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    source: str = ChangeSource.FORM,
) -> Address:
    """The node at the end of a chain of (kind, name), created where missing (for scripts and
    tests that need an address without walking the forms); the last node takes the position."""
    parent: Address | None = None
    for i, (kind, raw_name) in enumerate(parts):
        name = check_address_name(raw_name)
        check_address_kind(kind, parent.kind if parent else None)
        node = Address.objects.filter(parent=parent, kind=kind, name=name).first()
        if node is None:
            last = i == len(parts) - 1
            with transaction.atomic():
                node = _address_insert(
                    parent, kind, name, district, latitude if last else None, longitude if last else None
                )
                change_append(
                    actor=actor,
                    record_type=RecordType.ADDRESS,
                    record=node,
                    action=ChangeAction.CREATE,
                    changes=diff({}, {"name": name, "kind": kind, "district": district.pk}),
                    district_path=node.district_path,
                    source=source,
                )
        elif (common := widened(node.district_path, district.path)) is not None:
            Address.objects.filter(pk=node.pk).update(district_path=common, district=None)
        parent = node
    assert parent is not None  # parts is never empty
    return parent


@write_service
def address_update(
    *,
    actor: User,
    address_id: int,
    name: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    is_active: bool,
) -> Address:
    """Rename a node (its subtree's full addresses follow), move its point, or retire it."""
    node = _lock_for_edit(actor, Address, address_id)
    name = check_address_name(name)
    _check_position(latitude, longitude)
    if name != node.name and Address.objects.filter(parent=node.parent, kind=node.kind, name=name).exists():
        raise ServiceError(
            _("This address is already in the ledger."), code=CommonError.DUPLICATE, field="name"
        )
    names = ["name", "latitude", "longitude", "is_active"]
    before = snapshot(node, names)
    node.name, node.latitude, node.longitude, node.is_active = name, latitude, longitude, is_active
    changes = diff(before, snapshot(node, names))
    if not changes:
        return node
    if "name" in changes:
        parent_full = node.full_name[: len(node.full_name) - len(before["name"])]
        old_full, node.full_name = node.full_name, (parent_full + name)[:300]
        node.search_tokens = index_text(node.full_name)
        # The subtree's full addresses begin with this node's.
        for child in (
            Address.objects.filter(subtree_q("path", node.path)).exclude(pk=node.pk).only("pk", "full_name")
        ):
            full = (node.full_name + child.full_name[len(old_full) :])[:300]
            Address.objects.filter(pk=child.pk).update(full_name=full, search_tokens=index_text(full))
    node.save()
    _log_update(actor, RecordType.ADDRESS, node, changes, action=ChangeAction.UPDATE)
    return node


# ---------------------------------------------------------------------------------------------
# Houses


@dataclass(frozen=True)
class HouseInput:
    use: str = HouseUse.RESIDENTIAL
    rented: bool = False
    owner_name: str = ""
    owner_phone: str = ""
    area: Decimal | None = None
    note: str = ""
    is_active: bool = True


HOUSE_FIELDS = ["use", "rented", "owner_name", "owner_phone", "area", "note", "is_active"]


def check_house(data: HouseInput) -> dict[str, Any]:
    if data.use not in VALUES[HouseUse]:
        raise ServiceError(_("Choose the use of the house."), field="use")
    owner_name = data.owner_name.strip()
    if len(owner_name) > 60:
        raise ServiceError(_("The owner's name is at most 60 characters."), field="owner_name")
    if data.area is not None and not (0 < data.area < 1_000_000):
        raise ServiceError(_("The floor area must be a positive number of square metres."), field="area")
    return {
        "use": data.use,
        "rented": data.rented or data.use == HouseUse.RENTED,
        "owner_name": owner_name,
        "owner_phone": normalise_phone(data.owner_phone, field="owner_phone"),
        "area": data.area,
        "note": data.note.strip(),
        "is_active": data.is_active,
    }


def _door(actor: User, address_id: int) -> tuple[Address, Unit]:
    """The address a house or organisation is registered at, and its police district."""
    address = Address.objects.select_related("district").filter(pk=address_id).first()
    if address is None:
        raise Http404
    _require_edit(actor, address.district_path)
    if address.kind not in DOOR_KINDS or address.district is None:
        raise ServiceError(
            _("Choose a door number, building or room that belongs to one police district."),
            code=ErrorCode.NOT_A_DOOR,
            field="address",
        )
    return address, address.district


@write_service
def house_create(
    *, actor: User, address_id: int, data: HouseInput, submission_key: str | None = None
) -> House:
    replay = _replayed(House, RecordType.HOUSE, submission_key)
    if replay is not None:
        return replay
    address, district = _door(actor, address_id)
    fields = check_house(data)
    duplicate = ServiceError(
        _("This address already has a house in the ledger."), code=CommonError.DUPLICATE, field="address"
    )
    if House.objects.filter(address=address).exists():
        raise duplicate
    return _create_once(
        House,
        RecordType.HOUSE,
        actor=actor,
        submission_key=submission_key,
        duplicate=duplicate,
        insert=lambda: House.objects.create(
            address=address, district=district, district_path=address.district_path, **fields
        ),
        changes=lambda house: diff({}, {"address": address.pk, **fields}),
    )


@write_service
def house_update(*, actor: User, house_id: int, data: HouseInput) -> House:
    house = _lock_for_edit(actor, House, house_id)
    fields = check_house(data)
    before = snapshot(house, HOUSE_FIELDS)
    for name, value in fields.items():
        setattr(house, name, value)
    changes = diff(before, snapshot(house, HOUSE_FIELDS))
    if not changes:
        return house
    house.updated_at = timezone.now()
    house.save()
    _log_update(actor, RecordType.HOUSE, house, changes, action=_action_for(changes))
    return house


def _action_for(changes: dict[str, list[Any]]) -> str:
    if "is_active" in changes:
        return ChangeAction.REACTIVATE if changes["is_active"][1] else ChangeAction.DEACTIVATE
    return ChangeAction.UPDATE


# ---------------------------------------------------------------------------------------------
# Households


@dataclass(frozen=True)
class HouseholdInput:
    number: str = ""
    note: str = ""
    is_active: bool = True


def _check_household(data: HouseholdInput) -> dict[str, Any]:
    number = data.number.strip()
    if len(number) > 30:
        raise ServiceError(_("The household number is at most 30 characters."), field="number")
    return {"number": number, "note": data.note.strip(), "is_active": data.is_active}


@write_service
def household_create(
    *, actor: User, house_id: int, data: HouseholdInput, submission_key: str | None = None
) -> Household:
    replay = _replayed(Household, RecordType.HOUSEHOLD, submission_key)
    if replay is not None:
        return replay
    house = House.objects.filter(pk=house_id).first()
    if house is None:
        raise Http404
    _require_edit(actor, house.district_path)
    fields = _check_household(data)
    duplicate = ServiceError(
        _("This house already has a household with this number."), code=CommonError.DUPLICATE, field="number"
    )
    if Household.objects.filter(house=house, number=fields["number"]).exists():
        raise duplicate
    return _create_once(
        Household,
        RecordType.HOUSEHOLD,
        actor=actor,
        submission_key=submission_key,
        duplicate=duplicate,
        insert=lambda: Household.objects.create(
            house=house, district_id=house.district_id, district_path=house.district_path, **fields
        ),
        changes=lambda household: diff({}, {"house": house.pk, **fields}),
    )


@write_service
def household_update(
    *, actor: User, household_id: int, data: HouseholdInput, head_id: int | None
) -> Household:
    household = _lock_for_edit(actor, Household, household_id)
    fields = _check_household(data)
    if (
        fields["number"] != household.number
        and Household.objects.filter(house_id=household.house_id, number=fields["number"]).exists()
    ):
        raise ServiceError(
            _("This house already has a household with this number."),
            code=CommonError.DUPLICATE,
            field="number",
        )
    head: Person | None = None
    if head_id is not None:
        head = Person.objects.filter(pk=head_id, household=household, is_active=True).first()
        if head is None:
            raise ServiceError(_("The head must be an active member of the household."), field="head")
    names = ["number", "note", "is_active", "head"]
    before = snapshot(household, names)
    for name, value in fields.items():
        setattr(household, name, value)
    household.head = head
    changes = diff(before, snapshot(household, names))
    if not changes:
        return household
    household.updated_at = timezone.now()
    household.save()
    _log_update(
        actor,
        RecordType.HOUSEHOLD,
        household,
        changes,
        action=_action_for(changes),
        # The chosen head's relation follows, with its own history row.
        then=(
            (lambda: _person_set(actor, head, {"relation": Relation.HEAD}))
            if head is not None and head.relation != Relation.HEAD
            else None
        ),
    )
    return household


# ---------------------------------------------------------------------------------------------
# Persons


@dataclass(frozen=True)
class PersonInput:
    name: str
    sex: str = Sex.UNKNOWN
    id_number: str = ""
    birth_date: date | None = None
    phone: str = ""
    residence: str = Residence.REGISTERED
    nationality: str = ""
    relation: str = ""
    tags: Sequence[str] = field(default_factory=tuple)  # Tag codes
    note: str = ""


PERSON_FIELDS = [
    "name",
    "sex",
    "id_number",
    "birth_date",
    "phone",
    "residence",
    "nationality",
    "relation",
    "note",
    "household",
    "house",
    "district",
]


def check_person(data: PersonInput) -> dict[str, Any]:
    """The person's fields, checked and normalised: the ID number in its 18-digit form, with the
    date of birth and sex it encodes."""
    name = " ".join(data.name.split())
    if not name:
        raise ServiceError(_("The name is required."), code=CommonError.REQUIRED, field="name")
    if len(name) > 60:
        raise ServiceError(_("The name is at most 60 characters."), field="name")
    if data.sex not in VALUES[Sex]:
        raise ServiceError(_("Choose the sex."), field="sex")
    if data.residence not in VALUES[Residence]:
        raise ServiceError(_("Choose the residence status."), field="residence")
    if data.relation and data.relation not in VALUES[Relation]:
        raise ServiceError(_("Choose the relation to the head of household."), field="relation")
    sex, birth_date = data.sex, data.birth_date
    id_number = normalise_id_number(data.id_number)
    if id_number and (data.residence != Residence.FOREIGN or len(id_number) in (15, 18)):
        parsed = parse_id_number(id_number)
        if sex != Sex.UNKNOWN and sex != parsed.sex:
            raise ServiceError(
                _("The sex does not match the ID number."), code=ErrorCode.ID_SEX_MISMATCH, field="sex"
            )
        if birth_date is not None and birth_date != parsed.birth_date:
            raise ServiceError(
                _("The date of birth does not match the ID number."),
                code=ErrorCode.ID_BIRTH_MISMATCH,
                field="birth_date",
            )
        id_number, sex, birth_date = parsed.number, parsed.sex, parsed.birth_date
    elif id_number and not (5 <= len(id_number) <= 20 and id_number.isascii() and id_number.isalnum()):
        # A foreign national's passport or permit number: letters and digits, checked no further.
        raise ServiceError(
            _("A passport or permit number has 5 to 20 letters and digits."), field="id_number"
        )
    if birth_date is not None and birth_date > timezone.localdate():
        raise ServiceError(_("The date of birth lies in the future."), field="birth_date")
    nationality = data.nationality.strip()
    if len(nationality) > 40:
        raise ServiceError(_("The nationality is at most 40 characters."), field="nationality")
    return {
        "name": name,
        "sex": sex,
        "id_number": id_number,
        "birth_date": birth_date,
        "phone": normalise_phone(data.phone),
        "residence": data.residence,
        "nationality": nationality,
        "relation": data.relation,
        "note": data.note.strip(),
    }


def _tags(codes: Sequence[str]) -> list[Tag]:
    wanted = sorted(set(codes))
    tags = list(Tag.objects.filter(code__in=wanted, is_active=True))
    if len(tags) != len(wanted):
        raise ServiceError(_("Choose care tags from the list."), field="tags")
    return tags


def _place(actor: User, household_id: int | None, house_id: int | None) -> tuple[Household | None, House]:
    household = None
    if household_id is not None:
        household = Household.objects.select_related("house").filter(pk=household_id).first()
        if household is None:
            raise Http404
        _require_edit(actor, household.district_path)
    house = household.house if household is not None and house_id is None else None
    if house_id is not None:
        house = House.objects.filter(pk=house_id).first()
        if house is None:
            raise Http404
        _require_edit(actor, house.district_path)
    if house is None:
        raise ServiceError(
            _("Choose the house where the person lives."), code=CommonError.REQUIRED, field="house"
        )
    return household, house


def _check_id_free(id_hash: str, *, exclude: int | None = None) -> None:
    if not id_hash:
        return
    others = Person.objects.filter(id_hash=id_hash, is_active=True)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ServiceError(
            _("A person with this ID number is already in the ledger."),
            code=ErrorCode.DUPLICATE_ID,
            field="id_number",
        )


def _check_head_free(household: Household | None, relation: str, *, person_id: int | None = None) -> None:
    if household is None or relation != Relation.HEAD:
        return
    if household.head_id is not None and household.head_id != person_id:
        raise ServiceError(
            _("This household already has a head: choose another one on the household's page first."),
            code=ErrorCode.HEAD_TAKEN,
            field="relation",
        )


def _claim_head(actor: User, person: Person) -> None:
    """A person entered as the head becomes the household's head (with its history row)."""
    household = person.household
    if household is None or person.relation != Relation.HEAD or household.head_id == person.pk:
        return
    change_append(
        actor=actor,
        record_type=RecordType.HOUSEHOLD,
        record=household,
        action=ChangeAction.UPDATE,
        changes={"head": [household.head_id, person.pk]},
        district_path=household.district_path,
    )
    household.head, household.updated_at = person, timezone.now()
    household.save(update_fields=["head", "updated_at"])


@write_service
def person_create(
    *,
    actor: User,
    data: PersonInput,
    household_id: int | None = None,
    house_id: int | None = None,
    submission_key: str | None = None,
) -> Person:
    """Register a person living at a house (and, usually, a member of one of its households)."""
    replay = _replayed(Person, RecordType.PERSON, submission_key)
    if replay is not None:
        return replay
    household, house = _place(actor, household_id, house_id)
    fields = check_person(data)
    tags = _tags(data.tags)
    id_hash = lookup_hash(fields["id_number"]) if fields["id_number"] else ""
    _check_id_free(id_hash)
    _check_head_free(household, fields["relation"])

    def insert() -> Person:
        person = Person.objects.create(
            **fields,
            id_hash=id_hash,
            phone_hash=lookup_hash(fields["phone"]) if fields["phone"] else "",
            household=household,
            house=house,
            district_id=house.district_id,
            district_path=house.district_path,
        )
        PersonTag.objects.bulk_create([PersonTag(person=person, tag=tag) for tag in tags])
        return person

    return _create_once(
        Person,
        RecordType.PERSON,
        actor=actor,
        submission_key=submission_key,
        duplicate=ServiceError(
            _("A person with this ID number is already in the ledger."),
            code=ErrorCode.DUPLICATE_ID,
            field="id_number",
        ),
        insert=insert,
        changes=lambda person: diff({}, {**snapshot(person, PERSON_FIELDS), "tags": [t.code for t in tags]}),
        then=lambda person: _claim_head(actor, person),
    )


@write_service
def person_update(
    *,
    actor: User,
    person_id: int,
    data: PersonInput,
    household_id: int | None = None,
    house_id: int | None = None,
) -> Person:
    """Change a person's facts, tags, household or house (moving within the actor's scope)."""
    person = _lock_for_edit(actor, Person, person_id)
    if not person.is_active:
        raise ServiceError(_("Reactivate the person before changing the record."), code=CommonError.INACTIVE)
    household, house = _place(actor, household_id, house_id)
    fields = check_person(data)
    tags = _tags(data.tags)
    id_hash = lookup_hash(fields["id_number"]) if fields["id_number"] else ""
    _check_id_free(id_hash, exclude=person.pk)
    _check_head_free(household, fields["relation"], person_id=person.pk)
    before = {
        **snapshot(person, PERSON_FIELDS),
        "tags": sorted(person.tags.values_list("code", flat=True)),
    }
    fields.update(household=household, house=house, district_id=house.district_id)
    after = _person_assign(person, fields, id_hash)
    changes = diff(before, {**after, "tags": [t.code for t in tags]})
    if not changes:
        return person
    person.save()
    if "tags" in changes:
        PersonTag.objects.filter(person=person).exclude(tag__in=tags).delete()
        PersonTag.objects.bulk_create(
            [PersonTag(person=person, tag=tag) for tag in tags], ignore_conflicts=True
        )
    _log_update(
        actor,
        RecordType.PERSON,
        person,
        changes,
        action=ChangeAction.UPDATE,
        then=lambda: _claim_head(actor, person),
    )
    return person


def _person_assign(person: Person, fields: dict[str, Any], id_hash: str) -> dict[str, Any]:
    for name, value in fields.items():
        setattr(person, name, value)
    person.id_hash = id_hash
    person.phone_hash = lookup_hash(person.phone) if person.phone else ""
    person.district_path = fields["house"].district_path
    person.updated_at = timezone.now()
    return snapshot(person, PERSON_FIELDS)


def _person_set(actor: User, person: Person, fields: dict[str, Any]) -> None:
    """A change the system makes on the way (the new head's relation), with its own history row."""
    before = snapshot(person, list(fields))
    for name, value in fields.items():
        setattr(person, name, value)
    person.updated_at = timezone.now()
    person.save(update_fields=[*fields, "updated_at"])
    change_append(
        actor=actor,
        record_type=RecordType.PERSON,
        record=person,
        action=ChangeAction.UPDATE,
        changes=diff(before, snapshot(person, list(fields))),
        district_path=person.district_path,
    )


@write_service
def person_deactivate(*, actor: User, person_id: int, reason: str, note: str = "") -> Person:
    """A person leaves the ledger (moved out, deceased): the row stays, with its history."""
    if reason not in VALUES[LeaveReason]:
        raise ServiceError(
            _("Choose why the person leaves the ledger."), code=CommonError.REQUIRED, field="reason"
        )
    person = _lock_for_edit(actor, Person, person_id)
    if not person.is_active:
        raise ServiceError(_("This person has already left the ledger."), code=CommonError.INACTIVE)
    now = timezone.now()
    person.is_active, person.left_reason, person.left_at, person.updated_at = False, reason, now, now
    person.save(update_fields=["is_active", "left_reason", "left_at", "updated_at"])
    changes: dict[str, list[Any]] = {"is_active": [True, False], "left_reason": ["", reason]}
    if note.strip():
        changes["note"] = ["", note.strip()]
    # A household whose head leaves has none until a new one is chosen.
    heads = Household.objects.filter(head=person)
    for household in heads:
        change_append(
            actor=actor,
            record_type=RecordType.HOUSEHOLD,
            record=household,
            action=ChangeAction.UPDATE,
            changes={"head": [person.pk, None]},
            district_path=household.district_path,
        )
    heads.update(head=None, updated_at=now)
    change_append(
        actor=actor,
        record_type=RecordType.PERSON,
        record=person,
        action=ChangeAction.DEACTIVATE,
        changes=changes,
        district_path=person.district_path,
    )
    audit_record(actor=actor, action=AuditAction.PERSON_DEACTIVATE, target=person, detail={"reason": reason})
    return person


@write_service
def person_reactivate(*, actor: User, person_id: int) -> Person:
    """A person recorded as gone in error, or back: active again if no one else holds the ID number."""
    person = _lock_for_edit(actor, Person, person_id)
    if person.is_active:
        return person
    _check_id_free(person.id_hash, exclude=person.pk)
    reason = person.left_reason
    person.is_active, person.left_reason, person.left_at, person.updated_at = (
        True,
        "",
        None,
        timezone.now(),
    )
    person.save(update_fields=["is_active", "left_reason", "left_at", "updated_at"])
    change_append(
        actor=actor,
        record_type=RecordType.PERSON,
        record=person,
        action=ChangeAction.REACTIVATE,
        changes={"is_active": [False, True], "left_reason": [reason, ""]},
        district_path=person.district_path,
    )
    audit_record(actor=actor, action=AuditAction.PERSON_REACTIVATE, target=person)
    return person


REVEALABLE: dict[str, tuple[type[House | Person | Organisation], frozenset[str]]] = {
    RecordType.PERSON: (Person, frozenset({"id_number", "phone"})),
    RecordType.HOUSE: (House, frozenset({"owner_phone"})),
    RecordType.ORGANISATION: (Organisation, frozenset({"contact_phone"})),
}


@write_service
def identifier_reveal(*, actor: User, record_type: str, pk: int, field_name: str) -> str:
    """The full value of an identifier, for those whose role may see it; each reveal is audited.
    A refusal (role, scope, unknown field) changes nothing and writes no reveal row."""
    if not can(actor, Cap.LEDGER_REVEAL):
        raise PermissionDenied
    entry = REVEALABLE.get(record_type)
    if entry is None or field_name not in entry[1]:
        raise Http404
    model = entry[0]
    record = model._default_manager.filter(pk=pk).first()
    if record is None or not Scope.of(actor).contains(record.district_path):
        raise Http404
    value = getattr(record, field_name)
    if not value:
        raise Http404
    audit_record(
        actor=actor, action=AuditAction.IDENTIFIER_REVEAL, target=record, detail={"field": field_name}
    )
    return str(value)


# ---------------------------------------------------------------------------------------------
# Organisations


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    kind: str = OrganisationKind.OTHER
    credit_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    employees: int | None = None
    note: str = ""
    is_active: bool = True


ORGANISATION_FIELDS = [
    "name",
    "kind",
    "credit_code",
    "contact_name",
    "contact_phone",
    "employees",
    "note",
    "is_active",
    "address",
]


def check_organisation(data: OrganisationInput) -> dict[str, Any]:
    name = " ".join(data.name.split())
    if not name:
        raise ServiceError(_("The name is required."), code=CommonError.REQUIRED, field="name")
    if len(name) > 120:
        raise ServiceError(_("The name is at most 120 characters."), field="name")
    if data.kind not in VALUES[OrganisationKind]:
        raise ServiceError(_("Choose the kind of organisation."), field="kind")
    contact_name = data.contact_name.strip()
    if len(contact_name) > 60:
        raise ServiceError(_("The contact's name is at most 60 characters."), field="contact_name")
    if data.employees is not None and data.employees < 0:
        raise ServiceError(_("The number of employees cannot be negative."), field="employees")
    return {
        "name": name,
        "kind": data.kind,
        "credit_code": normalise_credit_code(data.credit_code),
        "contact_name": contact_name,
        "contact_phone": normalise_phone(data.contact_phone, field="contact_phone"),
        "employees": data.employees,
        "note": data.note.strip(),
        "is_active": data.is_active,
    }


def _check_credit_code_free(code: str, *, exclude: int | None = None) -> None:
    if not code:
        return
    others = Organisation.objects.filter(credit_code=code)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ServiceError(
            _("An organisation with this credit code is already in the ledger."),
            code=CommonError.DUPLICATE,
            field="credit_code",
        )


@write_service
def organisation_create(
    *, actor: User, address_id: int, data: OrganisationInput, submission_key: str | None = None
) -> Organisation:
    replay = _replayed(Organisation, RecordType.ORGANISATION, submission_key)
    if replay is not None:
        return replay
    address, district = _door(actor, address_id)
    fields = check_organisation(data)
    _check_credit_code_free(fields["credit_code"])
    return _create_once(
        Organisation,
        RecordType.ORGANISATION,
        actor=actor,
        submission_key=submission_key,
        duplicate=ServiceError(
            _("An organisation with this credit code is already in the ledger."),
            code=CommonError.DUPLICATE,
            field="credit_code",
        ),
        insert=lambda: Organisation.objects.create(
            **fields,
            contact_phone_hash=lookup_hash(fields["contact_phone"]) if fields["contact_phone"] else "",
            address=address,
            district=district,
            district_path=address.district_path,
        ),
        changes=lambda organisation: diff({}, snapshot(organisation, ORGANISATION_FIELDS)),
    )


@write_service
def organisation_update(*, actor: User, organisation_id: int, data: OrganisationInput) -> Organisation:
    organisation = _lock_for_edit(actor, Organisation, organisation_id)
    fields = check_organisation(data)
    _check_credit_code_free(fields["credit_code"], exclude=organisation.pk)
    before = snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.contact_phone_hash = (
        lookup_hash(organisation.contact_phone) if organisation.contact_phone else ""
    )
    changes = diff(before, snapshot(organisation, ORGANISATION_FIELDS))
    if not changes:
        return organisation
    organisation.updated_at = timezone.now()
    organisation.save()
    _log_update(actor, RecordType.ORGANISATION, organisation, changes, action=_action_for(changes))
    return organisation
