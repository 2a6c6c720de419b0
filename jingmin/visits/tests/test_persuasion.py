"""Persuasion (规劝) visits concern the families of wanted persons: only the officer who recorded
one and the chiefs above see it, every opening of one is audited, and it never shows in coverage."""

from __future__ import annotations

import pytest
from django.http import Http404

from conftest import make_user
from jingmin.audit.models import AuditEntry
from jingmin.org.roles import Role
from jingmin.visits.coverage import coverage_by_district, household_rows
from jingmin.visits.selectors import visit_get, visit_list


def reads_of(visit) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            action="audit.record_read", target_id=str(visit.pk), target_type="visits.visit"
        )
        .order_by("seq")
        .values_list("actor_username", flat=True)
    )


def test_a_persuasion_visit_is_seen_by_its_author_and_the_chief_only(persona, world, record):
    oscar = make_user("oscar", persona.district_a1, Role.OFFICER, "欧思卡")
    visit = record(kind="persuasion", household=world.a1[0].pk, summary="劝其子投案自首")
    ordinary = record(household=world.a1[1].pk)
    for allowed in (persona.oliver, persona.chen):
        assert visit.pk in set(visit_list(actor=allowed).values_list("pk", flat=True))
    for barred in (oscar, persona.clara, persona.li, persona.ines):
        seen = set(visit_list(actor=barred).values_list("pk", flat=True))
        assert visit.pk not in seen and ordinary.pk in seen
        with pytest.raises(Http404):
            visit_get(actor=barred, pk=visit.pk)


def test_every_reading_of_a_persuasion_visit_is_audited(persona, world, record):
    visit = record(kind="persuasion", household=world.a1[0].pk, summary="劝其子投案自首")
    ordinary = record(household=world.a1[1].pk)
    visit_get(actor=persona.chen, pk=visit.pk)
    visit_get(actor=persona.oliver, pk=visit.pk)
    visit_get(actor=persona.chen, pk=visit.pk)
    assert reads_of(visit) == ["chen", "oliver", "chen"]
    visit_get(actor=persona.chen, pk=ordinary.pk)
    assert reads_of(ordinary) == []


def test_persuasion_does_not_count_towards_coverage(persona, world, record):
    record(kind="persuasion", household=world.a1[0].pk, summary="劝其子投案自首")
    assert coverage_by_district([persona.district_a1.pk])[persona.district_a1.pk].covered == 0
    rows, _start = household_rows(actor=persona.clara, district=persona.district_a1)
    assert all(row.last_visit is None for row in rows)  # type: ignore[attr-defined]
