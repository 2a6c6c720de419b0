"""Every write of the Open311 interface: partners' keys, service definitions, posted requests.

A posted request becomes an appeal through `appeal_register`, the same service as the window's
and the portal's, with the channel Open311, the partner, and the partner's receiving unit; what
the appeal has no column for is kept beside it in a `ServiceRequest`, in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from jingmin.appeals.models import AppealType, Category, Channel
from jingmin.appeals.services import AppealInput, appeal_register
from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.crypto import lookup_hash
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service
from jingmin.open311.codes import AuditAction, ErrorCode
from jingmin.open311.models import LIST_DATATYPES, Datatype, Partner, ServiceAttribute, ServiceRequest
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can

# The specification has no type of appeal: whatever a partner posts is filed as a request for
# help (求助), the type whose clocks fit "something needs fixing"; staff change nothing about it
# and the conclusion clock is the general one (7 working days by default).
DEFAULT_TYPE = AppealType.HELP
# A partner's key is only ever compared through its keyed hash; 24 random bytes as hex (which
# survives the hash's case folding unchanged).
KEY_BYTES = 24
KEY_PREFIX_LENGTH = 8
# An idempotency key rides inside the appeal's submission key (80 characters) after the
# partner's id, so a partner's keys never meet another partner's.
IDEMPOTENCY_KEY_MAX = 64
_IDEMPOTENCY_KEY = re.compile(rf"^[\x21-\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}}$")
# How stale `last_used_at` may be before a request writes it again: a busy partner should not
# cost an UPDATE per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)

DESCRIPTION_MAX = 4000  # the specification's limit
STRING_MAX = 500
ID_MAX = 100
MEDIA_URL_MAX = 500
ADDRESS_MAX = 200
EMAIL_MAX = 254
TITLE_FROM_DESCRIPTION = 60
ATTRIBUTE_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
CHOICES_MAX = 100


class ApiKeyRefused(ServiceError):
    """No key, an unknown key or a revoked one: the interface answers 403."""


class UnknownService(ServiceError):
    """The service_code names no active service: the interface answers 404."""


class RequestRefused(ServiceError):
    """The post is not acceptable; `problems` lists every reason at once (the interface answers
    400 with one error per problem), so that a partner fixes its request in one round."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems), code=CommonError.INVALID)
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Partners and their keys


def new_api_key() -> str:
    return secrets.token_hex(KEY_BYTES)


def _require_manager(actor: User | None) -> None:
    # `None` is the command line (manage.py open311_key), run by whoever operates the server.
    if actor is not None and not can(actor, Cap.MANAGE_OPEN311):
        raise PermissionDenied


@write_service
def partner_create(
    *,
    actor: User | None,
    name: str,
    intake_unit: Unit | None,
    contact: str = "",
    key: str | None = None,
    operator: str = "",
) -> tuple[Partner, str]:
    """A new partner and its key; the key is returned here once and never stored.

    `key` is for the demo's documented key only; every real key is random.
    """
    _require_manager(actor)
    name, contact = (name or "").strip(), (contact or "").strip()
    if not name:
        raise ServiceError(_("The name is required."), code=CommonError.REQUIRED, field="name")
    if len(name) > 80:
        raise ServiceError(_("The name is at most 80 characters."), code=CommonError.TOO_LONG, field="name")
    if len(contact) > 120:
        raise ServiceError(
            _("The contact is at most 120 characters."), code=CommonError.TOO_LONG, field="contact"
        )
    if intake_unit is None:
        raise ServiceError(
            _("Choose the unit that receives this partner's appeals."),
            code=CommonError.REQUIRED,
            field="intake_unit",
        )
    if not intake_unit.is_active:
        raise ServiceError(
            _("%(unit)s is closed: choose an open unit.") % {"unit": intake_unit.name},
            code=CommonError.INACTIVE_UNIT,
            field="intake_unit",
        )
    key = key or new_api_key()
    try:
        with transaction.atomic():
            if Partner.objects.filter(name=name).exists():
                raise ServiceError(
                    _("A partner of this name exists."), code=CommonError.DUPLICATE, field="name"
                )
            partner = Partner.objects.create(
                name=name,
                key_hash=lookup_hash(key),
                key_prefix=key[:KEY_PREFIX_LENGTH],
                intake_unit=intake_unit,
                contact=contact,
                created_by=actor,
            )
            audit_record(
                actor=actor,
                actor_username=operator or "system",
                action=AuditAction.PARTNER_CREATE,
                target=partner,
                detail={"name": name, "unit": intake_unit.code, "key_prefix": partner.key_prefix},
            )
    except IntegrityError as exc:
        # Two administrators named a partner alike at the same moment.
        raise ServiceError(
            _("A partner of this name exists."), code=CommonError.DUPLICATE, field="name"
        ) from exc
    return partner, key


@write_service
def partner_revoke(*, actor: User | None, partner: Partner | int, operator: str = "") -> Partner:
    """Revoke the partner's key at once: its next request is refused with 403. The partner and
    the appeals it brought in stay, so history still names it."""
    _require_manager(actor)
    pk = partner.pk if isinstance(partner, Partner) else partner
    row = Partner.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise ServiceError(_("No such partner."), code=CommonError.NOT_FOUND)
    if not row.is_active:
        raise ServiceError(
            _("The key of %(name)s is already revoked.") % {"name": row.name},
            code=ErrorCode.ALREADY_REVOKED,
        )
    row.is_active = False
    row.revoked_at = timezone.now()
    row.revoked_by = actor
    row.save(update_fields=["is_active", "revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        actor_username=operator or "system",
        action=AuditAction.PARTNER_REVOKE,
        target=row,
        detail={"name": row.name, "key_prefix": row.key_prefix},
    )
    return row


@write_service
def partner_authenticate(*, api_key: str) -> Partner:
    """The partner whose key this is, or `ApiKeyRefused`; notes when the key was last used."""
    api_key = (api_key or "").strip()
    if not api_key:
        raise ApiKeyRefused(
            _("The api_key is missing: every post needs the key your partner account was issued."),
            code=ErrorCode.MISSING,
        )
    partner = Partner.objects.select_related("intake_unit").filter(key_hash=lookup_hash(api_key)).first()
    if partner is None:
        raise ApiKeyRefused(_("The api_key is not valid."), code=ErrorCode.UNKNOWN)
    if not partner.is_active:
        raise ApiKeyRefused(
            _("This api_key was revoked. Ask the bureau's system administrator for a new one."),
            code=ErrorCode.REVOKED,
        )
    now = timezone.now()
    if partner.last_used_at is None or partner.last_used_at < now - LAST_USED_RESOLUTION:
        Partner.objects.filter(pk=partner.pk).update(last_used_at=now)
        partner.last_used_at = now
    return partner


# ---------------------------------------------------------------------------------------------
# Service definitions (the extra questions of a category)


@dataclass(frozen=True)
class AttributeInput:
    code: str
    datatype: str
    description: str
    order: int
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    values: list[dict[str, str]] = field(default_factory=list)


def _check_attribute(data: AttributeInput) -> dict[str, Any]:
    code = (data.code or "").strip()
    if not ATTRIBUTE_CODE.match(code):
        raise ServiceError(
            _("The code is 1 to 40 letters, digits, dots, dashes or underscores, e.g. noise_source."),
            code=CommonError.INVALID,
            field="code",
        )
    if data.datatype not in Datatype.values:
        raise ServiceError(_("Choose the kind of answer."), code=CommonError.INVALID, field="datatype")
    description = (data.description or "").strip()
    if not description:
        raise ServiceError(_("Write the question."), code=CommonError.REQUIRED, field="description")
    if len(description) > 300:
        raise ServiceError(
            _("The question is at most 300 characters."), code=CommonError.TOO_LONG, field="description"
        )
    hint = (data.datatype_description or "").strip()
    if len(hint) > 200:
        raise ServiceError(
            _("The hint is at most 200 characters."), code=CommonError.TOO_LONG, field="datatype_description"
        )
    if isinstance(data.order, bool) or not isinstance(data.order, int) or not 1 <= data.order <= 999:
        raise ServiceError(
            _("The order is a whole number from 1 to 999."), code=CommonError.INVALID, field="order"
        )
    values: list[dict[str, str]] = []
    if data.datatype in LIST_DATATYPES:
        seen: set[str] = set()
        for choice in data.values:
            key, name = str(choice.get("key", "")).strip(), str(choice.get("name", "")).strip()
            if not key or not name or len(key) > 40 or len(name) > 100:
                raise ServiceError(
                    _("Each choice is a key of at most 40 characters and a name of at most 100."),
                    code=CommonError.INVALID,
                    field="values",
                )
            if key in seen:
                raise ServiceError(
                    _("The key %(key)s appears twice.") % {"key": key},
                    code=CommonError.DUPLICATE,
                    field="values",
                )
            seen.add(key)
            values.append({"key": key, "name": name})
        if not values:
            raise ServiceError(
                _("A list needs at least one choice."), code=CommonError.REQUIRED, field="values"
            )
        if len(values) > CHOICES_MAX:
            raise ServiceError(
                _("A list has at most %(max)d choices.") % {"max": CHOICES_MAX},
                code=CommonError.TOO_MANY,
                field="values",
            )
    elif data.values:
        raise ServiceError(
            _("Only the two list kinds have choices; clear them or choose a list kind."),
            code=CommonError.INVALID,
            field="values",
        )
    # A note (not a question) cannot be required: nobody could answer it.
    required = bool(data.required) and bool(data.variable)
    return {
        "code": code,
        "datatype": data.datatype,
        "description": description,
        "datatype_description": hint,
        "order": data.order,
        "required": required,
        "variable": bool(data.variable),
        "values": values,
    }


def _service_category(category: Category | int) -> Category:
    pk = category.pk if isinstance(category, Category) else category
    row = Category.objects.filter(pk=pk, parent__isnull=False).first()
    if row is None:
        raise ServiceError(
            _("Choose a category of the second level."), code=CommonError.INVALID, field="category"
        )
    return row


@write_service
def attribute_save(
    *,
    actor: User,
    category: Category | int,
    data: AttributeInput,
    attribute: ServiceAttribute | int | None = None,
) -> ServiceAttribute:
    """Add a question to a service, or change one (`attribute`)."""
    if not can(actor, Cap.MANAGE_APPEAL_SETTINGS):
        raise PermissionDenied
    fields = _check_attribute(data)
    row_category = _service_category(category)
    # The category row serialises edits of its questions, so order and code checks hold.
    Category.objects.select_for_update().filter(pk=row_category.pk).first()
    row: ServiceAttribute | None = None
    if attribute is not None:
        pk = attribute.pk if isinstance(attribute, ServiceAttribute) else attribute
        row = ServiceAttribute.objects.filter(pk=pk, category=row_category).first()
        if row is None:
            raise ServiceError(_("No such question."), code=CommonError.NOT_FOUND)
    siblings = ServiceAttribute.objects.filter(category=row_category)
    if row is not None:
        siblings = siblings.exclude(pk=row.pk)
    if siblings.filter(code=fields["code"]).exists():
        raise ServiceError(_("This code is taken in this service."), code=CommonError.DUPLICATE, field="code")
    if siblings.filter(order=fields["order"]).exists():
        raise ServiceError(
            _("Another question has this place in the order."), code=CommonError.DUPLICATE, field="order"
        )
    if row is None:
        row = ServiceAttribute.objects.create(category=row_category, **fields)
        audit_record(
            actor=actor,
            action=AuditAction.ATTRIBUTE_CREATE,
            target=row,
            detail={"service": row_category.code, **{k: v for k, v in fields.items() if k != "values"}},
        )
        return row
    before = {name: getattr(row, name) for name in fields}
    if row.code != fields["code"]:
        # Answers are stored by code: renaming it would orphan them silently.
        raise ServiceError(
            _("The code of a question cannot change; add a new question instead."),
            code=ErrorCode.IMMUTABLE,
            field="code",
        )
    changes = {k: [before[k], v] for k, v in fields.items() if before[k] != v}
    if not changes:
        return row
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_at = timezone.now()
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.ATTRIBUTE_UPDATE,
        target=row,
        detail={"service": row_category.code, "changes": changes},
    )
    return row


@write_service
def attribute_delete(*, actor: User, attribute: ServiceAttribute | int) -> None:
    """Remove a question; answers already given stay on their appeals, shown by their code."""
    if not can(actor, Cap.MANAGE_APPEAL_SETTINGS):
        raise PermissionDenied
    pk = attribute.pk if isinstance(attribute, ServiceAttribute) else attribute
    row = ServiceAttribute.objects.select_for_update().select_related("category").filter(pk=pk).first()
    if row is None:
        raise ServiceError(_("No such question."), code=CommonError.NOT_FOUND)
    audit_record(
        actor=actor,
        action=AuditAction.ATTRIBUTE_DELETE,
        target=row,
        detail={"service": row.category.code, "code": row.code, "description": row.description},
    )
    row.delete()


# ---------------------------------------------------------------------------------------------
# Posted service requests


@dataclass(frozen=True)
class RequestInput:
    """A POST to requests.{format}, as strings, the way it came (attributes by code)."""

    service_code: str
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    description: str = ""
    media_url: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def fingerprint(self) -> str:
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def service_for_code(code: str) -> Category | None:
    """The active service of this code: an active second-level category under an active heading."""
    return (
        Category.objects.filter(code=code, is_active=True, parent__isnull=False, parent__is_active=True)
        .select_related("parent")
        .first()
    )


def _one(values: list[str], name: str, problems: list[str]) -> str | None:
    if len(values) > 1:
        problems.append(_("%(name)s takes one value, not several.") % {"name": name})
        return None
    return values[0]


def parse_w3c(raw: str) -> datetime | None:
    """A W3C/ISO 8601 date-time; without an offset it is the bureau's local time, and a date
    alone is the start of that day. None when it does not parse."""
    raw = raw.strip()
    # "+08:00" in a query string arrives as " 08:00" when the client did not encode the plus.
    raw = re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw)
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            if day is None:
                return None
            value = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - made aware just below
    except ValueError:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_current_timezone())
    return value


def _answer(attribute: ServiceAttribute, raw: list[str], problems: list[str]) -> Any:
    """The stored form of one answer, or None after noting the problem."""
    name = f"attribute[{attribute.code}]"
    keys = {choice["key"] for choice in attribute.values}
    if attribute.datatype == Datatype.MULTIVALUELIST:
        chosen: list[str] = []
        for value in raw:
            if value not in keys:
                problems.append(
                    _("%(name)s: %(value)s is not one of the choices (%(keys)s).")
                    % {"name": name, "value": value, "keys": ", ".join(sorted(keys))}
                )
                return None
            if value not in chosen:
                chosen.append(value)
        return chosen
    one = _one(raw, name, problems)
    if one is None:
        return None
    value = one
    if attribute.datatype == Datatype.SINGLEVALUELIST:
        if value not in keys:
            problems.append(
                _("%(name)s: %(value)s is not one of the choices (%(keys)s).")
                % {"name": name, "value": value, "keys": ", ".join(sorted(keys))}
            )
            return None
        return value
    if attribute.datatype == Datatype.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            problems.append(_("%(name)s must be a number, such as 3 or 2.5.") % {"name": name})
            return None
        return value
    if attribute.datatype == Datatype.DATETIME:
        when = parse_w3c(value)
        if when is None:
            problems.append(
                _("%(name)s must be a date and time in ISO 8601, such as 2026-11-29T22:30:00+08:00.")
                % {"name": name}
            )
            return None
        return when.isoformat(timespec="seconds")
    if attribute.datatype == Datatype.STRING:
        if "\n" in value or "\r" in value:
            problems.append(_("%(name)s is one line of text, without line breaks.") % {"name": name})
            return None
        if len(value) > STRING_MAX:
            problems.append(_("%(name)s is at most %(max)d characters.") % {"name": name, "max": STRING_MAX})
            return None
        return value
    if len(value) > DESCRIPTION_MAX:
        problems.append(_("%(name)s is at most %(max)d characters.") % {"name": name, "max": DESCRIPTION_MAX})
        return None
    return value


def check_answers(category: Category, given: dict[str, list[str]], problems: list[str]) -> dict[str, Any]:
    """Every answer against the service definition: required ones present, each of its kind,
    no answer to a question the service does not ask."""
    questions = {a.code: a for a in ServiceAttribute.objects.filter(category=category, variable=True)}
    answers: dict[str, Any] = {}
    for code in given:
        if code not in questions:
            problems.append(
                _("attribute[%(code)s] is not a question of the service %(service)s.")
                % {"code": code, "service": category.code}
            )
    for code, attribute in sorted(questions.items(), key=lambda item: item[1].order):
        raw = [v.strip() for v in given.get(code, []) if v.strip()]
        if not raw:
            if attribute.required:
                problems.append(
                    _("attribute[%(code)s] is required: %(question)s")
                    % {"code": code, "question": attribute.description}
                )
            continue
        value = _answer(attribute, raw, problems)
        if value is not None:
            answers[code] = value
    return answers


def _coordinate(raw: str, name: str, limit: int, problems: list[str]) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not -limit <= value <= limit:
        problems.append(
            _("%(name)s must be a number from -%(limit)d to %(limit)d (WGS84 degrees).")
            % {"name": name, "limit": limit}
        )
        return None
    # Six decimals (about ten centimetres), what the appeal stores.
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _has_cjk(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK") for ch in text)


def citizen_name(first: str, last: str) -> str:
    """A Chinese name is written family name first and without a space; others as given."""
    first, last = first.strip(), last.strip()
    if _has_cjk(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def _title(category: Category, description: str) -> str:
    line = description.strip().splitlines()[0].strip() if description.strip() else ""
    if not line:
        return category.name
    if len(line) > TITLE_FROM_DESCRIPTION:
        return line[:TITLE_FROM_DESCRIPTION] + "…"
    return line


# Where the appeal service's complaints go back to the partner: its field → the post's parameter.
_PARAMETER_OF_FIELD = {
    "title": "description",
    "content": "description",
    "address": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "citizen_name": "first_name",
    "citizen_phone": "phone",
}


@dataclass(frozen=True)
class _Checked:
    category: Category
    appeal: AppealInput
    record: dict[str, str]


def _check_request(partner: Partner, data: RequestInput) -> _Checked:
    code = data.service_code.strip()
    if not code:
        raise RequestRefused([_("service_code is required.")])
    category = service_for_code(code)
    if category is None:
        raise UnknownService(
            _("service_code %(code)s was not found: GET services for the list.") % {"code": code},
            code=CommonError.NOT_FOUND,
        )
    problems: list[str] = []
    lat = long = None
    if data.lat.strip() or data.long.strip():
        if not (data.lat.strip() and data.long.strip()):
            problems.append(_("lat and long go together: send both, or neither."))
        else:
            lat = _coordinate(data.lat, "lat", 90, problems)
            long = _coordinate(data.long, "long", 180, problems)
    address, address_id = data.address_string.strip(), data.address_id.strip()
    if not (data.lat.strip() or data.long.strip() or address or address_id):
        problems.append(_("A location is required: lat and long, or address_string, or address_id."))
    if len(address) > ADDRESS_MAX:
        problems.append(_("address_string is at most %(max)d characters.") % {"max": ADDRESS_MAX})
    for name, value in (
        ("address_id", address_id),
        ("device_id", data.device_id),
        ("account_id", data.account_id),
    ):
        if len(value.strip()) > ID_MAX:
            problems.append(_("%(name)s is at most %(max)d characters.") % {"name": name, "max": ID_MAX})
    email = data.email.strip()
    if email:
        try:
            EmailValidator()(email)
            if len(email) > EMAIL_MAX:
                raise ValidationError("too long")
        except ValidationError:
            problems.append(_("email is not a valid e-mail address."))
    description = data.description.strip()
    if len(description) > DESCRIPTION_MAX:
        problems.append(_("description is at most %(max)d characters.") % {"max": DESCRIPTION_MAX})
    media_url = data.media_url.strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > MEDIA_URL_MAX:
                raise ValidationError("too long")
        except ValidationError:
            problems.append(
                _("media_url must be an http or https address of at most %(max)d characters.")
                % {"max": MEDIA_URL_MAX}
            )
    answers = check_answers(category, data.attributes, problems)
    if problems:
        raise RequestRefused(problems)
    if not address and address_id:
        # Staff read the address; the partner's address ID is what it knows the place by.
        address = _("Address ID %(id)s (sent by the partner)") % {"id": address_id}
    name = citizen_name(data.first_name, data.last_name)
    phone = data.phone.strip()
    appeal = AppealInput(
        channel=Channel.OPEN311,
        type=DEFAULT_TYPE,
        category=category,
        title=_title(category, description),
        content=description
        or _("Sent through Open311 without a description; see the answers to the service's questions."),
        address=address[:ADDRESS_MAX],
        latitude=lat,
        longitude=long,
        anonymous=not (name or phone or email),
        citizen_name=name,
        citizen_phone=phone,
        source=partner.name,
        attributes=answers,
        media_url=media_url,
    )
    record = {
        "email": email,
        "device_id": data.device_id.strip(),
        "account_id": data.account_id.strip(),
        "address_id": address_id,
    }
    return _Checked(category=category, appeal=appeal, record=record)


def check_idempotency_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    key = raw.strip()
    if not _IDEMPOTENCY_KEY.match(key):
        raise RequestRefused(
            [
                _("The Idempotency-Key header must be 1 to %(max)d visible ASCII characters, such as a UUID.")
                % {"max": IDEMPOTENCY_KEY_MAX}
            ]
        )
    return key


def _replayed(record: ServiceRequest, fingerprint: str) -> tuple[ServiceRequest, bool]:
    if record.fingerprint and record.fingerprint != fingerprint:
        raise RequestRefused(
            [
                _(
                    "This Idempotency-Key was already used for a different request. "
                    "Send a new key with each new request."
                )
            ]
        )
    return record, False


@write_service
def service_request_submit(
    *, partner: Partner, data: RequestInput, idempotency_key: str | None = None
) -> tuple[ServiceRequest, bool]:
    """Turn a partner's post into an appeal; returns its record and whether it is new.

    The same `idempotency_key` with the same content returns the first request (a retry after a
    lost answer); with other content it is refused, since the partner meant something else.
    """
    key = check_idempotency_key(idempotency_key)
    submission_key = f"open311:{partner.pk}:{key}" if key else None
    fingerprint = data.fingerprint()
    if submission_key:
        earlier = (
            ServiceRequest.objects.select_related("appeal")
            .filter(appeal__submission_key=submission_key)
            .first()
        )
        if earlier is not None:
            return _replayed(earlier, fingerprint)
    checked = _check_request(partner, data)
    try:
        with transaction.atomic():
            appeal, created = appeal_register(
                actor=None,
                data=checked.appeal,
                intake_unit=partner.intake_unit,
                submission_key=submission_key,
            )
            if not created:
                # A twin of this retry committed between our look-up and the registration.
                return _replayed(
                    ServiceRequest.objects.select_related("appeal").get(appeal=appeal), fingerprint
                )
            record = ServiceRequest.objects.create(
                appeal=appeal,
                partner=partner,
                token=secrets.token_urlsafe(16),
                fingerprint=fingerprint,
                **checked.record,
            )
    except ServiceError as exc:
        if isinstance(exc, RequestRefused):
            raise
        parameter = _PARAMETER_OF_FIELD.get(exc.field or "", exc.field or "")
        raise RequestRefused([f"{parameter}: {exc.message}" if parameter else exc.message]) from exc
    return record, True
