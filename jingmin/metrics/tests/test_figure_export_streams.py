"""Chen exports the satisfaction rate of station A: the workbook is sent as a file in pieces (not
built in memory and returned whole), and it holds every record of each list, not the page the
drill-down shows."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from conftest import signed_in
from jingmin.metrics import registry

QUERY = {"from": "2026-03-01", "to": "2026-03-31"}


def test_the_export_of_a_figure_streams_every_record(station, monkeypatch):
    monkeypatch.setattr(registry, "PAGE_SIZE", 2)
    monkeypatch.setattr(registry, "STREAM_CHUNK", 2)
    p = station.p
    response = signed_in(p.chen).get(
        "/metrics/export/", {"unit": p.station_a.pk, "key": "satisfaction", **QUERY}
    )
    assert response.status_code == 200
    assert response.streaming
    assert 'filename="satisfaction-20260301-20260331.xlsx"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(content), read_only=True)
    sheets = [[[str(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets]
    numerator, counted, excluded = (rows[1:] for rows in sheets[1:])
    codes = {station.appeals[k].tracking_code for k in ("a1", "a2", "a3", "a7", "a10")}
    assert {row[0].split(" #")[0] for row in counted} == codes and len(counted) == 5
    assert len(numerator) == 4
    assert [row[0].split(" #")[0] for row in excluded] == [station.appeals["a9"].tracking_code]
    assert excluded[0][2] == registry.exclusion_label("unreasonable")
