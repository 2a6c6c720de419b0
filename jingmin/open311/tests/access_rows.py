"""The permission matrix's rows for Open311 (see `jingmin/core/tests/access.py`).

GeoReport v2 is public: reading needs no key, posting needs a partner's key and nothing else, so
every actor is allowed and a staff session changes nothing about the answers. Each endpoint is
tried in both of its formats. The administration pages are the system administrator's. The
world has the city hotline as a partner (posting to station A) and one request it posted.
"""

from __future__ import annotations

from types import SimpleNamespace

from jingmin.core.tests.access import EVERYONE, Builder, Case, Row, form, get, page, post
from jingmin.open311 import services

FORMATS = ("json", "xml")
ADMIN = frozenset({"sam"})


def build(w):
    partner, key = services.partner_create(
        actor=w.p.sam, name="12345市民服务热线", intake_unit=w.p.station_a, contact="热线运维"
    )
    record, _created = services.service_request_submit(
        partner=partner,
        data=services.RequestInput(
            service_code="order-noise",
            address_string="东门小区3栋2单元",
            description="楼上每晚12点后装修噪音",
            attributes={"noise_source": ["renovation"]},
        ),
        idempotency_key=None,
    )
    return SimpleNamespace(partner=partner, key=key, request=record)


def _reads(name: str, args: Builder | None = None, **kwargs) -> Row:
    """A public resource, read in each format."""
    extra: Builder = args or (lambda w: {})
    return Row(
        name,
        tuple(
            get(EVERYONE, label=fmt, args=lambda w, fmt=fmt: {**extra(w), "fmt": fmt}, public=True, **kwargs)
            for fmt in FORMATS
        ),
    )


def _posts() -> tuple[Case, ...]:
    return tuple(
        post(
            EVERYONE,
            label=fmt,
            args=lambda w, fmt=fmt: {"fmt": fmt},
            body=lambda w: {
                "api_key": w.open311.key,
                "service_code": "order-noise",
                "address_string": "东门小区5栋",
                "description": "广场舞音响声音太大",
                "attribute[noise_source]": "renovation",
            },
            ok=(200, 201),
        )
        for fmt in FORMATS
    )


ROWS = [
    page("open311:v2_root", EVERYONE, public=True),
    _reads("open311:v2_discovery"),
    _reads("open311:v2_services"),
    _reads("open311:v2_service", lambda w: {"service_code": "order-noise"}),
    Row("open311:v2_requests", _reads("open311:v2_requests").cases + _posts()),
    _reads("open311:v2_request", lambda w: {"service_request_id": str(w.open311.request.appeal_id)}),
    _reads("open311:v2_token", lambda w: {"token": w.open311.request.token}),
    # The specification's answer to a resource that does not exist, to everyone alike.
    page("open311:v2_unknown", EVERYONE, args=lambda w: {"rest": "nothing.json"}, ok=(404,), public=True),
    form(
        "open311:partners",
        ADMIN,
        body=lambda w: {"name": "110联动平台", "intake_unit": w.p.station_a.pk, "contact": "联动中心"},
        # The new key is shown in this answer only, so there is no redirect.
        ok=(200,),
    ),
    form(
        "open311:partner_revoke",
        ADMIN,
        args=lambda w: {"pk": w.open311.partner.pk},
        body=lambda w: {},
        lands="open311:partners",
    ),
    page("open311:services", ADMIN),
    form(
        "open311:service_attributes",
        ADMIN,
        args=lambda w: {"code": "order-noise"},
        body=lambda w: {
            "form": "create",
            "new-code": "floor",
            "new-description": "几楼？",
            "new-datatype": "string",
            "new-order": "5",
            "new-variable": "on",
        },
        lands="open311:service_attributes",
    ),
]
