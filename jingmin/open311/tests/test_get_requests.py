"""GET requests: newest first within a window of at most 90 days (the last 90 by default),
filtered by service and status, or by ids, which override every other filter; each request says
open or closed with the internal state in status_notes, the conclusion deadline, the unit that
holds it and when it last changed."""

from __future__ import annotations

import json
from datetime import UTC, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jingmin.appeals import services as appeal_services
from jingmin.appeals.models import Appeal, AppealEvent, Category
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.open311 import selectors
from jingmin.open311.tests.conftest import W3C, as_xml, call, errors_of, valid_json


def register(persona, **overrides) -> Appeal:
    appeal, _ = appeal_services.appeal_register(actor=persona.clara, data=appeal_input(**overrides))
    return appeal


def received(appeal: Appeal, ago: timedelta) -> Appeal:
    Appeal.objects.filter(pk=appeal.pk).update(received_at=timezone.now() - ago)
    return Appeal.objects.get(pk=appeal.pk)


def ids(response) -> list[int]:
    return [int(r["service_request_id"]) for r in json.loads(response.content)]


def w3c(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def test_requests_in_json(persona, public):
    first = register(persona)
    second = register(persona, title="第二件", category=Category.objects.get(code="traffic-parking"))
    response = call(public, "GET", "requests", "json")
    assert response.status_code == 200
    rows = valid_json(response, "requests.json")
    assert [r["service_request_id"] for r in rows] == [str(second.pk), str(first.pk)]
    row = rows[1]
    assert row["status"] == "open"
    assert row["status_notes"] == "Submitted"
    assert (row["service_code"], row["service_name"]) == ("order-noise", "噪音扰民")
    assert row["agency_responsible"] == "城关派出所"
    assert row["requested_datetime"] == w3c(first.received_at)
    assert row["expected_datetime"] == w3c(first.conclude_by)
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(row[name]), row[name]


def test_requests_in_xml(persona, public):
    appeal = register(persona)
    root = as_xml(call(public, "GET", "requests", "xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ]
    assert request.findtext("service_request_id") == str(appeal.pk)
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "order-noise"
    assert request.findtext("description") == ""


def test_one_request_in_both_formats(persona, public):
    appeal = register(persona)
    rows = valid_json(call(public, "GET", f"requests/{appeal.pk}", "json"), "requests.json")
    assert [r["service_request_id"] for r in rows] == [str(appeal.pk)]
    root = as_xml(call(public, "GET", f"requests/{appeal.pk}", "xml"))
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [str(appeal.pk)]


def test_status_follows_the_life_cycle_and_notes_carry_the_state(persona, public):
    appeal = register(persona)
    appeal_services.appeal_accept(actor=persona.clara, appeal_id=appeal.pk)
    appeal_services.appeal_dispatch(actor=persona.clara, appeal_id=appeal.pk, unit=persona.district_a1)
    appeal_services.appeal_sign(actor=persona.oliver, appeal_id=appeal.pk)
    [row] = json.loads(call(public, "GET", f"requests/{appeal.pk}").content)
    assert (row["status"], row["status_notes"]) == ("open", "Signed for")
    assert row["agency_responsible"] == "东门警务区"
    last = AppealEvent.objects.filter(appeal=appeal).order_by("-seq").first()
    assert last is not None and row["updated_datetime"] == w3c(last.at)
    appeal_services.appeal_contact(actor=persona.oliver, appeal_id=appeal.pk, note="电话联系")
    appeal_services.appeal_conclude(actor=persona.oliver, appeal_id=appeal.pk, result="solved", note="已处理")
    [row] = json.loads(call(public, "GET", f"requests/{appeal.pk}").content)
    assert row["status"] == "closed"
    assert row["status_notes"] == "Concluded"


def test_status_notes_are_in_chinese_by_default(persona):
    appeal = register(persona)
    [row] = json.loads(Client().get(f"/open311/v2/requests/{appeal.pk}.json").content)
    assert row["status_notes"] == "待受理"


def test_a_merged_request_names_the_one_it_was_merged_into(persona, public):
    duplicate, original = register(persona), register(persona, title="原件")
    appeal_services.appeal_merge(actor=persona.clara, appeal_id=duplicate.pk, into=original.pk)
    [row] = json.loads(call(public, "GET", f"requests/{duplicate.pk}").content)
    assert row["status"] == "closed"
    assert str(original.pk) in row["status_notes"]


def test_the_status_filter(persona, public):
    open_one = register(persona)
    closed_one = register(persona, title="驳回")
    appeal_services.appeal_reject(actor=persona.clara, appeal_id=closed_one.pk, reason="重复诉求")
    assert ids(call(public, "GET", "requests", "json", {"status": "open"})) == [open_one.pk]
    assert ids(call(public, "GET", "requests", "json", {"status": "closed"})) == [closed_one.pk]
    assert ids(call(public, "GET", "requests", "json", {"status": "open,closed"})) == [
        closed_one.pk,
        open_one.pk,
    ]
    # "Optional" in the specification's sense: empty is the same as absent.
    assert ids(call(public, "GET", "requests", "json", {"status": ""})) == [closed_one.pk, open_one.pk]


def test_the_service_code_filter(persona, public):
    noise = register(persona)
    parking = register(persona, category=Category.objects.get(code="traffic-parking"))
    fight = register(persona, category=Category.objects.get(code="order-fight"))
    assert ids(call(public, "GET", "requests", "json", {"service_code": "order-noise"})) == [noise.pk]
    both = call(public, "GET", "requests", "json", {"service_code": "order-noise,order-fight"})
    assert ids(both) == [fight.pk, noise.pk]
    assert parking.pk not in ids(both)
    assert ids(call(public, "GET", "requests", "json", {"service_code": "no-such"})) == []


def test_ids_override_every_other_filter(persona, public):
    old = received(register(persona), timedelta(days=200))
    recent = register(persona)
    other = register(persona)
    response = call(
        public,
        "GET",
        "requests",
        "json",
        {"service_request_id": f"{old.pk}, {recent.pk}", "status": "closed", "service_code": "order-fight"},
    )
    assert ids(response) == [recent.pk, old.pk]
    assert other.pk not in ids(response)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_ids_are_400(db, public, fmt):
    response = call(public, "GET", "requests", fmt, {"service_request_id": "12,abc"})
    assert response.status_code == 400
    assert "service_request_id" in errors_of(response, fmt)[0]


def test_the_default_window_is_the_last_90_days(persona, public):
    inside = received(register(persona), timedelta(days=89))
    outside = received(register(persona), timedelta(days=91))
    found = ids(call(public, "GET", "requests"))
    assert inside.pk in found and outside.pk not in found


@pytest.mark.parametrize(("days", "status"), [(89, 200), (90, 200), (91, 400)])
def test_a_window_spans_at_most_90_days(persona, public, days, status):
    appeal = received(register(persona), timedelta(days=100))
    start = timezone.localtime(appeal.received_at).replace(microsecond=0)
    params = {"start_date": start.isoformat(), "end_date": (start + timedelta(days=days)).isoformat()}
    for fmt in ("json", "xml"):
        response = call(public, "GET", "requests", fmt, params)
        assert response.status_code == status
        if status == 400:
            [description] = errors_of(response, fmt)
            assert "90" in description and "91" in description
    if status == 200:
        assert ids(call(public, "GET", "requests", "json", params)) == [appeal.pk]


def test_a_window_from_a_start_or_to_an_end(persona, public):
    old = received(register(persona), timedelta(days=150))
    older = received(register(persona), timedelta(days=250))
    start = (timezone.now() - timedelta(days=160)).isoformat(timespec="seconds")
    assert ids(call(public, "GET", "requests", "json", {"start_date": start})) == [old.pk]
    end = (timezone.now() - timedelta(days=200)).isoformat(timespec="seconds")
    assert ids(call(public, "GET", "requests", "json", {"end_date": end})) == [older.pk]


def test_dates_in_utc_and_with_an_unencoded_plus(persona, public):
    appeal = received(register(persona), timedelta(days=10))
    start = (appeal.received_at - timedelta(hours=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = timezone.localtime(appeal.received_at + timedelta(hours=1)).isoformat(timespec="seconds")
    # A client that does not encode "+" sends a space in its place.
    response = public.get(f"/open311/v2/requests.json?start_date={start}&end_date={end}")
    assert ids(response) == [appeal.pk]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start_date": "last tuesday"}, "start_date"),
        ({"end_date": "2026-02-30T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-10-01T00:00:00Z", "end_date": "2026-09-01T00:00:00Z"}, "before"),
        ({"status": "pending"}, "status"),
    ],
)
def test_bad_arguments_are_400(db, public, params, words):
    for fmt in ("json", "xml"):
        response = call(public, "GET", "requests", fmt, params)
        assert response.status_code == 400
        assert any(words in d for d in errors_of(response, fmt))


def test_at_most_the_limit_newest_first(persona, public, monkeypatch):
    monkeypatch.setattr(selectors, "REQUESTS_LIMIT", 3)
    made = [register(persona, title=f"第{i}件") for i in range(5)]
    assert ids(call(public, "GET", "requests")) == [a.pk for a in reversed(made)][:3]


def test_the_list_costs_a_fixed_number_of_queries(persona, public, django_assert_max_num_queries):
    for i in range(12):
        register(persona, title=f"第{i}件")
    # One for the rows (with category, unit and the latest event) and the session-free rest.
    with django_assert_max_num_queries(2):
        response = call(public, "GET", "requests")
    assert len(json.loads(response.content)) == 12
