"""Jingmin's rows as GeoReport v2 answers (plain data; `wire` writes them as XML or JSON).

Where the two vocabularies differ: `status` is only open or closed, so the appeal's own state
(已签收, 办理中 …) goes into `status_notes`; `expected_datetime` is the conclusion deadline;
`agency_responsible` is the unit that holds the appeal now; `updated_datetime` is its latest
event. Identifiers are strings, as the published schemas type them.

Privacy: an answer to the public carries no description, address, media or contact, and
coordinates rounded to two decimals (about a kilometre); `own=True` (the partner that brought the
request in, having passed its key) adds what that partner itself sent.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jingmin.appeals.models import Appeal, Category, State
from jingmin.open311.models import LIST_DATATYPES, Partner, ServiceAttribute, ServiceRequest
from jingmin.open311.wire import MIME_TYPES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
PUBLIC_PRECISION = Decimal("0.01")


def w3c(value: datetime | None) -> str | None:
    """W3C date-time with the offset, in the bureau's time zone: 2026-11-29T14:30:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def service(category: Category, *, has_definition: bool) -> dict[str, Any]:
    keywords = [k for k in (category.name_en, category.parent.name_en if category.parent else "") if k]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name_en or None,
        "metadata": has_definition,
        "type": "realtime",
        "keywords": ", ".join(keywords) or None,
        "group": category.parent.name if category.parent else None,
    }


def attribute(row: ServiceAttribute) -> dict[str, Any]:
    return {
        "variable": row.variable,
        "code": row.code,
        "datatype": row.datatype,
        "required": row.required,
        "datatype_description": row.datatype_description or None,
        "order": row.order,
        "description": row.description,
        "values": [{"key": v["key"], "name": v["name"]} for v in row.values]
        if row.datatype in LIST_DATATYPES
        else [],
    }


def definition(category: Category, rows: list[ServiceAttribute]) -> dict[str, Any]:
    return {"service_code": category.code, "attributes": [attribute(row) for row in rows]}


def status_notes(appeal: Appeal) -> str:
    label = str(State(appeal.state).label)
    if appeal.state == State.MERGED and appeal.merged_into_id:
        return _("%(state)s: merged into request %(id)s") % {"state": label, "id": appeal.merged_into_id}
    return label


def _coordinate(value: Decimal | None, *, own: bool) -> float | None:
    if value is None:
        return None
    if own:
        return float(value)
    return float(Decimal(value).quantize(PUBLIC_PRECISION, rounding=ROUND_HALF_UP))


def request(appeal: Appeal, *, own: ServiceRequest | None = None) -> dict[str, Any]:
    updated = getattr(appeal, "last_event_at", None) or appeal.received_at
    mine = own is not None
    return {
        "service_request_id": str(appeal.pk),
        "status": "open" if appeal.is_open else "closed",
        "status_notes": status_notes(appeal),
        "service_name": appeal.category.name,
        "service_code": appeal.category.code,
        "description": appeal.content if mine else None,
        "agency_responsible": appeal.unit.name,
        "service_notice": None,
        "requested_datetime": w3c(appeal.received_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(appeal.conclude_by),
        "address": (appeal.address or None) if mine else None,
        "address_id": (own.address_id or None) if own is not None else None,
        "zipcode": None,
        "lat": _coordinate(appeal.latitude, own=mine),
        "long": _coordinate(appeal.longitude, own=mine),
        "media_url": (appeal.media_url or None) if mine else None,
    }


def service_notice(appeal: Appeal, partner: Partner) -> str:
    if appeal.conclude_by is None:
        return _("Received by %(unit)s.") % {"unit": partner.intake_unit.name}
    return _("Received by %(unit)s; to be concluded by %(time)s.") % {
        "unit": partner.intake_unit.name,
        "time": formats.date_format(timezone.localtime(appeal.conclude_by), "DATETIME_FORMAT"),
    }


def created(record: ServiceRequest, partner: Partner) -> dict[str, Any]:
    """The answer to a post. The specification gives either the id or a token; the token is
    given as well so that a partner may keep one handle for both answers."""
    return {
        "service_request_id": str(record.appeal_id),
        "token": record.token,
        "service_notice": service_notice(record.appeal, partner),
        "account_id": record.account_id or None,
    }


def token(record: ServiceRequest) -> dict[str, Any]:
    return {"service_request_id": str(record.appeal_id), "token": record.token}


def discovery(changeset: datetime | None) -> dict[str, Any]:
    stamp = w3c(changeset) or "2026-01-01T00:00:00+08:00"
    contact = getattr(settings, "OPEN311_CONTACT", "") or _(
        "Write to the bureau's system administrator for help with this interface."
    )
    key_service = getattr(settings, "OPEN311_KEY_SERVICE", "") or _(
        "Keys are issued to partner systems by the bureau's system administrator; ask for one in writing, naming your system and a contact."
    )
    return {
        "changeset": stamp,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{settings.PUBLIC_BASE_URL}/open311/v2/",
                "changeset": stamp,
                "type": "production",
                "formats": list(MIME_TYPES),
            }
        ],
    }
