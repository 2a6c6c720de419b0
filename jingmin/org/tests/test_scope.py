"""A user sees only the units and staff under their own node."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jingmin.org.selectors import staff_get, staff_list, unit_list


def names(queryset):
    return {u.username if hasattr(u, "username") else u.code for u in queryset}


@pytest.mark.django_db
def test_officer_sees_only_own_district(persona):
    assert names(unit_list(actor=persona.oliver)) == {"TA11"}
    assert names(staff_list(actor=persona.oliver)) == {"oliver"}


@pytest.mark.django_db
def test_officers_of_different_stations_cannot_see_each_other(persona):
    with pytest.raises(Http404):
        staff_get(actor=persona.olga, pk=persona.oliver.pk)
    with pytest.raises(Http404):
        staff_get(actor=persona.oliver, pk=persona.olga.pk)


@pytest.mark.django_db
def test_station_roles_see_their_station_subtree(persona):
    for person in (persona.chen, persona.clara):
        assert names(unit_list(actor=person)) == {"TA10", "TA11", "TA12"}
        assert names(staff_list(actor=person)) == {"clara", "chen", "oliver"}


@pytest.mark.django_db
def test_bureau_roles_see_everything(persona):
    everyone = {u.username for u in persona.all_users()}
    for person in (persona.li, persona.ines, persona.sam, persona.sue):
        assert len(unit_list(actor=person)) == 8
        assert names(staff_list(actor=person)) == everyone


@pytest.mark.django_db
def test_audit_administrator_sees_no_business_data(persona):
    with pytest.raises(PermissionDenied):
        unit_list(actor=persona.audrey)
    with pytest.raises(PermissionDenied):
        staff_list(actor=persona.audrey)


@pytest.mark.django_db
def test_deactivated_account_sees_nothing(persona):
    persona.chen.is_active = False
    with pytest.raises(PermissionDenied):
        staff_list(actor=persona.chen)
