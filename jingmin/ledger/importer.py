"""Writing checked workbook rows into the ledger, in bulk, by natural keys.

Rows are written in chunks; each chunk looks up what already exists (an address by its chain of
names, a house by its address, a household by house and number, a person by the keyed hash of the
ID number or else by name, date of birth and house, an organisation by credit code or else by
name and address), creates what is missing with `insert_rows`, updates what the row changes with
`bulk_update`, and appends a `LedgerChange` row for each record created or changed. Importing the
same file again therefore finds every record and changes nothing.

Both modes write in one transaction, so that an import failing part way leaves nothing behind:
all-or-nothing rolls it all back if any row is rejected (while reading or while writing);
valid-rows leaves the rejected rows out and keeps the rest. On PostgreSQL new rows go in by COPY
(`bulk.insert_rows`), with the identifiers encrypted while the rows were checked. What the writer itself may reject is a conflict with the ledger: a record that
exists in a district outside the importing unit, or a house the ledger places in another district.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.core.crypto import lookup_hash
from jingmin.core.search import index_text
from jingmin.ledger.bulk import built, insert_rows, insert_values, reserve_ids
from jingmin.ledger.codes import AuditAction
from jingmin.ledger.excel import (
    ADDRESS_SHEET,
    ORGANISATION_SHEET,
    PERSON_SHEET,
    SHEETS,
    AddressRef,
    AddressRow,
    OrganisationRow,
    ParsedWorkbook,
    PersonRow,
    Rejection,
)
from jingmin.ledger.models import (
    Address,
    ChangeAction,
    ChangeSource,
    House,
    Household,
    HouseUse,
    ImportMode,
    ImportRun,
    LedgerChange,
    Organisation,
    Person,
    PersonTag,
    RecordType,
    Relation,
    Residence,
    Sex,
)
from jingmin.ledger.services import masked_value
from jingmin.org.models import Unit, User
from jingmin.org.scope import Scope, common_path, same_node, widened

M = TypeVar("M", bound=models.Model)
Parts = tuple[tuple[str, str], ...]


# What the writer reads of an existing address (not its search tokens).
_ADDRESS_FIELDS = (
    "id",
    "parent_id",
    "kind",
    "name",
    "full_name",
    "path",
    "depth",
    "district_id",
    "district_path",
    "latitude",
    "longitude",
)


# A history row as the writer collects it: many per person, so not a model instance each.
_CHANGE_COLUMNS = (
    "record_type",
    "record_id",
    "action",
    "at",
    "changes",
    "district_path",
    "source",
    "actor_id",
    "actor_name",
    "import_run_id",
)


class ImportRolledBack(Exception):
    """All-or-nothing: a row was rejected while writing, so nothing is kept."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("rows were rejected while writing")
        self.result = result


@dataclass
class ImportResult:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)

    def add(self, record_type: str, what: str, n: int = 1) -> None:
        figures = self.counts.setdefault(record_type, {"created": 0, "updated": 0, "unchanged": 0})
        figures[what] += n


def _headers(sheet: str) -> dict[str, str]:
    return {c.key: c.header for c in SHEETS[sheet]}


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_apply(
    parsed: ParsedWorkbook,
    *,
    unit: Unit,
    actor: User | None,
    run: ImportRun | None,
    mode: str,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Write the valid rows of `parsed`. In all-or-nothing mode a workbook with any rejected row
    writes nothing (the caller checks `parsed.rejected` first; rows rejected while writing roll
    back everything here, raising ImportRolledBack with the result attached)."""
    result = ImportResult()
    size = max(1, settings.LEDGER_IMPORT_BATCH)
    # Addresses first, so that the other sheets find them; each sheet in chunks of rows.
    work: list[tuple[str, Sequence[Any]]] = []
    work += [(ADDRESS_SHEET, chunk) for chunk in _chunks(parsed.addresses, size)]
    work += [(PERSON_SHEET, chunk) for chunk in _chunks(parsed.persons, size)]
    work += [(ORGANISATION_SHEET, chunk) for chunk in _chunks(parsed.organisations, size)]
    writer = _Writer(unit=unit, actor=actor, run=run, result=result)
    for rows in (parsed.addresses, parsed.persons, parsed.organisations):
        for row in rows:
            writer.sealed.update(row.sealed)
    done = 0

    def run_chunks() -> None:
        nonlocal done
        for sheet, chunk in work:
            with transaction.atomic():
                writer.write(sheet, chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)

    # One transaction in either mode: an import that fails part way leaves nothing behind.
    with transaction.atomic():
        run_chunks()
        if result.rejected and mode == ImportMode.ALL_OR_NOTHING:
            raise ImportRolledBack(result)
        _audit(actor, run, result)
    return result


def _audit(actor: User | None, run: ImportRun | None, result: ImportResult) -> None:
    audit_record(
        actor=actor,
        actor_username="command line",
        action=AuditAction.IMPORT_APPLY,
        target=run,
        detail={"counts": result.counts, "rejected_while_writing": len(result.rejected)},
    )


class _Writer:
    def __init__(
        self, *, unit: Unit, actor: User | None, run: ImportRun | None, result: ImportResult
    ) -> None:
        self.unit = unit
        self.actor = actor
        self.run = run
        self.result = result
        # The history rows of the current chunk, as values of _CHANGE_COLUMNS.
        self.changes: list[tuple[Any, ...]] = []
        self.change_by = (
            ChangeSource.IMPORT,
            self.actor.pk if self.actor is not None else None,
            self.actor.full_name if self.actor is not None else "",
            self.run.pk if self.run is not None else None,
        )
        # Identifiers encrypted while the rows were checked (plain value to token).
        self.sealed: dict[str, str] = {}
        self.now = timezone.now()
        # Addresses created for the current chunk: nothing can exist below them yet.
        self.created_ids: set[int] = set()

    # -- helpers ---------------------------------------------------------------------------

    def change(
        self, record_type: str, record: models.Model, action: str, changes: dict[str, Any], path: str
    ) -> None:
        self.changes.append((record_type, record.pk, action, self.now, changes, path, *self.change_by))

    def reject(self, sheet: str, row: int, column_key: str, reason: str) -> None:
        self.result.rejected.append(Rejection(sheet, row, _headers(sheet)[column_key], "", reason))

    def write(self, sheet: str, rows: Sequence[Any]) -> None:
        self.changes = []
        self.now = timezone.now()
        rows = list(rows)
        nodes = self.addresses([r.ref for r in rows])
        if sheet == ADDRESS_SHEET:
            self.address_rows(rows, nodes)
        elif sheet == PERSON_SHEET:
            self.person_rows(rows, nodes)
        else:
            self.organisation_rows(rows, nodes)
        insert_values(LedgerChange, _CHANGE_COLUMNS, self.changes)

    # -- addresses -------------------------------------------------------------------------

    def addresses(self, refs: list[AddressRef]) -> dict[Parts, Address]:
        """Every node on the refs' chains, found or created level by level."""
        self.created_ids = set()
        paths: dict[Parts, set[str]] = defaultdict(set)
        districts: dict[str, Unit] = {}
        for ref in refs:
            districts[ref.district.path] = ref.district
            for i in range(1, len(ref.parts) + 1):
                paths[ref.parts[:i]].add(ref.district.path)
        nodes: dict[Parts, Address] = {}
        depth = 1
        while True:
            keys = [k for k in paths if len(k) == depth]
            if not keys:
                break
            self._address_level(depth, keys, nodes, paths, districts)
            depth += 1
        return nodes

    def _address_level(
        self,
        depth: int,
        keys: list[Parts],
        nodes: dict[Parts, Address],
        paths: dict[Parts, set[str]],
        districts: dict[str, Unit],
    ) -> None:
        by_key: dict[Parts, Address] = {}
        if depth == 1:
            names = {k[-1][1] for k in keys}
            found = Address.objects.filter(parent__isnull=True, name__in=names).only(*_ADDRESS_FIELDS)
            by_key = {((a.kind, a.name),): a for a in found}
        else:
            # Only children of nodes that existed before this chunk can exist; each is looked up by
            # its full address (indexed), which names exactly the wanted node, unlike the parent
            # and name separately (every building "3栋" of every door number).
            old_parents = {k[:-1] for k in keys if nodes[k[:-1]].pk not in self.created_ids}
            wanted = {(nodes[k[:-1]].full_name + k[-1][1])[:300]: k for k in keys if k[:-1] in old_parents}
            for chunk in _chunks(sorted(wanted), 1000):
                for a in Address.objects.filter(full_name__in=chunk).only(*_ADDRESS_FIELDS):
                    key = wanted.get(a.full_name)
                    if key is not None and (a.kind, a.name) == key[-1] and a.parent_id == nodes[key[:-1]].pk:
                        by_key[key] = a
            # A full address cut at 300 characters, or shared by two nodes, is looked up the long way.
            rest = [k for k in keys if k[:-1] in old_parents and k not in by_key]
            if rest:
                parents = {nodes[k[:-1]].pk: k[:-1] for k in rest}
                names = {k[-1][1] for k in rest}
                for chunk in _chunks(list(parents), 500):
                    for a in Address.objects.filter(parent_id__in=chunk, name__in=names).only(
                        *_ADDRESS_FIELDS
                    ):
                        by_key[(*parents[a.parent_id], (a.kind, a.name))] = a  # type: ignore[index]
        created: list[Address] = []
        parent_paths: list[str] = []  # of each created node's parent
        spanning: list[Address] = []
        for key in keys:
            common = ""
            for i, path in enumerate(sorted(paths[key])):
                common = path if i == 0 else common_path(common, path)
            node = by_key.get(key)
            if node is not None:
                widened_path = widened(node.district_path, common)
                if widened_path is not None:
                    node.district_path, node.district = widened_path, None
                    spanning.append(node)
                nodes[key] = node
                continue
            parent = nodes.get(key[:-1]) if depth > 1 else None
            full_name = ((parent.full_name if parent else "") + key[-1][1])[:300]
            district = districts.get(common)
            node = built(
                Address,
                parent_id=parent.pk if parent else None,
                kind=key[-1][0],
                name=key[-1][1],
                full_name=full_name,
                depth=depth - 1,
                district_id=district.pk if district else None,
                district_path=common,
                search_tokens=index_text(full_name),
                created_at=self.now,
            )
            created.append(node)
            parent_paths.append(parent.path if parent else "")
            nodes[key] = node
        if created:
            # The path ends with the node's own id: taken first, so that one insert writes it.
            ids = reserve_ids(Address, len(created))
            for node, parent_path, pk in zip(created, parent_paths, ids, strict=True):
                node.pk = pk
                node.path = parent_path + Address.path_segment(pk)
            insert_rows(Address, created)
            self.created_ids.update(node.pk for node in created)
            for node in created:
                self.change(
                    RecordType.ADDRESS,
                    node,
                    ChangeAction.CREATE,
                    {
                        "name": [None, node.name],
                        "kind": [None, node.kind],
                        "district": [None, node.district_id],
                    },
                    node.district_path,
                )
            self.result.add(RecordType.ADDRESS, "created", len(created))
        if spanning:
            Address.objects.bulk_update(spanning, ["district_path", "district"], batch_size=1000)

    def address_rows(self, rows: list[AddressRow], nodes: dict[Parts, Address]) -> None:
        moved: list[Address] = []
        for row in rows:
            node = nodes[row.ref.parts]
            if row.latitude is not None and (
                node.latitude != row.latitude or node.longitude != row.longitude
            ):
                self.change(
                    RecordType.ADDRESS,
                    node,
                    ChangeAction.UPDATE,
                    {
                        "latitude": [masked_value("latitude", node.latitude), str(row.latitude)],
                        "longitude": [masked_value("longitude", node.longitude), str(row.longitude)],
                    },
                    node.district_path,
                )
                node.latitude, node.longitude = row.latitude, row.longitude
                moved.append(node)
        if moved:
            Address.objects.bulk_update(moved, ["latitude", "longitude"], batch_size=1000)
        self.houses(ADDRESS_SHEET, rows, nodes, fields_of=lambda r: r.house)

    # -- houses ----------------------------------------------------------------------------

    def houses(
        self,
        sheet: str,
        rows: Sequence[AddressRow | PersonRow],
        nodes: dict[Parts, Address],
        fields_of: Callable[[Any], dict[str, Any]],
    ) -> dict[int, House]:
        """The house at each row's address (by row number), created where missing; rows whose house
        the ledger places in another district are rejected and left out."""
        leaves = {nodes[r.ref.parts].pk for r in rows}
        existing: dict[int, House] = {}
        for chunk in _chunks(sorted(leaves), 1000):
            for house in House.objects.filter(address_id__in=chunk).defer("owner_phone"):
                existing[house.address_id] = house
        out: dict[int, House] = {}
        created: dict[int, House] = {}
        updated: dict[int, tuple[House, dict[str, Any]]] = {}
        for row in rows:
            node = nodes[row.ref.parts]
            found = existing.get(node.pk) or created.get(node.pk)
            given = fields_of(row)
            if found is None:
                values = {
                    "use": HouseUse.RESIDENTIAL,
                    "rented": False,
                    "owner_name": "",
                    "owner_phone": "",
                    "area": None,
                    "note": "",
                    **given,
                }
                house = built(
                    House,
                    address_id=node.pk,
                    district_id=row.ref.district.pk,
                    district_path=row.ref.district.path,
                    owner_phone_hash=lookup_hash(values["owner_phone"]) if values["owner_phone"] else "",
                    created_at=self.now,
                    updated_at=self.now,
                    **values,
                )
                created[node.pk] = house
                out[row.row] = house
                continue
            house = found
            if not same_node(house.district_path, row.ref.district.path):
                self.reject(
                    sheet,
                    row.row,
                    "district",
                    _("The ledger places the house at this address in police district %(district)s.")
                    % {"district": _district_name(house.district_id)},
                )
                continue
            out[row.row] = house
            if house.pk is None or not given:
                continue
            changes: dict[str, Any] = {}
            for name, value in given.items():
                if name == "owner_phone":
                    new_hash = lookup_hash(value)
                    if new_hash != house.owner_phone_hash:
                        changes[name] = ["***" if house.owner_phone_hash else "", masked_value(name, value)]
                        house.owner_phone, house.owner_phone_hash = value, new_hash
                elif getattr(house, name) != value:
                    changes[name] = [masked_value(name, getattr(house, name)), masked_value(name, value)]
                    setattr(house, name, value)
            if changes:
                previous = updated.get(house.pk)
                updated[house.pk] = (house, {**(previous[1] if previous else {}), **changes})
        if created:
            insert_rows(House, list(created.values()), sealed=self.sealed)
            for house in created.values():
                self.change(
                    RecordType.HOUSE,
                    house,
                    ChangeAction.CREATE,
                    {"address": [None, house.address_id], "use": [None, house.use]},
                    house.district_path,
                )
            self.result.add(RecordType.HOUSE, "created", len(created))
        if updated:
            changed_fields = sorted({name for _h, changes in updated.values() for name in changes})
            if "owner_phone" in changed_fields:
                changed_fields.append("owner_phone_hash")
            for house, changes in updated.values():
                house.updated_at = self.now
                self.change(RecordType.HOUSE, house, ChangeAction.UPDATE, changes, house.district_path)
            House.objects.bulk_update(
                [h for h, _c in updated.values()], [*changed_fields, "updated_at"], batch_size=1000
            )
            self.result.add(RecordType.HOUSE, "updated", len(updated))
        if sheet == ADDRESS_SHEET:
            unchanged = len({h.pk for h in out.values()} - set(updated) - {h.pk for h in created.values()})
            self.result.add(RecordType.HOUSE, "unchanged", unchanged)
        return out

    # -- persons ---------------------------------------------------------------------------

    def person_rows(self, rows: list[PersonRow], nodes: dict[Parts, Address]) -> None:
        houses = self.houses(PERSON_SHEET, rows, nodes, fields_of=lambda r: {})
        rows = [r for r in rows if r.row in houses]
        by_hash: dict[str, Person] = {}
        hashes = [r.id_hash for r in rows if r.id_hash]
        for chunk in _chunks(hashes, 1000):
            for p in Person.objects.filter(id_hash__in=chunk, is_active=True).defer("id_number", "phone"):
                by_hash[p.id_hash] = p
        by_name: dict[tuple[int, str, Any], Person] = {}
        house_ids = sorted({houses[r.row].pk for r in rows if not r.id_hash})
        for chunk in _chunks(house_ids, 1000):
            for p in Person.objects.filter(house_id__in=chunk, id_hash="", is_active=True).defer("phone"):
                by_name[(p.house_id, p.name, p.birth_date)] = p  # type: ignore[index]
        created: list[tuple[PersonRow, Person]] = []
        matched: list[tuple[PersonRow, Person]] = []
        for row in rows:
            house = houses[row.row]
            person = (
                by_hash.get(row.id_hash)
                if row.id_hash
                else by_name.get((house.pk, row.fields["name"], row.fields.get("birth_date")))
            )
            if person is None:
                person = built(
                    Person,
                    name=row.fields["name"],
                    sex=row.fields.get("sex", Sex.UNKNOWN),
                    id_number=row.fields.get("id_number", ""),
                    id_hash=row.id_hash,
                    birth_date=row.fields.get("birth_date"),
                    phone=row.fields.get("phone", ""),
                    phone_hash=row.phone_hash,
                    residence=row.fields.get("residence", Residence.REGISTERED),
                    nationality=row.fields.get("nationality", ""),
                    relation=row.fields.get("relation", ""),
                    note=row.fields.get("note", ""),
                    house_id=house.pk,
                    district_id=house.district_id,
                    district_path=house.district_path,
                    created_at=self.now,
                    updated_at=self.now,
                )
                created.append((row, person))
                if not row.id_hash:
                    by_name[(house.pk, person.name, person.birth_date)] = person
            elif not Scope.under(self.unit).contains(person.district_path):
                self.reject(
                    PERSON_SHEET,
                    row.row,
                    "id_number" if row.id_hash else "name",
                    _("This person is registered in a police district outside %(unit)s.")
                    % {"unit": self.unit.name},
                )
            else:
                matched.append((row, person))
        # New persons' ids are taken first, so that new households are written naming their head.
        for (_row, person), pk in zip(created, reserve_ids(Person, len(created)), strict=True):
            person.pk = person.id = pk
        heads = {
            (houses[r.row].pk, r.household_number): p.pk
            for r, p in [*created, *matched]
            if r.household_number is not None and r.fields.get("relation") == Relation.HEAD
        }
        households = self.households([r for r, _p in [*created, *matched]], houses, heads)
        for row, person in created:
            person.household = households.get(row.row)
        updated: dict[int, tuple[Person, dict[str, Any]]] = {}
        unchanged = 0
        for row, person in matched:
            changes = self._person_changes(person, row, houses[row.row], households.get(row.row))
            if changes:
                updated[person.pk] = (person, changes)
            else:
                unchanged += 1
        if created:
            insert_rows(Person, [p for _r, p in created], sealed=self.sealed)
            for row, person in created:
                self.change(
                    RecordType.PERSON,
                    person,
                    ChangeAction.CREATE,
                    {name: [None, masked_value(name, value)] for name, value in row.fields.items()}
                    | {"house": [None, person.house_id], "household": [None, person.household_id]}
                    | ({"tags": [None, sorted(t.code for t in row.tags)]} if row.tags else {}),
                    person.district_path,
                )
            self.result.add(RecordType.PERSON, "created", len(created))
        # Tags are only added by an import: what officers tagged since stays.
        self._tags(created)
        matched_by_pk = {p.pk: p for _r, p in matched}
        for pk, added in self._tags(matched).items():
            if pk in updated:
                updated[pk][1]["tags"] = added
            else:
                updated[pk] = (matched_by_pk[pk], {"tags": added})
                unchanged -= 1
        if updated:
            names = sorted(
                {n for _p, changes in updated.values() for n in changes if n != "tags"} | {"updated_at"}
            )
            for extra, needs in (
                ("id_hash", "id_number"),
                ("phone_hash", "phone"),
                ("district_path", "house"),
            ):
                if needs in names:
                    names.append(extra)
            if "house" in names:
                names.append("district")
            for person, changes in updated.values():
                person.updated_at = self.now
                self.change(RecordType.PERSON, person, ChangeAction.UPDATE, changes, person.district_path)
            Person.objects.bulk_update([p for p, _c in updated.values()], sorted(set(names)), batch_size=500)
            self.result.add(RecordType.PERSON, "updated", len(updated))
        self.result.add(RecordType.PERSON, "unchanged", unchanged)
        self._heads([*created, *matched], households)

    def _person_changes(
        self, person: Person, row: PersonRow, house: House, household: Household | None
    ) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for name, value in row.fields.items():
            if name == "id_number":
                continue  # matched by its hash: the same number
            if name == "phone":
                if row.phone_hash != person.phone_hash:
                    changes[name] = ["***" if person.phone_hash else "", masked_value(name, value)]
                    person.phone, person.phone_hash = value, row.phone_hash
                continue
            if getattr(person, name) != value:
                changes[name] = [masked_value(name, getattr(person, name)), masked_value(name, value)]
                setattr(person, name, value)
        if person.house_id != house.pk:
            changes["house"] = [person.house_id, house.pk]
            person.house, person.district_id, person.district_path = (
                house,
                house.district_id,
                house.district_path,
            )
        if household is not None and person.household_id != household.pk:
            changes["household"] = [person.household_id, household.pk]
            person.household = household
        return changes

    def _tags(self, pairs: list[tuple[PersonRow, Person]]) -> dict[int, list[Any]]:
        wanted = {(p.pk, t.pk): t.code for r, p in pairs for t in r.tags}
        if not wanted:
            return {}
        existing: set[tuple[int, int]] = set()
        person_ids = sorted({pk for pk, _t in wanted})
        for chunk in _chunks(person_ids, 1000):
            existing |= set(PersonTag.objects.filter(person_id__in=chunk).values_list("person_id", "tag_id"))
        new = [key for key in wanted if key not in existing]
        PersonTag.objects.bulk_create(
            [PersonTag(person_id=pk, tag_id=tag, added_at=self.now) for pk, tag in new],
            batch_size=1000,
            ignore_conflicts=True,
        )
        added: dict[int, list[str]] = defaultdict(list)
        for pk, tag in new:
            added[pk].append(wanted[(pk, tag)])
        return {pk: [None, sorted(codes)] for pk, codes in added.items()}

    def households(
        self, rows: list[PersonRow], houses: dict[int, House], heads: dict[tuple[int, str], int]
    ) -> dict[int, Household]:
        """The household of each row (by row number), created where missing; a new household is
        written naming its head (whose row is checked at commit, as foreign keys are deferred)."""
        keys = {(houses[r.row].pk, r.household_number) for r in rows if r.household_number is not None}
        house_by_id = {h.pk: h for h in houses.values()}
        existing: dict[tuple[int, str], Household] = {}
        house_ids = sorted({k[0] for k in keys})
        for chunk in _chunks(house_ids, 1000):
            for h in Household.objects.filter(house_id__in=chunk):
                existing[(h.house_id, h.number)] = h
        created: list[Household] = []
        revived: list[Household] = []
        for house_id, number in sorted(keys, key=lambda k: (k[0], k[1] or "")):
            assert number is not None  # filtered above
            household = existing.get((house_id, number))
            if household is None:
                house = house_by_id[house_id]
                household = built(
                    Household,
                    house_id=house.pk,
                    head_id=heads.get((house_id, number)),
                    number=number,
                    district_id=house.district_id,
                    district_path=house.district_path,
                    created_at=self.now,
                    updated_at=self.now,
                )
                created.append(household)
                existing[(house_id, number)] = household
            elif not household.is_active:
                household.is_active, household.updated_at = True, self.now
                revived.append(household)
        if created:
            insert_rows(Household, created)
            for household in created:
                self.change(
                    RecordType.HOUSEHOLD,
                    household,
                    ChangeAction.CREATE,
                    {
                        "house": [None, household.house_id],
                        "number": [None, household.number],
                        "head": [None, household.head_id],
                    },
                    household.district_path,
                )
            self.result.add(RecordType.HOUSEHOLD, "created", len(created))
        if revived:
            Household.objects.bulk_update(revived, ["is_active", "updated_at"])
            for household in revived:
                self.change(
                    RecordType.HOUSEHOLD,
                    household,
                    ChangeAction.REACTIVATE,
                    {"is_active": [False, True]},
                    household.district_path,
                )
        return {
            r.row: existing[(houses[r.row].pk, r.household_number)]
            for r in rows
            if r.household_number is not None
        }

    def _heads(self, pairs: list[tuple[PersonRow, Person]], households: dict[int, Household]) -> None:
        changed: list[Household] = []
        for row, person in pairs:
            household = households.get(row.row)
            if (
                household is None
                or row.fields.get("relation") != Relation.HEAD
                or household.head_id == person.pk
            ):
                continue
            self.change(
                RecordType.HOUSEHOLD,
                household,
                ChangeAction.UPDATE,
                {"head": [household.head_id, person.pk]},
                household.district_path,
            )
            household.head, household.updated_at = person, self.now
            changed.append(household)
        if changed:
            Household.objects.bulk_update(changed, ["head", "updated_at"], batch_size=1000)

    # -- organisations ---------------------------------------------------------------------

    def organisation_rows(self, rows: list[OrganisationRow], nodes: dict[Parts, Address]) -> None:
        codes = [r.fields["credit_code"] for r in rows if r.fields.get("credit_code")]
        by_code: dict[str, Organisation] = {}
        for chunk in _chunks(codes, 1000):
            for o in Organisation.objects.filter(credit_code__in=chunk).defer("contact_phone"):
                by_code[o.credit_code] = o
        address_ids = sorted({nodes[r.ref.parts].pk for r in rows if not r.fields.get("credit_code")})
        by_name: dict[tuple[str, int], Organisation] = {}
        for chunk in _chunks(address_ids, 1000):
            for o in Organisation.objects.filter(address_id__in=chunk, credit_code="").defer("contact_phone"):
                by_name[(o.name, o.address_id)] = o
        created: list[Organisation] = []
        updated: list[tuple[Organisation, dict[str, Any]]] = []
        unchanged = 0
        for row in rows:
            node = nodes[row.ref.parts]
            code = row.fields.get("credit_code", "")
            organisation = by_code.get(code) if code else by_name.get((row.fields["name"], node.pk))
            if organisation is None:
                phone = row.fields.get("contact_phone", "")
                organisation = Organisation(
                    **{"kind": "other", **row.fields},
                    contact_phone_hash=lookup_hash(phone) if phone else "",
                    address=node,
                    district=row.ref.district,
                    district_path=row.ref.district.path,
                    created_at=self.now,
                    updated_at=self.now,
                )
                created.append(organisation)
                continue
            if not Scope.under(self.unit).contains(organisation.district_path):
                self.reject(
                    ORGANISATION_SHEET,
                    row.row,
                    "credit_code" if code else "name",
                    _("This organisation is registered in a police district outside %(unit)s.")
                    % {"unit": self.unit.name},
                )
                continue
            changes: dict[str, Any] = {}
            for name, value in row.fields.items():
                if name == "contact_phone":
                    new_hash = lookup_hash(value)
                    if new_hash != organisation.contact_phone_hash:
                        changes[name] = [
                            "***" if organisation.contact_phone_hash else "",
                            masked_value(name, value),
                        ]
                        organisation.contact_phone, organisation.contact_phone_hash = value, new_hash
                elif getattr(organisation, name) != value:
                    changes[name] = [getattr(organisation, name), value]
                    setattr(organisation, name, value)
            if organisation.address_id != node.pk:
                changes["address"] = [organisation.address_id, node.pk]
                organisation.address = node
                organisation.district = row.ref.district
                organisation.district_path = row.ref.district.path
            if changes:
                updated.append((organisation, changes))
            else:
                unchanged += 1
        if created:
            insert_rows(Organisation, created, sealed=self.sealed)
            for organisation in created:
                self.change(
                    RecordType.ORGANISATION,
                    organisation,
                    ChangeAction.CREATE,
                    {"name": [None, organisation.name], "address": [None, organisation.address_id]},
                    organisation.district_path,
                )
            self.result.add(RecordType.ORGANISATION, "created", len(created))
        if updated:
            names = sorted({n for _o, changes in updated for n in changes} | {"updated_at"})
            if "contact_phone" in names:
                names.append("contact_phone_hash")
            if "address" in names:
                names += ["district", "district_path"]
            for organisation, changes in updated:
                organisation.updated_at = self.now
                self.change(
                    RecordType.ORGANISATION,
                    organisation,
                    ChangeAction.UPDATE,
                    changes,
                    organisation.district_path,
                )
            Organisation.objects.bulk_update([o for o, _c in updated], names, batch_size=500)
            self.result.add(RecordType.ORGANISATION, "updated", len(updated))
        self.result.add(RecordType.ORGANISATION, "unchanged", unchanged)


def _district_name(pk: int) -> str:
    unit = Unit.objects.filter(pk=pk).only("name").first()
    return unit.name if unit else str(pk)
