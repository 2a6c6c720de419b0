"""What the field app copies to an officer's phone, and nothing more.

The copy is of one police district of the officer's own scope: its active households with their
members' masked names, ages, relations and care tags (enough to find the door and to record the
family's news, never a full name, an ID number or a phone), today's plan, the officer's open tasks
and "my work". Persuasion visits and their tasks are never in it.

Each household carries a version: a digest of the facts the copy shows of it (address, number,
head, the active members with what the copy shows of them). A visit whose family news concerns
the members is checked against it when it arrives, so that news about a household that changed
since the copy was made is shown to the officer instead of being recorded blindly.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from jingmin.appeals import selectors as appeals
from jingmin.appeals.models import Action, Appeal
from jingmin.ledger import selectors as ledger
from jingmin.ledger.models import Household, Person, PersonTag, Relation, Sex
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require
from jingmin.visits import coverage
from jingmin.visits import selectors as visits
from jingmin.visits.models import RESTRICTED_KINDS, ItemKind

# The news that changes who lives in a household: a visit bringing it is checked against the
# version of the household the officer saw.
MEMBER_NEWS = frozenset(
    {ItemKind.BIRTH, ItemKind.DEATH, ItemKind.MARRIAGE, ItemKind.MOVE_IN, ItemKind.MOVE_OUT}
)
# The steps of "my work" the phone may queue; the rest need the pages (and a network).
FIELD_STEPS = (Action.SIGN, Action.CONTACT, Action.CONCLUDE)
PLAN_LIMIT = 100
WORK_LIMIT = 200
TASK_LIMIT = 200


def field_districts(actor: User) -> list[Unit]:
    """The police districts whose households the actor may take to the field: their own, or for
    a chief those of the station."""
    require(actor, Cap.VISIT_RECORD)
    return list(coverage.districts_under(actor.unit).order_by("path"))


def field_district(actor: User, district_id: int | None) -> Unit:
    districts = field_districts(actor)
    if district_id is None and districts:
        return districts[0]
    chosen = next((d for d in districts if d.pk == district_id), None)
    if chosen is None:
        raise Http404
    return chosen


# ---------------------------------------------------------------------------------------------
# Households


def age_on(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class _Member:
    """What the copy shows of a member, read as plain values: a district's copy reads tens of
    thousands of them, and model instances would cost most of its time."""

    pk: int
    name: str
    sex: str
    relation: str
    birth_date: date | None
    tags: list[tuple[str, str]]  # (code, name in the person's language)


def _tag_name(name: str, name_en: str) -> str:
    return name_en if (get_language() or "").startswith("en") and name_en else name


def _members_of(households: Iterable[int], *, district: Unit | None = None) -> dict[int, list[_Member]]:
    """The active members of the households, with their tags, in three queries however many."""
    ids = list(households)
    people = Person.objects.filter(is_active=True)
    links = PersonTag.objects.filter(person__is_active=True, tag__is_active=True)
    if district is not None:
        # A whole district: one join, no list of ids (which SQLite caps at 32,766 parameters).
        people = people.filter(household__district=district, household__is_active=True)
        links = links.filter(person__household__district=district, person__household__is_active=True)
    else:
        people = people.filter(household_id__in=ids)
        links = links.filter(person__household_id__in=ids)
    tags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, code, name, name_en in links.order_by("tag__position", "tag__code").values_list(
        "person_id", "tag__code", "tag__name", "tag__name_en"
    ):
        tags[person_id].append((code, _tag_name(name, name_en)))
    out: dict[int, list[_Member]] = defaultdict(list)
    rows = people.order_by("household_id", "id").values_list(
        "household_id", "id", "name", "sex", "relation", "birth_date"
    )
    for household_id, pk, name, sex, relation, birth_date in rows:
        out[household_id].append(_Member(pk, name, sex, relation, birth_date, tags.get(pk, [])))
    return out


@dataclass(frozen=True)
class _Home:
    """What the copy shows of a household itself, read as plain values."""

    pk: int
    number: str
    head_id: int | None
    is_active: bool
    address: str

    @classmethod
    def of(cls, household: Household) -> _Home:
        return cls(
            household.pk,
            household.number,
            household.head_id,
            household.is_active,
            household.house.address.full_name,
        )


def household_version(household: _Home, members: list[_Member]) -> str:
    """A digest of what the copy shows of the household; it changes when any of it changes."""
    facts = [
        household.pk,
        household.number,
        household.head_id,
        household.is_active,
        household.address,
        [
            [
                m.pk,
                m.name,
                m.sex,
                m.relation,
                m.birth_date.isoformat() if m.birth_date else None,
                [code for code, _name in m.tags],
            ]
            for m in members
        ],
    ]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()[:20]


@cache
def _labels(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """The names of relations and sexes in one language (built once, not once per member)."""
    return (
        {str(value): str(label) for value, label in Relation.choices},
        {str(value): str(label) for value, label in Sex.choices if value != Sex.UNKNOWN},
    )


def household_card(
    household: _Home,
    members: list[_Member],
    *,
    today: date,
    last_visit: datetime | None = None,
    covered: bool = False,
    due_on: date | None = None,
) -> dict[str, Any]:
    relations, sexes = _labels(get_language() or settings.LANGUAGE_CODE)
    head = next((m for m in members if m.pk == household.head_id), None)
    tag_names: list[str] = []
    for member in members:
        for _code, name in member.tags:
            if name not in tag_names:
                tag_names.append(name)
    return {
        "id": household.pk,
        "version": household_version(household, members),
        "address": household.address,
        "number": household.number,
        "head": coverage.mask_name(head.name) if head else "",
        "members": [
            {
                "id": m.pk,
                "name": coverage.mask_name(m.name),
                "sex": sexes.get(m.sex, ""),
                "relation": relations.get(m.relation, ""),
                "age": age_on(m.birth_date, today),
                "tags": [name for _code, name in m.tags],
            }
            for m in members
        ],
        "tags": tag_names,
        "last_visit": last_visit.isoformat() if last_visit else None,
        "covered": covered,
        "due_on": due_on.isoformat() if due_on else None,
    }


def household_cards(*, actor: User, district: Unit, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every active household of the district as the copy holds it, not yet visited first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = visits.current_months([district.pk])[district.pk]
    rows, _start = coverage.household_rows(actor=actor, district=district, now=now)
    # `last_visit` and `covered` are household_rows' annotations, unknown to the type checker.
    annotated: Any = rows
    values = annotated.values_list(
        "pk",
        "number",
        "head_id",
        "is_active",
        "house__address__full_name",
        "last_visit",
        "covered",
        "created_at",
    )
    households = [(_Home(*row[:5]), row[5], row[6], row[7]) for row in values]
    members = _members_of((home.pk for home, *_rest in households), district=district)
    return [
        household_card(
            home,
            members.get(home.pk, []),
            today=today,
            last_visit=last_visit,
            covered=covered,
            due_on=visits.add_months(last_visit or created_at, months),
        )
        for home, last_visit, covered, created_at in households
    ]


def household_now(*, actor: User, household_id: int) -> dict[str, Any]:
    """One household as the copy would hold it now (the answer to a conflict). 404 outside the
    actor's scope."""
    household = ledger.household_get(actor, household_id)
    members = _members_of([household.pk])
    return household_card(_Home.of(household), members.get(household.pk, []), today=timezone.localdate())


# ---------------------------------------------------------------------------------------------
# Today's plan, tasks, my work


def plan_rows(*, actor: User, district: Unit, now: datetime) -> list[dict[str, Any]]:
    return [
        {"household": row.household.pk, "due_on": row.due_on.isoformat(), "overdue": row.overdue}
        for row in coverage.today_plan(actor=actor, district=district, now=now, limit=PLAN_LIMIT)
    ]


def task_rows(*, actor: User) -> list[dict[str, Any]]:
    """The officer's open tasks from visits; those of persuasion visits stay on the pages."""
    tasks = visits.task_list(actor=actor).exclude(visit__kind__in=sorted(RESTRICTED_KINDS))
    return [
        {
            "id": t.pk,
            "text": t.text,
            "due_on": t.due_on.isoformat() if t.due_on else None,
            "household": t.visit.household_id,
        }
        for t in tasks[:TASK_LIMIT]
    ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def work_row(actor: User, appeal: Appeal) -> dict[str, Any]:
    """An appeal of "my work" as the phone holds it: the citizen masked, the clocks, and which of
    the phone's steps the transitions table allows now."""
    allowed = appeals.allowed_actions(actor=actor, appeal=appeal)
    return {
        "id": appeal.pk,
        "tracking_code": appeal.tracking_code,
        "title": appeal.title,
        "content": appeal.content,
        "state": appeal.state,
        "state_label": str(appeal.get_state_display()),
        "urgency": appeal.urgency,
        "urgency_label": str(appeal.get_urgency_display()),
        "category": appeal.category.name if appeal.category_id else "",
        "address": appeal.address,
        "citizen": appeal.citizen_name_masked,
        "phone": appeal.citizen_phone_masked,
        "received_at": _iso(appeal.received_at),
        "due_at": _iso(appeal.due_at),
        "sign_by": _iso(appeal.sign_by),
        "contact_by": _iso(appeal.contact_by),
        "conclude_by": _iso(appeal.conclude_by),
        "steps": [step for step in FIELD_STEPS if step in allowed],
    }


def work_rows(*, actor: User) -> list[dict[str, Any]]:
    if not can(actor, Cap.APPEAL_HANDLE):
        return []
    return [work_row(actor, a) for a in appeals.my_work(actor=actor)[:WORK_LIMIT]]


def appeal_now(*, actor: User, appeal_id: int) -> dict[str, Any] | None:
    """An appeal as "my work" would show it now, or None once it is out of the actor's sight."""
    appeal = appeals.appeal_scope(actor).select_related("category").filter(pk=appeal_id).first()
    return work_row(actor, appeal) if appeal is not None else None


# ---------------------------------------------------------------------------------------------
# The whole copy


def expires_at(generated_at: datetime) -> datetime:
    return generated_at + timedelta(days=settings.FIELD_CACHE_DAYS)


def field_copy(*, actor: User, district: Unit, now: datetime | None = None) -> dict[str, Any]:
    """Everything the phone keeps for working offline, for one district of the actor's scope."""
    now = now or timezone.now()
    return {
        "generated_at": now.isoformat(),
        "expires_at": expires_at(now).isoformat(),
        "district": {"id": district.pk, "name": district.name},
        "households": household_cards(actor=actor, district=district, now=now),
        "plan": plan_rows(actor=actor, district=district, now=now),
        "tasks": task_rows(actor=actor),
        "work": work_rows(actor=actor),
    }
