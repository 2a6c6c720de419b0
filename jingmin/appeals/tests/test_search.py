"""Chinese full-text search: two-character words, phrases, addresses, numbers, and no false hits
from bigrams that straddle two fields."""

from __future__ import annotations

import pytest

from jingmin.appeals.selectors import AppealFilters, appeal_list
from jingmin.core.search import tokens


def test_text_becomes_overlapping_bigrams_and_whole_latin_words():
    assert tokens("路灯坏了 3栋 WiFi") == ["路灯", "灯坏", "坏了", "3", "栋", "wifi"]


@pytest.fixture
def three(persona, register):
    return {
        "noise": register(title="深夜噪音扰民", content="楼上装修到凌晨", address="东门小区3栋"),
        "light": register(title="路灯坏了", content="小区门口路灯不亮，晚上很黑", address="西门路12号"),
        "water": register(title="楼道漏水", content="水管破裂漏水严重", address="河滨花园A座"),
    }


def found(persona, q):
    return {a.title for a in appeal_list(actor=persona.clara, filters=AppealFilters(q=q))}


@pytest.mark.parametrize(
    ("q", "titles"),
    [
        ("噪音", {"深夜噪音扰民"}),
        ("路灯", {"路灯坏了"}),
        ("漏水", {"楼道漏水"}),
        ("水管破裂", {"楼道漏水"}),
        ("西门路", {"路灯坏了"}),
        ("a座", {"楼道漏水"}),
        ("小区", {"深夜噪音扰民", "路灯坏了"}),
        ("路灯 很黑", {"路灯坏了"}),
        ("灯", {"路灯坏了"}),
        ("火灾", set()),
    ],
)
def test_search_finds_what_contains_the_words(persona, three, q, titles):
    assert found(persona, q) == titles


def test_a_bigram_across_two_fields_is_no_match(persona, three):
    # "扰民" ends the title and "楼上" starts the content: "民楼" appears in neither.
    assert found(persona, "民楼") == set()


def test_search_stays_within_scope(persona, three):
    assert {a.title for a in appeal_list(actor=persona.olga, filters=AppealFilters(q="噪音"))} == set()


def test_the_tracking_code_finds_the_appeal_and_what_it_was_merged_into(persona, three):
    from jingmin.appeals import services

    services.appeal_merge(actor=persona.clara, appeal_id=three["water"].pk, into=three["light"].pk)
    code = three["water"].tracking_code
    assert found(persona, code.lower()) == {"楼道漏水", "路灯坏了"}
    assert found(persona, three["noise"].tracking_code) == {"深夜噪音扰民"}
