"""The two formats of GeoReport v2 and its error list.

Every answer is built once as plain data (dicts, lists, strings, numbers, booleans, None) and
written either as JSON or as the specification's XML, whose element names follow the same keys:
a list is a wrapper element holding one element per item (`attributes/attribute`,
`values/value`, `endpoints/endpoint`, `formats/format`), None is an empty element. The JSON is
the Spark convention's mapping of that XML, which is why a list of requests is a bare array.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
MIME_TYPES = ["text/xml", "application/json"]
# The element of each item inside a wrapper element of that name.
ITEM_TAGS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot carry at all, escaped or not: dropped rather than producing a
# document no client can parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """An answer of the error list: the HTTP status and one or more descriptions."""

    def __init__(self, status: int, descriptions: str | Iterable[str]) -> None:
        self.status = status
        self.descriptions = [descriptions] if isinstance(descriptions, str) else list(descriptions)
        super().__init__("; ".join(self.descriptions))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list):
        item_tag = ITEM_TAGS.get(tag, "item")
        for item in value:
            _append(element, item_tag, item)
    else:
        element.text = _text(value)


def to_xml(root_tag: str, payload: list[Any] | dict[str, Any], item_tag: str = "") -> str:
    """The document: `<root><item>…</item>…</root>` for a list, `<root>…fields…</root>` for a
    dict. ElementTree escapes `<`, `&` and quotes in text."""
    root = ET.Element(root_tag)
    if isinstance(payload, list):
        for item in payload:
            _append(root, item_tag, item)
    else:
        for key, value in payload.items():
            _append(root, key, value)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode")


def to_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def respond(
    fmt: str,
    payload: list[Any] | dict[str, Any],
    *,
    root: str,
    item: str = "",
    status: int = 200,
) -> HttpResponse:
    body = to_json(payload) if fmt == "json" else to_xml(root, payload, item)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    """The specification's error list; each entry's code is the HTTP status it came with."""
    errors = [{"code": error.status, "description": text} for text in error.descriptions]
    return respond(fmt, errors, root="errors", item="error", status=error.status)
