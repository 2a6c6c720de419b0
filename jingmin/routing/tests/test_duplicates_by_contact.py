"""Likely duplicates by who calls and where: Clara takes a call whose words differ from every
open appeal, yet the caller (their phone's keyed hash) or the address is that of an appeal
received within the window; it is offered. Older ones, closed ones and those outside her scope
are not."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import make_user, signed_in
from jingmin.appeals import services as appeals
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.org.roles import Role
from jingmin.routing.duplicates import likely_duplicates

# Nothing in these words is shared with the registered appeal's (楼上深夜噪音扰民, 装修, 休息).
OTHER_TITLE = "又来反映情况"
OTHER_CONTENT = "晚上吵得睡不着觉，孩子明天要考试，麻烦管一管。"


def register(actor, **overrides):
    appeal, _created = appeals.appeal_register(actor=actor, data=appeal_input(**overrides))
    return appeal


def offered(persona, **kwargs):
    rows = likely_duplicates(actor=persona.clara, title=OTHER_TITLE, content=OTHER_CONTENT, **kwargs)
    return {d.pk: d for d in rows}


def test_the_same_address_in_other_words_is_offered(persona):
    earlier = register(persona.clara, citizen_phone="13900000001")
    rows = offered(persona, address=" 东门小区3栋2单元 ", citizen_phone="13700000002")
    assert list(rows) == [earlier.pk]
    assert rows[earlier.pk].same_address and not rows[earlier.pk].same_caller
    # By words alone it would not have been offered.
    assert offered(persona) == {}


def test_the_same_caller_in_other_words_is_offered(persona):
    earlier = register(persona.clara, address="西门花园1栋")
    rows = offered(persona, citizen_phone="138-1234-5678", address="南街菜市场")
    assert list(rows) == [earlier.pk]
    assert rows[earlier.pk].same_caller and not rows[earlier.pk].same_address


def test_the_same_caller_outside_the_window_is_not_offered(persona, settings):
    settings.ROUTING_DUPLICATE_WEEKS = 1
    register(persona.clara, received_at=timezone.now() - timedelta(days=10))
    assert offered(persona, citizen_phone="13812345678", address="东门小区3栋2单元") == {}


def test_a_closed_appeal_of_the_same_caller_is_not_offered(persona):
    closed = register(persona.clara)
    appeals.appeal_reject(actor=persona.clara, appeal_id=closed.pk, reason="不属于公安职责")
    assert offered(persona, citizen_phone="13812345678") == {}


def test_another_stations_appeal_of_the_same_caller_is_not_offered(persona):
    clerk_b = make_user("bob", persona.station_b, Role.CLERK, "鲍勃")
    theirs = register(clerk_b, district=persona.district_b1)
    rows = offered(persona, citizen_phone="13812345678", address="东门小区3栋2单元")
    assert theirs.pk not in rows and rows == {}


def test_the_intake_fragment_offers_them_with_a_merge_button(persona):
    earlier = register(persona.clara)
    client = signed_in(persona.clara)
    html = client.post(
        reverse("routing:suggest"),
        {"title": OTHER_TITLE, "content": OTHER_CONTENT, "citizen_phone": "13812345678"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert earlier.tracking_code in html
    assert 'class="same-caller"' in html
    assert f'hx-post="{reverse("appeals:merge_into", args=[earlier.pk])}"' in html
    # Not a submit button: Enter in a field of the form registers, it never merges.
    assert 'type="button" class="secondary merge-into"' in html
