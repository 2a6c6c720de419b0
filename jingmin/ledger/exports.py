"""Excel exports of the ledger, in the import template's format.

The sheets carry the template's headers, so that a full export (by a role that may reveal
identifiers) can be imported again as it is. Everyone else gets ID numbers and phones masked.
Rows are read in chunks; the address chain of each chunk's houses is fetched in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet

from jingmin.core.crypto import mask
from jingmin.core.sheets import Sheets
from jingmin.ledger.excel import (
    ORGANISATION_COLUMNS,
    ORGANISATION_LABELS,
    ORGANISATION_SHEET,
    PERSON_COLUMNS,
    PERSON_SHEET,
    RELATION_LABELS,
    RESIDENCE_LABELS,
    SEX_LABELS,
    Column,
)
from jingmin.ledger.models import Address, AddressKind, Organisation, Person
from jingmin.org.scope import chain_q, path_prefixes

M = TypeVar("M", bound=models.Model)

CHUNK = 2000
_KIND_KEYS = {
    AddressKind.ROAD: "road",
    AddressKind.NUMBER: "number",
    AddressKind.BUILDING: "building",
    AddressKind.UNIT: "unit",
    AddressKind.FLOOR: "floor",
    AddressKind.ROOM: "room",
}


def _chains(leaves: list[Address]) -> dict[int, dict[str, str]]:
    """The template's address columns of each leaf, by its id."""
    step = len(Address.path_segment(0))
    above = chain_q("path", *(leaf.path for leaf in leaves), segment=step)
    nodes = {a.path: a for a in Address.objects.filter(above).only("path", "kind", "name")}
    out: dict[int, dict[str, str]] = {}
    for leaf in leaves:
        columns: dict[str, str] = {}
        divisions: list[str] = []
        for path in path_prefixes(leaf.path, step):
            node = nodes.get(path)
            if node is None:
                continue
            if node.kind == AddressKind.DIVISION:
                divisions.append(node.name)
            else:
                columns[_KIND_KEYS[AddressKind(node.kind)]] = node.name
        columns["division"] = "/".join(divisions)
        out[leaf.pk] = columns
    return out


def _chunks(rows: QuerySet[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _workbook(
    sheet_name: str,
    columns: list[Column],
    rows: QuerySet[M],
    *,
    address: Callable[[M], Address | None],
    values: Callable[[M], dict[str, Any]],
) -> Iterator[bytes]:
    """One sheet with the template's headers: each row's values, then its address chain."""
    workbook = Sheets()
    sheet = workbook.sheet(sheet_name)
    sheet.append([c.header for c in columns])
    for chunk in _chunks(rows):
        chains = _chains([place for place in map(address, chunk) if place is not None])
        for row in chunk:
            place = address(row)
            cells = {**values(row), **(chains.get(place.pk, {}) if place is not None else {})}
            sheet.append([cells.get(c.key, "") for c in columns])
    yield from workbook.stream()


def person_workbook(rows: QuerySet[Person], *, full: bool) -> Iterator[bytes]:
    def values(person: Person) -> dict[str, Any]:
        return {
            "name": person.name,
            "sex": SEX_LABELS.get(person.sex, ""),
            "id_number": person.id_number if full else mask(person.id_number, keep_start=4, keep_end=4),
            "birth_date": person.birth_date.isoformat() if person.birth_date else "",
            "phone": person.phone if full else mask(person.phone),
            "residence": RESIDENCE_LABELS.get(person.residence, ""),
            "nationality": person.nationality,
            "district": person.district.code,
            "household": person.household.number if person.household else "",
            "relation": RELATION_LABELS.get(person.relation, ""),
            "tags": "、".join(t.name for t in person.tags.all()),
            "note": person.note,
        }

    return _workbook(
        PERSON_SHEET,
        PERSON_COLUMNS,
        rows.select_related("house__address", "household", "district").prefetch_related("tags"),
        address=lambda person: person.house.address if person.house is not None else None,
        values=values,
    )


def organisation_workbook(rows: QuerySet[Organisation], *, full: bool) -> Iterator[bytes]:
    def values(organisation: Organisation) -> dict[str, Any]:
        return {
            "name": organisation.name,
            "kind": ORGANISATION_LABELS.get(organisation.kind, ""),
            "credit_code": organisation.credit_code,
            "contact_name": organisation.contact_name,
            "contact_phone": organisation.contact_phone if full else mask(organisation.contact_phone),
            "employees": organisation.employees if organisation.employees is not None else "",
            "district": organisation.district.code,
            "note": organisation.note,
        }

    return _workbook(
        ORGANISATION_SHEET,
        ORGANISATION_COLUMNS,
        rows.select_related("address", "district"),
        address=lambda organisation: organisation.address,
        values=values,
    )
