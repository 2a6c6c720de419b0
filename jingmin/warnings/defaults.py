"""The risk words a new bureau starts with, by theme; the system administrator edits the lists.

Words are what people say in appeals and what officers write down, not legal terms. Each was
chosen to be rare in ordinary complaints (噪音, 漏水, 停车) so that a signal stays worth reading.
"""

from __future__ import annotations

from typing import Any

DEFAULT_WORDS: dict[str, tuple[str, ...]] = {
    "self_harm": ("自杀", "轻生", "跳楼", "跳河", "喝农药", "割腕", "不想活", "活不下去", "寻死", "一死了之"),
    "violence": ("打架", "斗殴", "砍人", "动刀", "持刀", "打人", "殴打", "打伤", "拿刀", "动手"),
    "revenge": ("报复", "同归于尽", "弄死", "杀了他", "杀了你", "让他好看", "血债血偿", "以牙还牙"),
    "explosives": ("煤气罐", "液化气", "炸药", "爆炸", "雷管", "汽油", "放火", "纵火", "点燃", "炸了"),
    "wages": ("欠薪", "讨薪", "拖欠工资", "不发工资", "工钱", "血汗钱", "讨要工资", "工资拖欠"),
    "domestic": ("家暴", "家庭暴力", "被丈夫打", "被老公打", "被妻子打", "虐待老人", "虐待孩子"),
    "gathering": ("聚集", "堵路", "拉横幅", "集体上访", "围堵", "闹事", "串联", "静坐", "集体讨说法"),
    "extreme": ("走极端", "拼命", "跟他拼了", "豁出去", "不要命"),
}


def seed_words(word_model: Any) -> None:
    """Create the default risk words that are missing (the migration passes its historical model)."""
    word_model.objects.bulk_create(
        [word_model(theme=theme, word=word) for theme, words in DEFAULT_WORDS.items() for word in words],
        ignore_conflicts=True,
    )
