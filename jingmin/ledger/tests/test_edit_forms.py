"""Oliver's edit forms for a house and an organisation start from what the record holds, show
its phone only masked, and keep the phone when he leaves the field empty."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from conftest import signed_in
from jingmin.ledger import services
from jingmin.ledger.models import House, LedgerChange, Organisation


def value_of(html: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    if tag is None:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_the_house_form_starts_from_the_house_and_keeps_its_owners_phone(persona, ledger_a1):
    house = ledger_a1["house"]
    services.house_update(
        actor=persona.oliver,
        house_id=house.pk,
        data=services.HouseInput(
            owner_name="张三", owner_phone="13900007777", area=Decimal("88"), note="临街"
        ),
    )
    client = signed_in(persona.oliver)
    url = reverse("ledger:house_edit", args=[house.pk])
    html = client.get(url).content.decode()
    assert value_of(html, "owner_name") == "张三" and value_of(html, "area") == "88.00"
    assert "临街" in html
    assert "13900007777" not in html and "139****7777" in html
    assert value_of(html, "owner_phone") == ""

    page = client.post(
        url, {"use": "residential", "owner_name": "张三", "area": "90", "note": "临街", "is_active": "on"}
    )
    assert page.status_code == 302
    house = House.objects.get(pk=house.pk)
    assert house.owner_phone == "13900007777" and house.area == 90
    change = LedgerChange.objects.filter(record_type="house", record_id=house.pk).order_by("-id").first()
    assert change is not None and set(change.changes) == {"area"}


def test_the_organisation_form_starts_from_the_organisation_and_keeps_its_contact_phone(persona, ledger_a1):
    organisation = services.organisation_create(
        actor=persona.oliver,
        address_id=ledger_a1["address"].pk,
        data=services.OrganisationInput(
            name="东门便民超市", kind="shop", contact_name="李梅", contact_phone="13600001111", employees=4
        ),
    )
    client = signed_in(persona.oliver)
    url = reverse("ledger:organisation_edit", args=[organisation.pk])
    html = client.get(url).content.decode()
    assert value_of(html, "name") == "东门便民超市" and value_of(html, "contact_name") == "李梅"
    assert value_of(html, "employees") == "4"
    assert "13600001111" not in html and "136****1111" in html
    assert value_of(html, "contact_phone") == ""

    page = client.post(
        url,
        {"name": "东门便民超市", "kind": "shop", "contact_name": "李梅", "employees": "5", "is_active": "on"},
    )
    assert page.status_code == 302
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.contact_phone == "13600001111" and organisation.employees == 5
