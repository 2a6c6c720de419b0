"""Excel exports show identifiers masked, unless the role may reveal them; the export itself is
audited, recording whether it held full values."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from conftest import signed_in
from jingmin.audit.models import AuditEntry


def _rows(response) -> list[tuple]:
    book = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_an_officers_export_is_masked(persona, ledger_a1, ledger_b1):
    person = ledger_a1["person"]
    response = signed_in(persona.oliver).get(reverse("ledger:export_persons"))
    assert response.status_code == 200
    header, *rows = _rows(response)
    assert header[0] == "姓名" and len(rows) == 1  # Olga's person is outside Oliver's scope
    row = dict(zip(header, rows[0], strict=True))
    assert row["姓名"] == "张三"
    assert row["公民身份号码"] == person.id_number_masked and row["联系电话"] == "138****1234"
    assert (
        row["街路巷"] == "东门路" and row["行政区划"] == "城关镇/东门社区" and row["关怀标签"] == "独居老人"
    )
    entry = AuditEntry.objects.get(action="ledger.records_export")
    assert entry.actor_username == "oliver" and entry.detail["full_values"] is False


def test_a_chiefs_export_holds_the_full_values(persona, ledger_a1):
    header, *rows = _rows(signed_in(persona.chen).get(reverse("ledger:export_persons")))
    row = dict(zip(header, rows[0], strict=True))
    assert row["公民身份号码"] == ledger_a1["person"].id_number and row["联系电话"] == "13800001234"
    assert AuditEntry.objects.get(action="ledger.records_export").detail["full_values"] is True


def test_the_export_follows_the_search(persona, ledger_a1):
    from jingmin.ledger import services

    services.person_create(
        actor=persona.oliver, data=services.PersonInput(name="李五"), house_id=ledger_a1["house"].pk
    )
    _header, *rows = _rows(signed_in(persona.oliver).get(reverse("ledger:export_persons"), {"q": "李"}))
    assert [r[0] for r in rows] == ["李五"]
    assert AuditEntry.objects.get(action="ledger.records_export").detail["q"] == "李"


def test_a_too_large_export_is_refused_with_a_message(persona, ledger_a1, settings):
    settings.LEDGER_EXPORT_LIMIT = 0
    response = signed_in(persona.oliver).get(reverse("ledger:export_persons"))
    assert (
        response.status_code == 302 and not AuditEntry.objects.filter(action="ledger.records_export").exists()
    )


def test_organisation_exports_mask_the_contact_phone(persona, ledger_a1):
    from jingmin.ledger import services

    services.organisation_create(
        actor=persona.oliver,
        address_id=ledger_a1["address"].pk,
        data=services.OrganisationInput(name="东门超市", kind="shop", contact_phone="13600001111"),
    )
    header, *rows = _rows(signed_in(persona.oliver).get(reverse("ledger:export_organisations")))
    row = dict(zip(header, rows[0], strict=True))
    assert row["单位名称"] == "东门超市" and row["联系电话"] == "136****1111"
    header, *rows = _rows(signed_in(persona.ines).get(reverse("ledger:export_organisations")))
    assert dict(zip(header, rows[0], strict=True))["联系电话"] == "13600001111"
