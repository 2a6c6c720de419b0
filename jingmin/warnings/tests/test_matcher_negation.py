"""Risk words in their clause: negation and quotation."""

from __future__ import annotations

import pytest

from jingmin.warnings.defaults import DEFAULT_WORDS
from jingmin.warnings.matcher import build

MATCHER = build((theme, word) for theme, words in DEFAULT_WORDS.items() for word in words)


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("没有打架", {}),
        ("双方并未发生斗殴", {}),
        ("他们又打架了", {"violence": ["打架"]}),
        ("没有人管，他们又打架了", {"violence": ["打架"]}),
        ("他不停地打人", {"violence": ["打人"]}),
        ("他说“我要报复”", {"revenge": ["报复"]}),
        ("他没有说“要报复”", {}),
        ("“没有报复的意思”", {}),
        ("组织学习《反家庭暴力法》", {}),
        ("邻居扬言要放火烧房子", {"explosives": ["放火"]}),
        ("工地拖欠工资三个月，工人准备集体上访", {"wages": ["拖欠工资"], "gathering": ["集体上访"]}),
        ("我不想活了", {"self_harm": ["不想活"]}),
        ("楼上噪音扰民", {}),
    ],
)
def test_what_counts(text, themes):
    assert MATCHER.themes_in(text) == themes


def test_an_empty_list_matches_nothing():
    assert build([]).themes_in("打架") == {}
