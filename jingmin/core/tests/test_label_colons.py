"""A label before a value ends with the language's colon: full-width in Chinese (结果：), ": " in
English; no template writes a half-width colon after a translated label."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

HALF_WIDTH_AFTER_LABEL = re.compile(r"%\}: ")


def test_the_colon_follows_the_language():
    template = Template('{% load i18n labels %}{% translate "Result" %}{% colon %}X')
    with translation.override("zh-hans"):
        assert template.render(Context()) == "结果：X"
    with translation.override("en"):
        assert template.render(Context()) == "Result: X"


def test_no_template_puts_a_half_width_colon_after_a_translated_label():
    found = [
        f"{path}:{n}"
        for path in Path(settings.BASE_DIR, "jingmin").rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HALF_WIDTH_AFTER_LABEL.search(line)
    ]
    assert found == []
