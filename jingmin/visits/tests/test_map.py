"""The coverage map's data: scoped like everything else, and nothing personal beyond the
address the reader may see in the ledger anyway: no names, ID numbers or phones."""

from __future__ import annotations

import json

from django.urls import reverse

from conftest import signed_in
from jingmin.visits import services
from jingmin.visits.models import DistrictOutline

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[121.46, 31.22], [121.49, 31.22], [121.49, 31.25], [121.46, 31.25], [121.46, 31.22]]],
}


def test_the_district_map_has_its_outline_and_a_place_per_position(persona, world, record):
    services.outline_set(actor=persona.chen, district_id=persona.district_a1.pk, geometry=SQUARE)
    record(household=world.a1[0].pk)
    response = signed_in(persona.oliver).get(reverse("visits:coverage_map"), {"unit": persona.district_a1.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["coverage"] == {"total": 9, "covered": 1, "percent": 11}
    [outline] = data["outlines"]["features"]
    assert outline["geometry"] == SQUARE and outline["properties"]["covered"] == 1
    # Each of A1's households has a door of its own: one place each, [lat, lng, households,
    # covered, those not yet visited]; the visited one lists nobody.
    places = {(p[0], p[1]): p for p in data["places"]}
    assert len(places) == 9
    assert places[31.2301, 121.4701][2:] == [1, 1, []]
    second = world.a1[1]
    assert places[31.2302, 121.4702][2:] == [
        1,
        0,
        [[second.pk, f"{second.house.address.full_name} {second.number}"]],
    ]
    assert data["record_url"] == reverse("visits:record")
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("王1", "王小芳", "110101199003071234", "13700001111"):
        assert secret not in text


def test_a_station_map_shows_its_districts_without_points(persona, world):
    services.outline_set(actor=persona.chen, district_id=persona.district_a1.pk, geometry=SQUARE)
    data = signed_in(persona.chen).get(reverse("visits:coverage_map"), {"unit": persona.station_a.pk}).json()
    assert data["places"] == [] and len(data["outlines"]["features"]) == 1


def test_olga_cannot_read_the_map_of_olivers_district(persona, world):
    client = signed_in(persona.olga)
    assert client.get(reverse("visits:coverage_map"), {"unit": persona.district_a1.pk}).status_code == 404
    assert client.get(reverse("visits:coverage"), {"unit": persona.district_a1.pk}).status_code == 404
    assert signed_in(persona.sam).get(reverse("visits:coverage_map")).status_code == 403


def test_an_outline_must_be_a_closed_polygon_of_positions(persona):
    from jingmin.core.errors import ServiceError

    open_ring = {"type": "Polygon", "coordinates": [[[121.4, 31.2], [121.5, 31.2], [121.5, 31.3]]]}
    for bad in (open_ring, {"type": "Point", "coordinates": [121.4, 31.2]}, "x"):
        try:
            services.outline_set(actor=persona.chen, district_id=persona.district_a1.pk, geometry=bad)
        except ServiceError as exc:
            assert exc.field == "geometry"
        else:
            raise AssertionError("accepted a bad outline")
    assert DistrictOutline.objects.count() == 0
