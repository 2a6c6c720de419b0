"""Scope: an officer sees their district, a chief their station, leaders and inspectors the
bureau; a record outside is a 404, for reads and writes alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import signed_in
from jingmin.ledger import selectors, services
from jingmin.ledger.models import Address, Person


def _pages(ledger):
    return [
        reverse("ledger:person", args=[ledger["person"].pk]),
        reverse("ledger:household", args=[ledger["household"].pk]),
        reverse("ledger:house", args=[ledger["house"].pk]),
        reverse("ledger:address", args=[ledger["address"].pk]),
        reverse("ledger:person_edit", args=[ledger["person"].pk]),
    ]


def test_olga_cannot_see_olivers_district(persona, ledger_a1):
    olga = signed_in(persona.olga)
    for url in _pages(ledger_a1):
        assert olga.get(url).status_code == 404, url
    html = olga.get(reverse("ledger:index")).content.decode()
    assert ledger_a1["person"].name not in html


def test_a_write_outside_the_scope_is_a_404_and_changes_nothing(persona, ledger_a1):
    from django.http import Http404

    person = ledger_a1["person"]
    with pytest.raises(Http404):
        services.person_deactivate(actor=persona.olga, person_id=person.pk, reason="moved_out")
    response = signed_in(persona.olga).post(
        reverse("ledger:person_leave", args=[person.pk]), {"reason": "moved_out"}
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.is_active


def test_the_chief_sees_the_station_and_the_leader_the_bureau(persona, ledger_a1, ledger_b1):
    a1, b1 = ledger_a1["person"], ledger_b1["person"]
    assert set(selectors.person_list(persona.chen)) == {a1}
    assert set(selectors.person_list(persona.oliver)) == {a1}
    assert set(selectors.person_list(persona.olga)) == {b1}
    assert set(selectors.person_list(persona.li)) == {a1, b1}
    assert set(selectors.person_list(persona.ines)) == {a1, b1}
    assert signed_in(persona.chen).get(reverse("ledger:person", args=[a1.pk])).status_code == 200
    assert signed_in(persona.chen).get(reverse("ledger:person", args=[b1.pk])).status_code == 404
    assert signed_in(persona.li).get(reverse("ledger:person", args=[b1.pk])).status_code == 200
    assert set(selectors.households_in_scope(persona.chen)) == {ledger_a1["household"]}


def test_administrators_have_no_ledger(persona, ledger_a1):
    for user in (persona.sam, persona.sue, persona.audrey):
        assert signed_in(user).get(reverse("ledger:index")).status_code == 403
        assert signed_in(user).get(reverse("ledger:person", args=[ledger_a1["person"].pk])).status_code == 403


def test_the_clerk_reads_but_does_not_edit(persona, ledger_a1):
    clara = signed_in(persona.clara)
    assert clara.get(reverse("ledger:person", args=[ledger_a1["person"].pk])).status_code == 200
    assert clara.get(reverse("ledger:person_edit", args=[ledger_a1["person"].pk])).status_code == 403
    assert clara.get(reverse("ledger:household_new", args=[ledger_a1["house"].pk])).status_code == 403


def test_address_nodes_above_districts_lead_down_to_ones_own(persona, ledger_a1, ledger_b1):
    """A county spanning both stations is browsed through by both officers; a door is not."""
    from jingmin.ledger.models import AddressKind

    # A door of A2 under the same community as Oliver's: the community now spans A1 and A2.
    door_a2 = services.address_ensure(
        actor=None,
        parts=[
            (AddressKind.DIVISION, "城关镇"),
            (AddressKind.DIVISION, "东门社区"),
            (AddressKind.ROAD, "东门路"),
            (AddressKind.NUMBER, "10号"),
        ],
        district=persona.district_a2,
    )
    community = Address.objects.get(name="东门社区")
    assert community.district_id is None and community.district_path == persona.station_a.path
    roots = list(selectors.address_children(persona.oliver, None))
    assert [r.name for r in roots] == ["城关镇"]
    oliver_sees = set(selectors.address_children(persona.oliver, Address.objects.get(name="东门路")))
    assert ledger_a1["address"] in oliver_sees and door_a2 not in oliver_sees
    assert signed_in(persona.oliver).get(reverse("ledger:address", args=[door_a2.pk])).status_code == 404
    assert signed_in(persona.oliver).get(reverse("ledger:address", args=[community.pk])).status_code == 200
    # Olga's tree starts elsewhere; Oliver's county is not hers.
    assert [r.name for r in selectors.address_children(persona.olga, None)] == ["河西镇"]
    assert Person.objects.count() == 2


def test_leaving_is_refused_before_the_form_is_read(persona, ledger_a1):
    """A role that may not change the ledger, or a person outside its scope, is refused even with
    an empty form: no "choose why" message for someone who may not choose at all."""
    url = reverse("ledger:person_leave", args=[ledger_a1["person"].pk])
    assert signed_in(persona.li).post(url, {}).status_code == 403
    assert signed_in(persona.olga).post(url, {}).status_code == 404
