"""Whose appeals and units the API shows: the person's scope, an assisting unit's view, and the
holder's steps kept to the holder. Who may call which endpoint at all is the permission matrix's
(`jingmin/api/tests/access_rows.py`).

Clara (clerk, station A), Oliver (officer, district A1), Olga (officer, district B1 of station B),
Chen (chief, station A), Li (leader) and Ines (inspector) at the bureau. The appeals are station
A's.
"""

from __future__ import annotations

import pytest

from jingmin.api.tests.conftest import api_as
from jingmin.appeals.models import State


@pytest.mark.parametrize(
    ("name", "sees"),
    [("clara", True), ("oliver", True), ("olga", False), ("chen", True), ("li", True), ("ines", True)],
)
def test_the_list_holds_only_the_persons_scope(persona, register, walk, name, sees):
    appeal = walk(register(), State.DISPATCHED)
    ids = [a["id"] for a in api_as(getattr(persona, name)).get("/api/v1/appeals/").json()["results"]]
    assert (appeal.pk in ids) is sees


def test_an_assisting_district_sees_the_appeal(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    api_as(persona.clara).post(
        f"/api/v1/appeals/{appeal.pk}/dispatch/",
        {"unit": persona.district_a1.pk, "assist_units": [persona.district_b1.pk]},
        format="json",
    )
    client = api_as(persona.olga)
    detail = client.get(f"/api/v1/appeals/{appeal.pk}/")
    assert detail.status_code == 200
    # The steps of the holding unit are not offered to an assisting one.
    assert detail.json()["allowed_actions"] == []
    # Seeing is not holding: only the lead unit signs for it.
    response = client.post(f"/api/v1/appeals/{appeal.pk}/sign/", {}, format="json")
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED


def test_an_officer_cannot_sign_for_the_neighbouring_district(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    api_as(persona.clara).post(
        f"/api/v1/appeals/{appeal.pk}/dispatch/", {"unit": persona.district_a2.pk}, format="json"
    )
    response = api_as(persona.oliver).post(f"/api/v1/appeals/{appeal.pk}/sign/", {}, format="json")
    assert response.status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED and appeal.handler is None


@pytest.mark.parametrize(
    ("name", "codes_seen"),
    [
        ("clara", {"TA10", "TA11", "TA12"}),
        ("oliver", {"TA11"}),
        ("olga", {"TB11"}),
        ("li", {"T000", "TA00", "TB00", "TA10", "TB10", "TA11", "TA12", "TB11"}),
    ],
)
def test_units_are_those_of_the_persons_subtree(persona, name, codes_seen):
    units = api_as(getattr(persona, name)).get("/api/v1/units/").json()
    assert {u["code"] for u in units} == codes_seen
