"""The hotline of the city (a partner system) posts to Clara's station; the public reads.

`hotline` is the partner with its key; `call(method, path, fmt, ...)` is a request as a partner
or a map application would send it, without a session; `as_xml` parses an answer and
`valid_json` checks one against the published schemas (copied into `schema/`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs published
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import Personas
from jingmin.appeals.models import Category
from jingmin.open311.models import Partner, ServiceAttribute
from jingmin.open311.services import partner_create

BASE = "/open311/v2/"
SCHEMA_DIR = Path(__file__).parent / "schema"
SCHEMAS = {
    path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMA_DIR.glob("*.json"))
}
# `requests.json` refers to `request.json` by that relative name; the registry answers it.
REGISTRY: Registry = Registry().with_resources(
    (name, Resource.from_contents(schema, default_specification=DRAFT202012))
    for name, schema in SCHEMAS.items()
)
# W3C date-time with seconds and an offset (the schemas' "date-time" format is not checked by
# jsonschema without an extra package, so the tests check it themselves).
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def valid_json(response, schema: str) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(response.content.decode("utf-8"))
    errors = list(Draft202012Validator(SCHEMAS[schema], registry=REGISTRY).iter_errors(payload))
    assert not errors, [e.message for e in errors]
    return payload


def as_xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    # Our own answer, not outside input.
    return ET.fromstring(response.content)  # noqa: S314


def xml_errors(response) -> list[tuple[str, str]]:
    root = as_xml(response)
    assert root.tag == "errors"
    return [(e.findtext("code") or "", e.findtext("description") or "") for e in root.findall("error")]


def json_errors(response) -> list[dict[str, Any]]:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(response.content)
    assert isinstance(payload, list) and payload
    for error in payload:
        assert set(error) == {"code", "description"}
        assert error["code"] == response.status_code and error["description"]
    return payload


def errors_of(response, fmt: str) -> list[str]:
    """The descriptions of an error answer, in either format, after checking its shape."""
    if fmt == "json":
        return [e["description"] for e in json_errors(response)]
    pairs = xml_errors(response)
    assert all(code == str(response.status_code) for code, _ in pairs)
    return [description for _, description in pairs]


@dataclass
class Hotline:
    partner: Partner
    key: str


@pytest.fixture
def hotline(persona: Personas) -> Hotline:
    partner, key = partner_create(
        actor=persona.sam, name="12345市民服务热线", intake_unit=persona.station_a, contact="热线运维"
    )
    return Hotline(partner, key)


@pytest.fixture
def public(settings) -> Client:
    """No session: what a partner's server or a map application is. It asks for English, so that
    the tests can read the descriptions whatever the Chinese catalog says; without the cookie the
    answers are in Chinese, like every page."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def call(client: Client, method: str, path: str, fmt: str = "json", data: Any = None, **extra: Any):
    url = f"{BASE}{path}.{fmt}"
    if method == "GET":
        return client.get(url, data or {}, **extra)
    if method == "POST":
        return client.post(url, data or {}, **extra)
    return client.generic(method, url, **extra)


def post_form(client: Client, fmt: str, data: dict[str, Any], **extra: Any):
    """A form-encoded post, as the specification sends it (lists become repeated keys)."""
    from urllib.parse import urlencode

    body = urlencode(data, doseq=True)
    return client.generic(
        "POST",
        f"{BASE}requests.{fmt}",
        body,
        content_type="application/x-www-form-urlencoded; charset=utf-8",
        **extra,
    )


# A service whose definition asks one question of every datatype (on "other matters", which the
# seeded defaults leave without questions).
EVERY_KIND = "other-other"


@pytest.fixture
def every_kind(db) -> Category:
    category = Category.objects.get(code=EVERY_KIND)
    rows = [
        ("plate", "string", False, "车牌号", []),
        ("count", "number", True, "有几处？", []),
        ("seen_at", "datetime", True, "什么时候看到的？", []),
        ("details", "text", False, "详细情况", []),
        (
            "where",
            "singlevaluelist",
            True,
            "在哪里？",
            [{"key": "street", "name": "街道"}, {"key": "yard", "name": "院内"}],
        ),
        (
            "kinds",
            "multivaluelist",
            False,
            "涉及哪些？",
            [{"key": "a", "name": "甲"}, {"key": "b", "name": "乙"}, {"key": "c", "name": "丙"}],
        ),
    ]
    for order, (code, datatype, required, description, values) in enumerate(rows, start=1):
        ServiceAttribute.objects.create(
            category=category,
            code=code,
            datatype=datatype,
            required=required,
            order=order,
            description=description,
            values=values,
        )
    ServiceAttribute.objects.create(
        category=category,
        code="note",
        datatype="string",
        variable=False,
        order=9,
        description="紧急情况请拨打110",
    )
    return category


def every_kind_answers(**overrides: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "attribute[plate]": "京A12345",
        "attribute[count]": "2.5",
        "attribute[seen_at]": "2026-11-28T21:30:00+08:00",
        "attribute[details]": "第一行\n第二行",
        "attribute[where]": "yard",
        "attribute[kinds][]": ["a", "c"],
    }
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}


def noise_post(key: str, **overrides: Any) -> dict[str, Any]:
    """A complete post for the noise service (its seeded definition asks where the noise is from)."""
    data: dict[str, Any] = {
        "api_key": key,
        "service_code": "order-noise",
        "lat": "39.9087243",
        "long": "116.3974752",
        "address_string": "东门小区3栋2单元",
        "email": "wang@example.com",
        "device_id": "dev-778",
        "account_id": "acc-42",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13812345678",
        "description": "楼上每晚12点后装修噪音\n影响休息",
        "media_url": "https://img.example.com/noise/1.jpg",
        "attribute[noise_source]": "renovation",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
