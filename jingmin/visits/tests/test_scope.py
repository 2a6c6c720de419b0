"""Who records for and sees which visits: the police district's subtree and no one else. A record
outside the scope is a 404, as in the ledger and the appeals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jingmin.visits import services
from jingmin.visits.models import Visit
from jingmin.visits.selectors import visit_get, visit_list
from jingmin.visits.tests.conftest import visit_input


def visible(user) -> set[int]:
    return set(visit_list(actor=user).values_list("pk", flat=True))


def test_olga_cannot_record_a_visit_for_a_household_of_olivers_district(persona, world):
    for target in (
        {"household": world.a1[0].pk},
        {"person": world.newborn_mother.pk},
        {"organisation": world.shop_a1.pk},
    ):
        with pytest.raises(Http404):
            services.visit_record(actor=persona.olga, data=visit_input(**target))
    assert Visit.objects.count() == 0


def test_news_about_a_person_outside_the_scope_is_refused(persona, world):
    from jingmin.core.errors import ServiceError

    item = services.ItemInput(kind="illness", text="住院", person=world.b1[0].head_id)
    with pytest.raises(ServiceError) as caught:
        services.visit_record(actor=persona.oliver, data=visit_input(household=world.a1[0].pk, items=[item]))
    assert caught.value.field == "items.0.person"


def test_each_persona_sees_the_visits_of_their_subtree(persona, world, record):
    at_a1 = record(household=world.a1[0].pk)
    at_a2 = record(actor=persona.chen, household=world.a2[0].pk)
    at_b1 = record(actor=persona.olga, household=world.b1[0].pk)
    assert visible(persona.oliver) == {at_a1.pk}
    assert visible(persona.olga) == {at_b1.pk}
    assert visible(persona.chen) == visible(persona.clara) == {at_a1.pk, at_a2.pk}
    assert visible(persona.li) == visible(persona.ines) == {at_a1.pk, at_a2.pk, at_b1.pk}
    with pytest.raises(Http404):
        visit_get(actor=persona.olga, pk=at_a1.pk)
    with pytest.raises(Http404):
        visit_get(actor=persona.oliver, pk=at_a2.pk)


@pytest.mark.parametrize("admin", ["sam", "sue", "audrey"])
def test_administrators_read_no_visits(persona, world, record, admin):
    record(household=world.a1[0].pk)
    with pytest.raises(PermissionDenied):
        visit_list(actor=getattr(persona, admin))


def test_olga_cannot_amend_a_visit_she_cannot_see(persona, world, record):
    visit = record(household=world.a1[0].pk)
    with pytest.raises(Http404):
        services.visit_amend(actor=persona.olga, visit_id=visit.pk, reason="改", summary="另写")
    assert visit.amendments.count() == 0
