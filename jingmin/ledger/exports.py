"""Excel exports of the ledger, in the import template's format.

The sheets carry the template's headers, so that a full export (by a role that may reveal
identifiers) can be imported again as it is. Everyone else gets ID numbers and phones masked.
Rows are read in chunks; the address chain of each chunk's houses is fetched in one query.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from jingmin.core.crypto import mask
from jingmin.ledger.excel import (
    ORGANISATION_COLUMNS,
    ORGANISATION_LABELS,
    ORGANISATION_SHEET,
    PERSON_COLUMNS,
    PERSON_SHEET,
    RELATION_LABELS,
    RESIDENCE_LABELS,
    SEX_LABELS,
)
from jingmin.ledger.models import Address, AddressKind, Organisation, Person

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
    wanted = {leaf.path[:n] for leaf in leaves for n in range(step, len(leaf.path) + 1, step)}
    nodes = {a.path: a for a in Address.objects.filter(path__in=wanted).only("path", "kind", "name")}
    out: dict[int, dict[str, str]] = {}
    for leaf in leaves:
        columns: dict[str, str] = {}
        divisions: list[str] = []
        for n in range(step, len(leaf.path) + 1, step):
            node = nodes.get(leaf.path[:n])
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


def _saved(workbook: Any) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while data := handle.read(64 * 1024):
            yield data


def person_workbook(rows: QuerySet[Person], *, full: bool) -> Iterator[bytes]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(PERSON_SHEET)
    sheet.append([c.header for c in PERSON_COLUMNS])
    rows = rows.select_related("house__address", "household", "district").prefetch_related("tags")
    for chunk in _chunks(rows):
        chains = _chains([p.house.address for p in chunk if p.house is not None])
        for person in chunk:
            values: dict[str, Any] = {
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
            if person.house is not None:
                values.update(chains.get(person.house.address_id, {}))
            sheet.append([values.get(c.key, "") for c in PERSON_COLUMNS])
    yield from _saved(workbook)


def organisation_workbook(rows: QuerySet[Organisation], *, full: bool) -> Iterator[bytes]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ORGANISATION_SHEET)
    sheet.append([c.header for c in ORGANISATION_COLUMNS])
    rows = rows.select_related("address", "district")
    for chunk in _chunks(rows):
        chains = _chains([o.address for o in chunk])
        for organisation in chunk:
            values: dict[str, Any] = {
                "name": organisation.name,
                "kind": ORGANISATION_LABELS.get(organisation.kind, ""),
                "credit_code": organisation.credit_code,
                "contact_name": organisation.contact_name,
                "contact_phone": organisation.contact_phone if full else mask(organisation.contact_phone),
                "employees": organisation.employees if organisation.employees is not None else "",
                "district": organisation.district.code,
                "note": organisation.note,
                **chains.get(organisation.address_id, {}),
            }
            sheet.append([values.get(c.key, "") for c in ORGANISATION_COLUMNS])
    yield from _saved(workbook)
