"""The scope module on its own: who covers which units, and the shortcuts it takes.

Li sits at the bureau and covers everything; Chen's station A covers its two districts and
nothing of station B; Oliver's district A1 is a leaf, so its scope is an equality; a deactivated
account covers nothing.
"""

from __future__ import annotations

import pytest

from jingmin.org.models import Unit
from jingmin.org.scope import NOTHING, Scope, path_ids, path_prefixes, path_within, units_above


@pytest.mark.django_db
def test_bureau_covers_every_unit_without_a_condition(persona):
    scope = Scope.of(persona.li)
    assert scope.is_everything
    assert str(scope.q("path")) == "(AND: )"
    assert set(scope.units()) == set(Unit.objects.all())


@pytest.mark.django_db
def test_station_covers_its_districts_and_nothing_of_the_other_station(persona):
    scope = Scope.of(persona.chen)
    assert set(scope.units()) == {persona.station_a, persona.district_a1, persona.district_a2}
    assert scope.contains(persona.district_a2)
    assert scope.contains(persona.district_a1.path)
    assert not scope.contains(persona.station_b)
    assert not scope.contains(persona.branch_a)


@pytest.mark.django_db
def test_a_district_scope_is_an_equality(persona):
    scope = Scope.of(persona.oliver)
    assert scope.leaf
    assert scope.q("district_path").children == [("district_path", persona.district_a1.path)]
    assert list(scope.units()) == [persona.district_a1]


@pytest.mark.django_db
def test_a_deactivated_account_covers_nothing(persona):
    persona.chen.is_active = False
    scope = Scope.of(persona.chen)
    assert scope == NOTHING
    assert scope.is_empty
    assert not scope.units().exists()
    assert not scope.contains(persona.station_a)
    assert not Unit.objects.filter(scope.q("path")).exists()


@pytest.mark.django_db
def test_paths_split_into_the_units_above(persona):
    a1 = persona.district_a1
    expected = [persona.bureau, persona.branch_a, persona.station_a, a1]
    assert path_ids(a1.path) == [u.pk for u in expected]
    assert path_prefixes(a1.path) == [u.path for u in expected]
    assert list(units_above(a1)) == [persona.station_a, persona.branch_a, persona.bureau]
    assert list(units_above(a1, include_self=True)) == [
        a1,
        persona.station_a,
        persona.branch_a,
        persona.bureau,
    ]
    assert Scope.of(persona.chen).above_or_at(a1.path) == [persona.station_a.path, a1.path]
    assert Scope.of(persona.olga).above_or_at(a1.path) == []


def test_an_empty_top_never_contains_anything():
    assert not path_within("000001/", "")
    assert path_within("000001/000002/", "000001/")
    assert not path_within("000001/", "000001/000002/")
