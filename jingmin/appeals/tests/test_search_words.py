"""A search is cut into words and finds appeals holding every one of them, wherever they stand:
烧烤店噪音 finds 烧烤店……噪音, which the whole phrase never would."""

from __future__ import annotations

import pytest

from jingmin.appeals.selectors import AppealFilters, appeal_list
from jingmin.core.words import query_words


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("烧烤店噪音", ["烧烤店", "噪音"]),
        ("楼上漏水", ["楼上", "漏水"]),
        ("烧烤店的噪音", ["烧烤店", "噪音"]),  # a one-character word is dropped beside longer ones
        ("路灯 很黑", ["路灯", "很黑"]),
        ("噪音，扰民", ["噪音", "扰民"]),
        ("灯", ["灯"]),
        ("WiFi 3栋", ["WiFi", "3", "栋"]),
        ("很黑", ["很黑"]),  # characters jieba leaves single stay together as typed
        ("   ", []),
    ],
)
def test_a_query_is_cut_into_the_words_people_mean(typed, words):
    assert query_words(typed) == words


@pytest.fixture
def appeals(persona, register):
    return {
        "both": register(title="烧烤店油烟", content="楼下烧烤店每晚营业到两点，噪音很大。"),
        "shop_only": register(title="烧烤店占道经营", content="桌椅摆到人行道上。"),
        "noise_only": register(title="广场舞噪音", content="每晚八点到十点。"),
    }


def titles(persona, q):
    return {a.title for a in appeal_list(actor=persona.clara, filters=AppealFilters(q=q))}


def test_every_word_must_appear_anywhere_in_the_appeal(persona, appeals):
    assert titles(persona, "烧烤店噪音") == {"烧烤店油烟"}


def test_one_word_finds_each_appeal_holding_it(persona, appeals):
    assert titles(persona, "烧烤店") == {"烧烤店油烟", "烧烤店占道经营"}
    assert titles(persona, "噪音") == {"烧烤店油烟", "广场舞噪音"}


def test_a_word_no_appeal_holds_finds_nothing(persona, appeals):
    assert titles(persona, "烧烤店火灾") == set()
