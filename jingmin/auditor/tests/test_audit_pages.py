"""The audit administrator searches and exports the log; reads of profiles are recorded."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD, signed_in
from jingmin.audit.models import AuditEntry
from jingmin.audit.services import audit_record, audit_seal
from jingmin.org.codes import AuditAction


@pytest.mark.django_db
def test_reading_a_profile_writes_a_read_row(persona):
    signed_in(persona.chen).get(reverse("org:staff_detail", args=[persona.oliver.pk]))
    row = AuditEntry.objects.get(action="audit.record_read", actor_username="chen")
    assert row.target_type == "org.user" and row.target_id == str(persona.oliver.pk)


@pytest.mark.django_db
def test_auditor_searches_by_account_and_action(persona):
    Client().post(reverse("org:signin"), {"username": "oliver", "password": "wrong-password"})
    Client().post(reverse("org:signin"), {"username": "chen", "password": PASSWORD})
    client = signed_in(persona.audrey)
    page = client.get(reverse("audit:log"), {"action": "org.signin_fail"}).content.decode()
    assert "oliver" in page and ">chen<" not in page
    page = client.get(reverse("audit:log"), {"account": "chen"}).content.decode()
    assert ">chen<" in page and ">oliver<" not in page


@pytest.mark.django_db
def test_bad_filter_is_explained(persona):
    page = signed_in(persona.audrey).get(reverse("audit:log"), {"since": "2026-05-02", "until": "2026-05-01"})
    assert "截止日期早于起始日期。" in page.content.decode()


@pytest.mark.django_db
def test_older_rows_page_by_the_order_they_were_written(persona):
    # Sixty rows of one account, written directly: the sign-in's own limits would stop a loop of
    # failed sign-ins from one address long before sixty.
    for _ in range(60):
        audit_record(
            actor=None, actor_username="nobody", action=AuditAction.SIGNIN_FAIL, detail={"reason": "unknown"}
        )
    client = signed_in(persona.audrey)
    first = client.get(reverse("audit:log"), {"account": "nobody"})
    assert first.context["next_before"] is not None
    second = client.get(reverse("audit:log"), {"account": "nobody", "before": first.context["next_before"]})
    ids_first = [row.pk for row, _label in first.context["rows"]]
    ids_second = [row.pk for row, _label in second.context["rows"]]
    assert len(ids_first) == 50 and len(ids_second) == 10 and min(ids_first) > max(ids_second)
    # The "older rows" link keeps the filter.
    assert f"?account=nobody&amp;before={first.context['next_before']}" in first.content.decode()


@pytest.mark.django_db
def test_export_is_a_workbook_and_is_recorded(persona):
    Client().post(reverse("org:signin"), {"username": "oliver", "password": "wrong-password"})
    response = signed_in(persona.audrey).get(reverse("audit:export"), {"account": "oliver"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == "oliver"
    assert AuditEntry.objects.filter(action="audit.log_export", actor_username="audrey").exists()


@pytest.mark.django_db
def test_nobody_can_edit_the_log_through_the_product(persona):
    from django.urls import get_resolver

    names = {name for name in get_resolver("jingmin.auditor.urls").reverse_dict if isinstance(name, str)}
    assert names == {"log", "export"}
    client = signed_in(persona.audrey)
    before = AuditEntry.objects.count()
    assert client.post(reverse("audit:log"), {"action": "x"}).status_code in (200, 405)
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_the_audit_page_shows_rows_not_sealed_yet(persona):
    audit_record(actor=None, actor_username="sealed-one", action=AuditAction.SIGNIN_FAIL)
    audit_seal()
    audit_record(actor=None, actor_username="waiting-one", action=AuditAction.SIGNIN_FAIL)
    page = signed_in(persona.audrey).get(reverse("audit:log")).content.decode()
    assert "waiting-one" in page and "sealed-one" in page
    assert page.count(">尚未封存<") == 1
