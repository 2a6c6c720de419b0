"""`check_catalog` flags half-width punctuation beside Chinese characters in a Chinese msgstr
(结果:已解决 must be 结果：已解决), and leaves placeholders and Latin text alone."""

from __future__ import annotations

import polib
import pytest

from jingmin.core.catalogs import catalog_problems, half_width_punctuation


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("结果:已解决", ":"),
        ("共3件,请处理", ","),
        ("是否继续?", "?"),
        ("已提交!", "!"),
        ("见附件(照片)", "("),
        ("原因;重复", ";"),
        ("结果：已解决", ""),
        ("于%(time)s锁定", ""),  # a placeholder's brackets are not text
        ("共 %(n)s 条", ""),
        ("GeoJSON (RFC 7946)", ""),  # no Chinese beside it
        ("12:30", ""),
    ],
)
def test_half_width_marks_next_to_chinese_are_found(text, mark):
    assert half_width_punctuation(text) == mark


def test_the_catalog_check_reports_them(tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Result: %(r)s", msgstr="结果:%(r)s"))
    po.append(polib.POEntry(msgid="Solved", msgstr="已解决"))
    folder = tmp_path / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save(str(folder / "django.po"))
    problems = catalog_problems(folder / "django.po")
    assert len(problems) == 1 and "half-width ':'" in problems[0] and "Result: %(r)s" in problems[0]
