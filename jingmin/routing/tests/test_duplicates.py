"""Likely duplicates while Clara types: open appeals of the same police district (or of her
station without one) received in the last weeks, with much the same words; never closed ones,
older ones, other districts' or anything outside her scope."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from conftest import make_user
from jingmin.appeals import services as appeals
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.org.roles import Role
from jingmin.routing.duplicates import duplicates_of, likely_duplicates, similarity_scores

NOISE_TITLE = "东门小区楼上深夜装修噪音"
NOISE_CONTENT = "东门小区3栋楼上每晚12点后还在装修，电钻噪音很大，影响休息。"


def register(actor, **overrides):
    appeal, _created = appeals.appeal_register(actor=actor, data=appeal_input(**overrides))
    return appeal


def found(persona, district=None, title=NOISE_TITLE, content=NOISE_CONTENT):
    rows = likely_duplicates(actor=persona.clara, title=title, content=content, district=district)
    return [d.pk for d in rows]


def test_an_open_appeal_of_the_district_with_the_same_words_is_listed_first(persona):
    same = register(persona.clara, district=persona.district_a1)
    other = register(
        persona.clara,
        district=persona.district_a1,
        title="东门小区门口车辆乱停",
        content="东门小区门口每天都有车辆违停，堵住了出入口。",
    )
    rows = likely_duplicates(
        actor=persona.clara, title=NOISE_TITLE, content=NOISE_CONTENT, district=persona.district_a1
    )
    assert [d.pk for d in rows][:1] == [same.pk]
    assert other.pk not in [d.pk for d in rows]
    assert 0 < rows[0].similarity <= 1


def test_another_district_closed_and_old_appeals_are_not_listed(persona, settings):
    elsewhere = register(persona.clara, district=persona.district_a2)
    closed = register(persona.clara, district=persona.district_a1)
    appeals.appeal_reject(actor=persona.clara, appeal_id=closed.pk, reason="重复诉求")
    settings.ROUTING_DUPLICATE_WEEKS = 1
    old = register(
        persona.clara, district=persona.district_a1, received_at=timezone.now() - timedelta(days=10)
    )

    listed = found(persona, district=persona.district_a1)
    assert elsewhere.pk not in listed and closed.pk not in listed and old.pk not in listed
    assert listed == []


def test_without_a_district_the_clerks_own_station_is_searched(persona):
    here = register(persona.clara)
    clerk_b = make_user("bob", persona.station_b, Role.CLERK, "鲍勃")
    there = register(clerk_b)
    listed = found(persona)
    assert here.pk in listed and there.pk not in listed


def test_an_appeal_outside_the_clerks_scope_is_never_listed(persona):
    # Station B's clerk files one under district A1: the district matches, Clara may not see it.
    clerk_b = make_user("bob", persona.station_b, Role.CLERK, "鲍勃")
    theirs = register(clerk_b, district=persona.district_a1)
    assert theirs.pk not in found(persona, district=persona.district_a1)


def test_an_appeal_is_not_its_own_duplicate_and_a_merged_one_has_none(persona):
    first = register(persona.clara, district=persona.district_a1)
    second = register(persona.clara, district=persona.district_a1)
    assert [d.pk for d in duplicates_of(actor=persona.clara, appeal=second)] == [first.pk]
    merged = appeals.appeal_merge(actor=persona.clara, appeal_id=second.pk, into=first.pk)
    assert duplicates_of(actor=persona.clara, appeal=merged) == []


def test_unrelated_words_are_not_alike(persona):
    register(persona.clara, district=persona.district_a1)
    assert (
        found(
            persona,
            district=persona.district_a1,
            title="身份证丢失补办",
            content="请问补办身份证需要带什么材料",
        )
        == []
    )


def test_a_shared_rare_word_counts_more_than_a_shared_common_one():
    query = {"漏水", "楼上", "希望"}
    others = {
        1: {"漏水", "卫生", "间漏"},
        2: {"希望", "尽快", "处理"},
        3: {"希望", "民警", "处理"},
        4: {"希望", "帮忙", "协调"},
    }
    scores = similarity_scores(query, others)
    assert scores[1] > scores[2]
