"""A word search finds the appeals of the searcher's scope and no others, and follows an appeal
when it moves between units; on PostgreSQL the scope is looked up as tokens of the search
vector, both when the rows are walked newest first and when the index is read."""

from __future__ import annotations

import pytest
from django.db import connection

from conftest import make_user
from jingmin.appeals import services
from jingmin.appeals.models import Appeal
from jingmin.appeals.selectors import AppealFilters, appeal_list
from jingmin.core import search
from jingmin.org.roles import Role
from jingmin.org.scope import Scope, scope_tokens


@pytest.fixture(params=["index", "walk", "statistics"])
def way(request, monkeypatch):
    """Each way of finding rows on PostgreSQL (`search._pg_search`): a probe of one row, then
    walking made free or dear; or no probe, the word's share taken from statistics (here made
    up), then walking. SQLite has one way; it runs the same tests again."""
    monkeypatch.setattr(search, "RECENT_ROWS", 1)
    monkeypatch.setattr(search, "WALK_ROW_US", 1e9 if request.param == "index" else 0.0)
    if request.param == "statistics":
        monkeypatch.setattr(search, "bigram_statistics", lambda table: ({"噪音": 0.5}, 1000.0))
    else:
        monkeypatch.setattr(search, "bigram_statistics", lambda table: ({}, 0.0))
    return request.param


@pytest.fixture
def noise(register):
    register(title="路灯坏了", content="门口路灯不亮", address="西门路12号")
    return register(title="深夜噪音扰民", content="楼上装修到凌晨", address="东门小区3栋")


@pytest.fixture
def chief_b(persona):
    return make_user("bella", persona.station_b, Role.CHIEF, "白所长")


def titles(actor, q="噪音"):
    return {a.title for a in appeal_list(actor=actor, filters=AppealFilters(q=q))}


def test_found_within_the_scope_and_not_outside(persona, noise, chief_b, way):
    # Registered at station A: its clerk, its chief and the bureau find it.
    for actor in (persona.clara, persona.chen, persona.li):
        assert titles(actor) == {"深夜噪音扰民"}, actor.username
    # Station B, and a district of station A it has not been sent to, do not.
    for actor in (chief_b, persona.olga, persona.oliver):
        assert titles(actor) == set(), actor.username


def test_found_after_a_move_to_another_station(persona, noise, chief_b, way):
    services.appeal_accept(actor=persona.clara, appeal_id=noise.pk)
    services.appeal_dispatch(actor=persona.clara, appeal_id=noise.pk, unit=persona.district_a1)
    assert titles(persona.oliver) == {"深夜噪音扰民"}
    assert titles(chief_b) == set()

    services.appeal_transfer(
        actor=persona.clara, appeal_id=noise.pk, unit=persona.district_b1, reason="属河西辖区"
    )
    assert titles(chief_b) == {"深夜噪音扰民"}
    assert titles(persona.olga) == {"深夜噪音扰民"}
    # Its old district no longer holds it; the station that took it in still does.
    assert titles(persona.oliver) == set()
    assert titles(persona.chen) == {"深夜噪音扰民"}


def test_an_assisting_unit_finds_the_appeal(persona, noise, chief_b, way):
    services.appeal_accept(actor=persona.clara, appeal_id=noise.pk)
    services.appeal_dispatch(
        actor=persona.clara, appeal_id=noise.pk, unit=persona.district_a1, assist_units=[persona.district_b1]
    )
    assert titles(persona.olga) == {"深夜噪音扰民"}
    assert titles(chief_b) == {"深夜噪音扰民"}


def test_the_stored_tokens_follow_the_units(persona, noise):
    def stored() -> set[str]:
        return set(Appeal.objects.get(pk=noise.pk).scope_tokens.split())

    assert stored() == set(scope_tokens(persona.station_a.path))
    services.appeal_accept(actor=persona.clara, appeal_id=noise.pk)
    services.appeal_dispatch(
        actor=persona.clara, appeal_id=noise.pk, unit=persona.district_a2, assist_units=[persona.district_b1]
    )
    assert stored() == set(
        scope_tokens(persona.district_a2.path, persona.station_a.path, persona.district_b1.path)
    )
    officer_a2 = make_user("alan", persona.district_a2, Role.OFFICER, "艾伦")
    services.appeal_return(actor=officer_a2, appeal_id=noise.pk, reason="不属本警务区")
    assert stored() == set(scope_tokens(persona.station_a.path, persona.district_b1.path))
    # Each unit's token, the bureau's apart: the bureau asks for none.
    assert Scope.under(persona.station_a).search_tokens()[0] in stored()
    assert Scope.under(persona.bureau).search_tokens() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL's vector holds the tokens")
def test_postgres_decides_the_scope_by_the_tokens(persona, noise, chief_b, way):
    # Tokens that say station B: station B's chief finds it by them, station A's no longer does,
    # though its unit paths have not changed. (A service never writes such tokens.)
    Appeal.objects.filter(pk=noise.pk).update(scope_tokens=" ".join(scope_tokens(persona.station_b.path)))
    assert titles(chief_b) == {"深夜噪音扰民"}
    assert titles(persona.chen) == set()
    # The bureau asks for no token at all.
    assert titles(persona.li) == {"深夜噪音扰民"}
