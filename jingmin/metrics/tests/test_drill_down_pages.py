"""A figure's records are read a page at a time, newest first: page 2 holds the records after
page 1, each list says how many it holds in all (the figure's own counts), and the list of those
left out pages the same way, each with its reason."""

from __future__ import annotations

import re

import pytest

from conftest import signed_in
from jingmin.metrics import registry
from jingmin.metrics.compute import figure
from jingmin.metrics.tests.conftest import MARCH
from jingmin.org.scope import Scope

QUERY = {"from": "2026-03-01", "to": "2026-03-31"}


def _all_pages(records: registry.RecordList, size: int) -> list[list[registry.RecordRef]]:
    return [records.page(n, size).records for n in range(1, records.page(1, size).pages + 1)]


def test_the_satisfaction_lists_page_through_the_follow_ups_newest_first(station):
    sat = figure(scope=Scope.under(station.p.station_a), period=MARCH, key="satisfaction", detail=True)
    counted = sat.measure.denominator_records
    assert counted.total == sat.measure.denominator == 5
    pages = _all_pages(counted, 2)
    assert [len(p) for p in pages] == [2, 2, 1]
    flat = [r for page in pages for r in page]
    # Page 2 holds the next records: no record twice, none missing, the newest answer first.
    codes = {station.appeals[k].tracking_code for k in ("a1", "a2", "a3", "a7", "a10")}
    assert {r.label.split(" #")[0] for r in flat} == codes and len(flat) == 5
    dates = [r.date for r in flat if r.date is not None]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    assert flat == list(counted)  # the export reads the same records, all of them
    # The numerator: the four answers that are not dissatisfied, the fairly satisfied with k.
    numerator = sat.measure.numerator_records
    assert numerator.total == 4
    notes = {r.label.split(" #")[0]: r.reason for r in numerator}
    assert notes[station.appeals["a3"].tracking_code] == "× 0.5"
    assert notes[station.appeals["a1"].tracking_code] == ""
    excluded = list(sat.measure.excluded)
    assert sat.measure.excluded.total == 1
    assert [r.record_id for r in excluded] == [station.appeals["a9"].pk]
    assert excluded[0].reason == registry.exclusion_label("unreasonable")


def test_the_excluded_list_pages_with_a_reason_each(station):
    fig = figure(scope=Scope.under(station.p.station_a), period=MARCH, key="handoffs", detail=True)
    left_out = fig.measure.excluded
    assert left_out.total == 2
    first, second = (left_out.page(n, 1) for n in (1, 2))
    assert first.has_next and not second.has_next and second.has_previous
    reasons = {r.record_id: r.reason for r in first.records + second.records}
    assert reasons == {
        station.appeals["a5"].pk: registry.exclusion_label("rejected"),
        station.appeals["a6"].pk: registry.exclusion_label("merged"),
    }
    # The counted appeals: the totals are the figure's numerator and denominator.
    assert fig.measure.denominator_records.total == fig.measure.denominator == 7
    assert {r.record_id for r in fig.measure.numerator_records} == {
        station.appeals[k].pk for k in ("a2", "a3", "a9")
    }


@pytest.mark.parametrize("key", ["satisfaction", "response"])
def test_the_page_shows_one_page_of_each_list_and_links_the_next(station, monkeypatch, key):
    monkeypatch.setattr(registry, "PAGE_SIZE", 2)
    chen = signed_in(station.p.chen)
    url = f"/metrics/figure/{key}/"
    first = chen.get(url, {"unit": station.p.station_a.pk, **QUERY}).content.decode()
    section = re.search(r'<section[^>]*id="records-denominator"[^>]*>(.*?)</section>', first, re.S)
    assert section is not None
    assert section.group(1).count("<li ") == 2
    found = re.search(r'id="records-denominator" data-total="(\d+)"', first)
    assert found is not None
    total = int(found.group(1))
    assert total > 2
    assert 'data-pager="next"' in section.group(1) and "denominator=2" in section.group(1)

    second = chen.get(url, {"unit": station.p.station_a.pk, "denominator": "2", **QUERY}).content.decode()
    assert f'id="records-denominator" data-total="{total}" data-page="2"' in second
    ids = re.compile(r'<li data-record="(\d+)"')
    one = ids.findall(section.group(1))
    shown = re.search(r'id="records-denominator".*?</section>', second, re.S)
    assert shown is not None
    two = ids.findall(shown.group(0))
    assert two and not set(one) & set(two)
    # The other lists stay on their first page.
    assert 'id="records-numerator" data-total=' in second and 'data-page="1"' in second
