"""The hotline posts a citizen's report: it becomes an appeal of Clara's station, channel Open311,
the partner recorded, with what the appeal has no column for kept beside it; the answer gives an
id, a token that leads back to it and a notice with the conclusion deadline."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from jingmin.appeals.models import Appeal, AppealType, Channel, State
from jingmin.open311.models import Partner, ServiceRequest
from jingmin.open311.tests.conftest import as_xml, call, errors_of, noise_post, post_form


def test_a_post_in_json_registers_an_appeal(persona, public, hotline):
    response = post_form(public, "json", noise_post(hotline.key))
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "private, no-store"
    [answer] = json.loads(response.content)
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    appeal = Appeal.objects.get(pk=int(answer["service_request_id"]))
    assert answer["account_id"] == "acc-42"
    assert "城关派出所" in answer["service_notice"]
    assert appeal.channel == Channel.OPEN311 and appeal.open311_request.partner == hotline.partner
    assert appeal.source == hotline.partner.name
    assert appeal.type == AppealType.HELP and appeal.state == State.SUBMITTED
    assert appeal.intake_unit == persona.station_a and appeal.unit == persona.station_a
    assert appeal.category.code == "order-noise"
    assert appeal.title == "楼上每晚12点后装修噪音"
    assert appeal.content == "楼上每晚12点后装修噪音\n影响休息"
    assert appeal.address == "东门小区3栋2单元"
    assert appeal.latitude == Decimal("39.908724") and appeal.longitude == Decimal("116.397475")
    assert appeal.citizen_name == "王小明" and appeal.citizen_phone == "13812345678"
    assert not appeal.anonymous
    assert appeal.media_url == "https://img.example.com/noise/1.jpg"
    assert appeal.attributes == {"noise_source": "renovation"}
    assert appeal.conclude_by is not None
    record = ServiceRequest.objects.get(appeal=appeal)
    assert record.partner == hotline.partner and record.token == answer["token"]
    assert (record.email, record.device_id, record.account_id) == ("wang@example.com", "dev-778", "acc-42")
    # The key was used just now.
    partner = Partner.objects.get(pk=hotline.partner.pk)
    assert partner.last_used_at is not None and (timezone.now() - partner.last_used_at).total_seconds() < 60


def test_contact_details_are_stored_encrypted(persona, public, hotline):
    from django.db import connection

    post_form(public, "json", noise_post(hotline.key))
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, device_id, account_id FROM open311_servicerequest")
        row = cursor.fetchone()
    assert "wang@example.com" not in row and "dev-778" not in row and "acc-42" not in row


def test_a_post_in_xml(persona, public, hotline):
    response = post_form(public, "xml", noise_post(hotline.key, account_id=None))
    assert response.status_code == 200
    root = as_xml(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == ["service_request_id", "token", "service_notice", "account_id"]
    assert Appeal.objects.filter(pk=int(request.findtext("service_request_id") or 0)).exists()
    assert request.findtext("account_id") == ""


def test_the_token_leads_to_the_request_in_both_formats(persona, public, hotline):
    [answer] = json.loads(post_form(public, "json", noise_post(hotline.key)).content)
    token = answer["token"]
    as_json = call(public, "GET", f"tokens/{token}", "json")
    assert as_json.status_code == 200
    assert json.loads(as_json.content) == [
        {"service_request_id": answer["service_request_id"], "token": token}
    ]
    root = as_xml(call(public, "GET", f"tokens/{token}", "xml"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == answer["service_request_id"]
    assert root.findtext("request/token") == token


def test_a_location_is_lat_and_long_or_an_address_or_an_address_id(persona, public, hotline):
    only_address = noise_post(hotline.key, lat=None, long=None)
    assert post_form(public, "json", only_address).status_code == 200
    only_coordinates = noise_post(hotline.key, address_string=None)
    assert post_form(public, "json", only_coordinates).status_code == 200
    only_id = noise_post(hotline.key, lat=None, long=None, address_string=None, address_id="BJ-0001-77")
    [answer] = json.loads(post_form(public, "json", only_id).content)
    appeal = Appeal.objects.get(pk=int(answer["service_request_id"]))
    assert "BJ-0001-77" in appeal.address
    assert ServiceRequest.objects.get(appeal=appeal).address_id == "BJ-0001-77"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"lat": None, "long": None, "address_string": None}, "location"),
        ({"long": None, "address_string": None}, "lat and long"),
        ({"lat": "91"}, "lat"),
        ({"long": "east"}, "long"),
        ({"email": "not-an-address"}, "email"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"media_url": "ftp://files.example.com/a.jpg"}, "media_url"),
        ({"description": "长" * 4001}, "description"),
        ({"phone": "12ab"}, "phone"),
        ({"address_string": "路" * 201}, "address_string"),
        ({"device_id": "d" * 101}, "device_id"),
    ],
)
def test_a_bad_parameter_is_400_naming_it_and_changes_nothing(persona, public, hotline, change, words):
    for fmt in ("json", "xml"):
        response = post_form(public, fmt, noise_post(hotline.key, **change))
        assert response.status_code == 400
        descriptions = errors_of(response, fmt)
        assert any(words in d for d in descriptions), descriptions
    assert not Appeal.objects.exists() and not ServiceRequest.objects.exists()


def test_every_problem_is_listed_at_once(persona, public, hotline):
    response = post_form(
        public,
        "json",
        noise_post(
            hotline.key, lat="north", email="x", media_url="nope", **{"attribute[noise_source]": None}
        ),
    )
    assert response.status_code == 400
    descriptions = errors_of(response, "json")
    assert len(descriptions) == 4
    assert any("attribute[noise_source]" in d for d in descriptions)


def test_a_missing_service_code_is_400_and_an_unknown_one_404(persona, public, hotline):
    for fmt in ("json", "xml"):
        missing = post_form(public, fmt, noise_post(hotline.key, service_code=None))
        assert missing.status_code == 400
        assert any("service_code" in d for d in errors_of(missing, fmt))
        unknown = post_form(public, fmt, noise_post(hotline.key, service_code="order-nothing"))
        assert unknown.status_code == 404
        assert any("order-nothing" in d for d in errors_of(unknown, fmt))
    assert not Appeal.objects.exists()


def test_a_post_must_be_form_encoded(persona, public, hotline):
    response = public.post(
        "/open311/v2/requests.json", json.dumps(noise_post(hotline.key)), content_type="application/json"
    )
    assert response.status_code == 400
    assert "form-encoded" in errors_of(response, "json")[0]
    assert not Appeal.objects.exists()


def test_an_anonymous_post_and_a_western_name(persona, public, hotline):
    anonymous = noise_post(hotline.key, first_name=None, last_name=None, phone=None, email=None)
    [answer] = json.loads(post_form(public, "json", anonymous).content)
    assert Appeal.objects.get(pk=int(answer["service_request_id"])).anonymous
    western = noise_post(hotline.key, first_name="John", last_name="Smith", phone=None)
    [answer] = json.loads(post_form(public, "json", western).content)
    assert Appeal.objects.get(pk=int(answer["service_request_id"])).citizen_name == "John Smith"


def test_a_post_without_description_is_titled_by_its_service(persona, public, hotline):
    [answer] = json.loads(post_form(public, "json", noise_post(hotline.key, description=None)).content)
    appeal = Appeal.objects.get(pk=int(answer["service_request_id"]))
    assert appeal.title == "噪音扰民"
    assert appeal.content  # a note for staff that the answers say it all
