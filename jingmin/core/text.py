"""One cleaning of text for every way in: pages and portal (Django forms), the API (DRF
serializers), Open311 (its form-encoded fields) and the ledger import (workbook cells).

Control characters have no place in what a person types: they are removed (not refused, so a
text pasted from another program still goes in), keeping tab, line feed and carriage return.
Removed too: the C1 controls, lone surrogates (which PostgreSQL and every encoder refuse) and the
two non-characters U+FFFE and U+FFFF. Stored text is then safe for pages, SMS and workbooks alike.

`install()` (from the core app's `ready`) makes every `forms.CharField` and DRF `CharField` clean
what it parses, so that no form or serializer, present or future, can forget it.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    return CONTROL_RE.sub("", value)


def install() -> None:
    from django import forms
    from rest_framework import fields

    form_to_python = forms.CharField.to_python

    def to_python(self: forms.CharField, value: Any) -> Any:
        value = form_to_python(self, value)
        return clean_text(value) if isinstance(value, str) else value

    forms.CharField.to_python = to_python  # type: ignore[method-assign]

    drf_to_internal = fields.CharField.to_internal_value

    def to_internal_value(self: fields.CharField, data: Any) -> Any:
        value = drf_to_internal(self, data)
        return clean_text(value) if isinstance(value, str) else value

    fields.CharField.to_internal_value = to_internal_value  # type: ignore[method-assign,assignment]
