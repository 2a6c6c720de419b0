"""The ledger's pages, walked as Oliver on his phone would: from an address down to a person, with
errors shown beside their field and a retried submission creating nothing twice."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from conftest import signed_in
from jingmin.ledger.models import Address, House, Household, LedgerChange, Organisation, Person
from jingmin.ledger.tests.conftest import make_id


def test_oliver_registers_an_address_a_house_a_household_and_a_person(persona):
    client = signed_in(persona.oliver)
    form = client.get(reverse("ledger:address_new")).content.decode()
    key = form.split('name="submission_key" value="')[1].split('"')[0]
    page = client.post(
        reverse("ledger:address_new"),
        {"kind": "division", "name": "城关镇", "district": persona.district_a1.pk, "submission_key": key},
    )
    town = Address.objects.get(name="城关镇")
    assert page.status_code == 302 and page["Location"] == reverse("ledger:address", args=[town.pk])
    # The same form sent again (a retry after a lost answer) creates nothing new.
    again = client.post(
        reverse("ledger:address_new"),
        {"kind": "division", "name": "城关镇", "district": persona.district_a1.pk, "submission_key": key},
    )
    assert again.status_code == 302 and Address.objects.count() == 1
    parent = town
    for kind, name in (("road", "幸福路"), ("number", "12号")):
        client.post(f"{reverse('ledger:address_new')}?parent={parent.pk}", {"kind": kind, "name": name})
        parent = Address.objects.get(name=name)
    assert parent.full_name == "城关镇幸福路12号" and parent.district == persona.district_a1
    client.post(
        reverse("ledger:house_new", args=[parent.pk]),
        {"use": "residential", "owner_name": "王五", "is_active": "on"},
    )
    house = House.objects.get()
    client.post(reverse("ledger:household_new", args=[house.pk]), {"number": "1"})
    household = Household.objects.get()
    page = client.post(
        f"{reverse('ledger:person_new')}?household={household.pk}",
        {
            "name": "王五",
            "id_number": make_id(date(1950, 3, 3), seq=15),
            "sex": "unknown",
            "phone": "139 1234 5678",
            "residence": "registered",
            "household": str(household.pk),
            "relation": "head",
            "tags": ["elderly-alone"],
        },
    )
    person = Person.objects.get()
    assert page.status_code == 302
    assert person.sex == "male" and person.birth_date == date(1950, 3, 3) and person.phone == "13912345678"
    household.refresh_from_db()
    assert household.head == person
    html = client.get(reverse("ledger:household", args=[household.pk])).content.decode()
    assert "王五" in html and person.id_number not in html


def test_a_bad_id_number_is_shown_beside_its_field_and_nothing_is_saved(persona, ledger_a1):
    client = signed_in(persona.oliver)
    bad = make_id()[:17] + ("1" if make_id()[17] != "1" else "2")
    page = client.post(
        f"{reverse('ledger:person_new')}?house={ledger_a1['house'].pk}",
        {"name": "钱六", "id_number": bad, "sex": "unknown", "residence": "registered"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    field = html.split('for="id_id_number"')[1].split("</div>")[0]
    assert "check character" in field or "校验" in field
    assert Person.objects.count() == 1


def test_a_duplicate_id_number_is_refused(persona, ledger_a1):
    client = signed_in(persona.oliver)
    page = client.post(
        f"{reverse('ledger:person_new')}?house={ledger_a1['house'].pk}",
        {
            "name": "冒名",
            "id_number": ledger_a1["person"].id_number,
            "sex": "unknown",
            "residence": "registered",
        },
    )
    assert page.status_code == 200 and Person.objects.count() == 1


def test_the_edit_form_never_holds_the_full_identifiers_and_keeps_them_when_left_empty(persona, ledger_a1):
    person = ledger_a1["person"]
    client = signed_in(persona.oliver)
    html = client.get(reverse("ledger:person_edit", args=[person.pk])).content.decode()
    assert person.id_number not in html and "13800001234" not in html
    assert person.id_number_masked in html
    client.post(
        reverse("ledger:person_edit", args=[person.pk]),
        {
            "name": "张三",
            "sex": person.sex,
            "residence": "floating",
            "relation": "head",
            "household": str(ledger_a1["household"].pk),
            "tags": ["elderly-alone"],
        },
    )
    person.refresh_from_db()
    assert person.residence == "floating" and person.phone == "13800001234" and person.id_number
    change = LedgerChange.objects.filter(record_type="person", record_id=person.pk, action="update").get()
    assert set(change.changes) == {"residence"}


def test_organisations_are_registered_at_a_door(persona, ledger_a1):
    client = signed_in(persona.oliver)
    page = client.post(
        reverse("ledger:organisation_new", args=[ledger_a1["address"].pk]),
        {"name": "东门便民超市", "kind": "shop", "credit_code": "91350100M000100Y44", "is_active": "on"},
    )
    assert page.status_code == 200 and "credit_code" in page.content.decode()
    page = client.post(
        reverse("ledger:organisation_new", args=[ledger_a1["address"].pk]),
        {
            "name": "东门便民超市",
            "kind": "shop",
            "credit_code": "91350100M000100Y43",
            "contact_phone": "13600001111",
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get()
    assert page.status_code == 302 and organisation.district == persona.district_a1
    html = client.get(reverse("ledger:organisations")).content.decode()
    assert "东门便民超市" in html and "136****1111" in html and "13600001111" not in html


def test_addresses_are_found_by_any_part_of_their_text(persona, ledger_a1, ledger_b1):
    client = signed_in(persona.oliver)
    html = client.get(reverse("ledger:addresses"), {"q": "东门路8"}).content.decode()
    assert "城关镇东门社区东门路8号" in html
    # Olga's addresses are not Oliver's, even when they match.
    assert "河滨路" not in client.get(reverse("ledger:addresses"), {"q": "河滨"}).content.decode()
    html = client.get(reverse("ledger:address", args=[ledger_a1["address"].pk])).content.decode()
    assert reverse("ledger:house", args=[ledger_a1["house"].pk]) in html


def test_person_search_pages_by_keyset(persona, ledger_a1, settings):
    from jingmin.ledger import selectors, services

    for n in range(35):
        services.person_create(
            actor=persona.oliver,
            data=services.PersonInput(name=f"测试{n:02d}"),
            house_id=ledger_a1["house"].pk,
        )
    client = signed_in(persona.oliver)
    first = client.get(reverse("ledger:index"), {"q": "测试"})
    rows = first.context["page"].rows
    assert len(rows) == selectors.PAGE_SIZE and rows[0].name == "测试34"
    after = first.context["page"].next_cursor
    second = client.get(reverse("ledger:index"), {"q": "测试", "after": after}).context["page"].rows
    assert [p.name for p in second] == [f"测试{n:02d}" for n in range(4, -1, -1)]
