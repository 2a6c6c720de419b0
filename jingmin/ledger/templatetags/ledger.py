"""Labels for the ledger's history rows and the import page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingmin.ledger.models import (
    AddressKind,
    HouseUse,
    LeaveReason,
    OrganisationKind,
    RecordType,
    Relation,
    Residence,
    Sex,
)
from jingmin.ledger.selectors import tag_names
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import unit_name

register = template.Library()

FIELD_LABELS = {
    "name": _("Name"),
    "kind": _("Kind"),
    "district": _("Police district"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "is_active": _("Active in the ledger"),
    "use": _("Use"),
    "rented": _("Rented out"),
    "owner_name": _("Owner"),
    "owner_phone": _("Owner's phone"),
    "area": _("Floor area (m²)"),
    "note": _("Note"),
    "address": pgettext_lazy("street address", "Address"),
    "house": _("House"),
    "household": _("Household"),
    "number": _("Household number"),
    "head": _("Head of household"),
    "sex": _("Sex"),
    "id_number": _("ID number"),
    "birth_date": _("Date of birth"),
    "phone": _("Phone"),
    "residence": _("Residence status"),
    "nationality": _("Nationality"),
    "relation": _("Relation to the head"),
    "tags": _("Care tags"),
    "left_reason": _("Reason for leaving"),
    "credit_code": _("Unified social credit code"),
    "contact_name": _("Contact person"),
    "contact_phone": _("Contact phone"),
    "employees": _("Employees"),
}


@register.filter
def field_label(name: str) -> Any:
    return FIELD_LABELS.get(name, name)


# Fields whose stored codes are shown by their labels.
_CHOICES: dict[str, dict[str, Any]] = {
    "sex": dict(Sex.choices),
    "residence": dict(Residence.choices),
    "relation": dict(Relation.choices),
    "use": dict(HouseUse.choices),
    "left_reason": dict(LeaveReason.choices),
    "kind": {**dict(AddressKind.choices), **dict(OrganisationKind.choices)},
}
# Fields holding the id of another ledger record.
_RECORD_IDS = frozenset({"address", "house", "household", "head"})


@register.filter
def change_value(value: Any, name: str = "") -> Any:
    """One side of a history row's change, as a person reads it."""
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "" or value == []:
        return "—"
    if name in _CHOICES and isinstance(value, str):
        return _CHOICES[name].get(value, value)
    if name == "tags" and isinstance(value, list):
        names = tag_names(value)
        return "、".join(str(names.get(code, code)) for code in value)
    if name == "district" and isinstance(value, int):
        return unit_name(value) or f"#{value}"
    if name in _RECORD_IDS:
        return f"#{value}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


@register.filter
def record_label(record_type: str) -> Any:
    try:
        return RecordType(record_type).label
    except ValueError:
        return record_type


@register.filter
def has_cap(user: Any, cap: str) -> bool:
    return can(user, Cap(cap))
