"""Control characters are removed at every way in — an intake page, the API, Open311, the portal's
form and the ledger import — by the one cleaning in `jingmin/core/text.py`; tab and line breaks
stay. What was stored before (or comes by another way) cannot break an export
(`test_export_formulas.py`)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import signed_in
from jingmin.appeals.models import Appeal
from jingmin.appeals.tests.access_rows import _intake_body
from jingmin.core.text import clean_text
from jingmin.ledger.excel import _text as ledger_cell_text
from jingmin.open311 import services as open311
from jingmin.portal.forms import SubmitForm

pytestmark = pytest.mark.django_db

DIRTY = "楼上\x00噪音\x07\x1b[31m扰民\x7f\x85\ud800"
CLEAN = "楼上噪音[31m扰民"
# A form-encoded body cannot carry a lone surrogate (it is UTF-8); JSON can, escaped.
FORM_DIRTY = DIRTY.replace("\ud800", "")


def test_the_cleaning_keeps_text_and_line_breaks():
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("第一行\n第二行\r\n\t缩进") == "第一行\n第二行\r\n\t缩进"
    assert clean_text("emoji 👍 and 中文，全角。") == "emoji 👍 and 中文，全角。"


def test_the_intake_page_stores_clean_text(persona):
    body = {**_intake_body(None), "title": FORM_DIRTY, "content": f"内容{FORM_DIRTY}\n第二行"}
    response = signed_in(persona.clara).post(reverse("appeals:new"), body)
    assert response.status_code == 302, response.content[:500]
    appeal = Appeal.objects.get()
    assert appeal.title == CLEAN and appeal.content == f"内容{CLEAN}\n第二行"


def test_the_api_stores_clean_text(persona):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=persona.clara).key}")
    body = {
        "channel": "window",
        "type": "complaint",
        "category": "traffic-parking",
        "title": DIRTY,
        "content": DIRTY,
    }
    response = client.post("/api/v1/appeals/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Appeal.objects.get().title == CLEAN


def test_open311_stores_clean_text(persona):
    _partner, key = open311.partner_create(actor=persona.sam, name="12345热线", intake_unit=persona.station_a)
    response = APIClient().post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "order-noise",
            "address_string": f"东门{FORM_DIRTY}",
            "description": FORM_DIRTY,
            "attribute[noise_source]": "renovation",
        },
    )
    assert response.status_code in (200, 201), response.content
    appeal = Appeal.objects.get()
    assert appeal.content.startswith(CLEAN) or CLEAN in appeal.content
    assert "\x07" not in appeal.content and "\x07" not in appeal.address


def test_the_portal_form_cleans_what_the_citizen_types():
    field = SubmitForm.base_fields["content"]
    assert field.clean(f"{DIRTY}，请处理") == f"{CLEAN}，请处理"


def test_the_ledger_import_cleans_each_cell():
    assert ledger_cell_text(f"张{DIRTY}") == f"张{CLEAN}"
