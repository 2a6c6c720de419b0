"""The hand-made station's figures read the same on the page, in the export and from the API."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import signed_in

QUERY = {"from": "2026-03-01", "to": "2026-03-31"}


def test_page_export_and_api_agree(station):
    p = station.p
    li = signed_in(p.li)
    page = li.get("/metrics/", {"unit": p.station_a.pk, **QUERY})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-key="response"' in html and "66.7%" in html and "69.0" in html

    token = Token.objects.create(user=p.li)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    answer = api.get("/api/v1/indicators/", {"unit": p.station_a.pk, **QUERY}).json()
    by_key = {i["key"]: i for i in answer["indicators"]}
    assert by_key["response"]["numerator"] == 4 and by_key["response"]["denominator"] == 6
    assert Decimal(str(by_key["response"]["value"])) == Decimal("66.7")
    assert by_key["satisfaction"]["small_number"] is True
    assert by_key["appeals"]["per_1000_residents"] == 175.0
    assert answer["settings_version"] == 0 and answer["from"] == "2026-03-01"

    export = li.get("/metrics/export/", {"unit": p.station_a.pk, **QUERY})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r and "响应率" in r)
    response_col = header.index("响应率")
    own = next(r for r in rows if r and r[0] == p.station_a.name and len(r) > 2)
    assert own[response_col] == float(by_key["response"]["value"])
    assert own[response_col + 1] == 4 and own[response_col + 2] == 6


def test_the_api_refuses_a_unit_outside_the_scope_and_a_bad_period(station):
    p = station.p
    token = Token.objects.create(user=p.chen)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/indicators/", {"unit": p.station_b.pk}).status_code == 404
    bad = api.get("/api/v1/indicators/", {"from": "2026-03-31", "to": "2026-03-01"})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_period"


def test_a_figure_opens_its_records(station):
    p = station.p
    page = signed_in(p.chen).get("/metrics/figure/satisfaction/", {"unit": p.station_a.pk, **QUERY})
    html = page.content.decode()
    assert station.appeals["a9"].tracking_code in html  # left out: unreasonable
    assert "经审核的不合理投诉" in html
    for k in ("a1", "a2", "a3", "a7", "a10"):
        assert station.appeals[k].tracking_code in html
    assert "不足20件" in html


def test_an_officer_score_explains_itself(station):
    p = station.p
    page = signed_in(p.oliver).get(f"/metrics/officer/{p.oliver.pk}/", QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-key="response"' in html and "60.0%" in html
    # Another officer's score is not Oliver's to read; Chen supervises him.
    assert signed_in(p.olga).get(f"/metrics/officer/{p.oliver.pk}/", QUERY).status_code == 404
    assert signed_in(p.chen).get(f"/metrics/officer/{p.oliver.pk}/", QUERY).status_code == 200
