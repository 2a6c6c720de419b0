"""Reads of the ledger, always scoped to the acting user.

A user sees a ledger record when its police district lies in their unit's subtree: an officer their
district, a chief their station, leaders and inspectors the bureau. Records outside are 404, not
403, so that their existence is not disclosed. Address nodes above districts (a county, a street
that two districts share) carry the common path of the districts beneath them, and may be browsed
through by everyone whose unit lies below that path.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from jingmin.audit.services import audit_record
from jingmin.core.crypto import lookup_hash
from jingmin.core.errors import ServiceError
from jingmin.core.search import search_filter
from jingmin.ledger.codes import AuditAction
from jingmin.ledger.identifiers import normalise_id_number, parse_id_number
from jingmin.ledger.models import (
    Address,
    House,
    Household,
    ImportRun,
    LedgerChange,
    Organisation,
    Person,
    Tag,
)
from jingmin.org.models import User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope, chain_q
from jingmin.org.selectors import require

M = TypeVar("M", bound=Model)

PAGE_SIZE = 30
_ID_LIKE = re.compile(r"^[0-9]{15}$|^[0-9]{17}[0-9X]$")
_PHONE_LIKE = re.compile(r"^\+?[0-9][0-9\- ]{6,16}$")


def _scoped(queryset: QuerySet[M], actor: User) -> QuerySet[M]:
    # A district's scope is an equality, which an index on (district_path, id) serves in list
    # order, where a prefix match would have to sort; the bureau's adds no condition.
    return Scope.of(actor).filter(queryset, "district_path")


def in_scope(actor: User, district_path: str) -> bool:
    return Scope.of(actor).contains(district_path)


# ---------------------------------------------------------------------------------------------
# The contract with visits: households, persons and organisations by id, scoped.


def households_in_scope(actor: User) -> QuerySet[Household]:
    """Active households the actor may see; coverage counts these."""
    require(actor, Cap.LEDGER_VIEW)
    return _scoped(Household.objects.filter(is_active=True), actor)


def household_get(actor: User, pk: int) -> Household:
    require(actor, Cap.LEDGER_VIEW)
    household = (
        _scoped(Household.objects.all(), actor)
        .select_related("house", "house__address", "head", "district")
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise Http404
    return household


def person_get(actor: User, pk: int, *, audit: bool = True) -> Person:
    """A person's record; each read is a logged act (an audit row for everyone who reads it).
    `audit=False` is for code that only checks scope and shows nothing of the person."""
    require(actor, Cap.LEDGER_VIEW)
    person = (
        _scoped(Person.objects.all(), actor)
        .select_related("household", "household__house__address", "house", "house__address", "district")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    if audit:
        audit_record(actor=actor, action=AuditAction.PERSON_READ, target=person)
    return person


def organisation_get(actor: User, pk: int) -> Organisation:
    require(actor, Cap.LEDGER_VIEW)
    organisation = (
        _scoped(Organisation.objects.all(), actor).select_related("address", "district").filter(pk=pk).first()
    )
    if organisation is None:
        raise Http404
    return organisation


def tag_names(codes: list[str]) -> dict[str, str]:
    return dict(Tag.objects.filter(code__in=codes).values_list("code", "name"))


# ---------------------------------------------------------------------------------------------
# Addresses and houses


def address_scope(actor: User) -> QuerySet[Address]:
    """Addresses in the actor's scope, and the nodes above it they browse through."""
    require(actor, Cap.LEDGER_VIEW)
    scope = Scope.of(actor)
    if scope.is_empty:
        return Address.objects.none()
    # Address nodes above districts carry the common path of the districts beneath them.
    return Address.objects.filter(scope.q_or_above("district_path"))


def address_get(actor: User, pk: int) -> Address:
    address = address_scope(actor).select_related("parent", "district").filter(pk=pk).first()
    if address is None:
        raise Http404
    return address


def address_children(actor: User, parent: Address | None) -> QuerySet[Address]:
    qs = address_scope(actor).filter(is_active=True)
    qs = qs.filter(parent=parent) if parent is not None else qs.filter(parent__isnull=True)
    return qs.select_related("house").order_by("name", "id")


def address_ancestors(actor: User, address: Address) -> list[Address]:
    """The nodes above `address` the actor may see, top first (the breadcrumbs)."""
    above = chain_q("path", address.path, segment=len(Address.path_segment(0)), include_self=False)
    return list(address_scope(actor).filter(above).order_by("depth"))


def address_search(actor: User, q: str) -> QuerySet[Address]:
    """Addresses whose full text contains the query, through the bigram index."""
    return search_filter(
        address_scope(actor).filter(is_active=True), q, fields=("full_name",), newest="id", split_words=False
    )


def house_get(actor: User, pk: int) -> House:
    require(actor, Cap.LEDGER_VIEW)
    house = _scoped(House.objects.all(), actor).select_related("address", "district").filter(pk=pk).first()
    if house is None:
        raise Http404
    return house


def house_for_address(actor: User, address: Address) -> House | None:
    return _scoped(House.objects.filter(address=address), actor).first()


def household_members(household: Household) -> QuerySet[Person]:
    return household.members.filter(is_active=True).order_by("id")


# ---------------------------------------------------------------------------------------------
# Lists and search


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    tag: str = ""
    residence: str = ""
    inactive: bool = False


def person_list(actor: User, filters: PersonFilters | None = None) -> QuerySet[Person]:
    """Persons in scope matching a search, newest first.

    The query is recognised by its shape: an ID number (15 or 18 characters) is found exactly
    through its keyed hash, a phone number through its own hash, anything else as the beginning
    of a name. Each is one indexed lookup at millions of rows; no identifier is ever decrypted to
    be compared.
    """
    require(actor, Cap.LEDGER_VIEW)
    f = filters or PersonFilters()
    qs = _scoped(Person.objects.filter(is_active=not f.inactive), actor)
    q = " ".join(f.q.split())
    if q:
        compact = normalise_id_number(q)
        digits = re.sub(r"[\s\-]", "", q)
        if _ID_LIKE.match(compact):
            # A mistyped number is still looked up as typed (and finds nothing).
            with contextlib.suppress(ServiceError):
                compact = parse_id_number(compact).number
            qs = qs.filter(id_hash=lookup_hash(compact))
        elif _PHONE_LIKE.match(q):
            qs = qs.filter(phone_hash=lookup_hash(digits.removeprefix("+86")))
        else:
            qs = qs.filter(name__startswith=q)
    if f.tag:
        qs = qs.filter(tag_links__tag__code=f.tag)
    if f.residence:
        qs = qs.filter(residence=f.residence)
    return qs.select_related("house__address", "district").prefetch_related("tags")


def organisation_list(actor: User, q: str = "") -> QuerySet[Organisation]:
    require(actor, Cap.LEDGER_VIEW)
    qs = _scoped(Organisation.objects.filter(is_active=True), actor)
    q = " ".join(q.split())
    if q:
        code = q.upper()
        qs = (
            qs.filter(Q(name__startswith=q) | Q(credit_code=code))
            if len(code) == 18
            else qs.filter(name__startswith=q)
        )
    return qs.select_related("address", "district")


def household_list(actor: User) -> QuerySet[Household]:
    return households_in_scope(actor).select_related("house__address", "head", "district")


def tag_choices() -> QuerySet[Tag]:
    return Tag.objects.filter(is_active=True).order_by("position", "code")


def record_history(actor: User, record_type: str, record_id: int) -> QuerySet[LedgerChange]:
    """The change rows of one record the actor may see (the record itself was checked)."""
    require(actor, Cap.LEDGER_VIEW)
    return LedgerChange.objects.filter(record_type=record_type, record_id=record_id).order_by("-at", "-id")


def import_runs(actor: User) -> QuerySet[ImportRun]:
    require(actor, Cap.LEDGER_IMPORT)
    return Scope.of(actor).filter(ImportRun.objects.all(), "unit_path").select_related("created_by")


def import_run_get(actor: User, pk: int) -> ImportRun:
    run = import_runs(actor).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def may_reveal(actor: User) -> bool:
    return can(actor, Cap.LEDGER_REVEAL)
