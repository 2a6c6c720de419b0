"""The appeal list filters by state, unit subtree, category (a first-level code takes its
children), overdue and Chinese words, newest received first, a cursor page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jingmin.api.tests.conftest import api_as
from jingmin.api.views import AppealPagination
from jingmin.appeals import services
from jingmin.appeals.models import Category, State

APPEALS = "/api/v1/appeals/"


def ids(client, **params):
    response = client.get(APPEALS, params)
    assert response.status_code == 200, response.json()
    return [a["id"] for a in response.json()["results"]]


def test_by_state(persona, register, walk):
    submitted = register()
    dispatched = walk(register(), State.DISPATCHED)
    client = api_as(persona.clara)
    assert ids(client, state="dispatched") == [dispatched.pk]
    assert ids(client, state="submitted") == [submitted.pk]


def test_by_unit_takes_its_subtree(persona, register, walk):
    at_station = register()
    in_a1 = walk(register(), State.DISPATCHED)
    in_a2 = walk(register(), State.ACCEPTED)
    services.appeal_dispatch(actor=persona.clara, appeal_id=in_a2.pk, unit=persona.district_a2)
    client = api_as(persona.li)
    assert ids(client, unit=persona.district_a1.pk) == [in_a1.pk]
    assert set(ids(client, unit=persona.station_a.pk)) == {at_station.pk, in_a1.pk, in_a2.pk}
    assert ids(client, unit=persona.district_b1.pk) == []


def test_by_category_a_first_level_code_takes_its_children(persona, register):
    noise = register(category=Category.objects.get(code="order-noise"))
    fight = register(category=Category.objects.get(code="order-fight"))
    parking = register(category=Category.objects.get(code="traffic-parking"))
    client = api_as(persona.clara)
    assert set(ids(client, category="order")) == {noise.pk, fight.pk}
    assert ids(client, category="order-noise") == [noise.pk]
    assert ids(client, category="traffic") == [parking.pk]


def test_by_overdue(persona, register, walk):
    running = register()
    concluded = walk(register(), State.CONCLUDED)
    client = api_as(persona.clara)
    assert ids(client, overdue="true") == []
    assert set(ids(client, overdue="false")) == {running.pk, concluded.pk}
    assert client.get(f"{APPEALS}{running.pk}/").json()["overdue"] is False

    with time_machine.travel(timezone.now() + timedelta(days=90), tick=False):
        assert ids(client, overdue="true") == [running.pk]
        # A concluded appeal runs no clock, so it is never overdue.
        assert ids(client, overdue="false") == [concluded.pk]
        assert client.get(f"{APPEALS}{running.pk}/").json()["overdue"] is True
        # Without the flag, both.
        assert set(ids(client)) == {running.pk, concluded.pk}


def test_by_a_two_character_chinese_word(persona, register):
    noise = register()
    lamp = register(title="路灯不亮", content="小区门口路灯坏了一周，夜里看不清路。", address="西门小区")
    client = api_as(persona.clara)
    assert ids(client, q="噪音") == [noise.pk]
    assert ids(client, q="路灯") == [lamp.pk]
    assert ids(client, q="路灯 噪音") == []


def test_newest_received_first_one_cursor_page_at_a_time(persona, register, monkeypatch):
    now = timezone.now()
    oldest = register(received_at=now - timedelta(hours=3))
    newest = register(received_at=now - timedelta(hours=1))
    middle = register(received_at=now - timedelta(hours=2))
    monkeypatch.setattr(AppealPagination, "page_size", 2)
    client = api_as(persona.clara)

    page = client.get(APPEALS).json()
    assert [a["id"] for a in page["results"]] == [newest.pk, middle.pk]
    assert page["next"] and page["previous"] is None
    page = client.get(page["next"]).json()
    assert [a["id"] for a in page["results"]] == [oldest.pk]
    assert page["next"] is None


@pytest.mark.parametrize(("param", "value"), [("state", "lost"), ("overdue", "maybe"), ("unit", "A1")])
def test_a_filter_that_cannot_be_read_names_itself(persona, param, value):
    response = api_as(persona.clara).get(APPEALS, {param: value})
    assert response.status_code == 400
    assert response.json()["field"] == param
