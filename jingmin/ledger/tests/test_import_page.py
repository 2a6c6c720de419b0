"""The import page: upload, a check run by the worker, a preview with counts and every rejected
row, confirmation, the writing run by the worker, and the report; only chiefs import."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.ledger.models import ImportRun, Person
from jingmin.ledger.tests.conftest import make_id, person_row


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a request queues on commit (the tasks), as a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _upload(client, path, mode="all-or-nothing", *, commit):
    with path.open("rb") as f:
        upload = SimpleUploadedFile(path.name, f.read())
    with commit():
        return client.post(reverse("ledger:imports"), {"file": upload, "mode": mode})


def test_a_chief_uploads_checks_confirms_and_imports(persona, workbook, run_tasks, commit):
    client = signed_in(persona.chen)
    assert "ledger-template.xlsx" in client.get(reverse("ledger:template"))["Content-Disposition"]
    rows = [person_row(), person_row(name="坏行", id_number="123")]
    page = _upload(client, workbook({"人口": rows}), mode="valid-rows", commit=commit)
    run = ImportRun.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("ledger:import", args=[run.pk])
    waiting = client.get(
        reverse("ledger:import", args=[run.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and run.state == "checking"

    run_tasks()
    run.refresh_from_db()
    assert run.state == "previewed" and run.rejected_total == 1
    assert run.counts["check"] == {"人口": {"valid": 1, "rejected": 1}}
    html = client.get(reverse("ledger:import", args=[run.pk])).content.decode()
    assert "坏行" not in html  # the page names rows by number, not by their people
    assert "公民身份号码" in html and "<td>3</td>" in html
    assert reverse("ledger:import_confirm", args=[run.pk]) in html
    assert not Person.objects.exists()  # the check writes nothing

    with commit():
        client.post(reverse("ledger:import_confirm", args=[run.pk]))
        client.post(reverse("ledger:import_confirm", args=[run.pk]))  # a double click
    run_tasks()
    run.refresh_from_db()
    assert run.state == "done" and Person.objects.count() == 1
    assert run.counts["written"]["person"]["created"] == 1
    report = client.get(reverse("ledger:import_report", args=[run.pk]))
    assert report.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(report.getvalue()), read_only=True)
    rejected = list(book.worksheets[1].iter_rows(values_only=True))
    assert rejected[1][:3] == ("人口", 3, "公民身份号码")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"ledger.import_upload", "ledger.import_confirm", "ledger.import_apply"} <= actions


def test_all_or_nothing_with_rejected_rows_cannot_be_confirmed(persona, workbook, run_tasks, commit):
    client = signed_in(persona.chen)
    _upload(
        client,
        workbook({"人口": [person_row(), person_row(name="", id_number=make_id(date(1960, 1, 1)))]}),
        commit=commit,
    )
    run_tasks()
    run = ImportRun.objects.get()
    assert run.state == "previewed"
    html = client.get(reverse("ledger:import", args=[run.pk])).content.decode()
    assert reverse("ledger:import_confirm", args=[run.pk]) not in html
    with commit():
        client.post(reverse("ledger:import_confirm", args=[run.pk]))
    run_tasks()
    run.refresh_from_db()
    assert run.state == "previewed" and not Person.objects.exists()


def test_a_damaged_upload_fails_with_a_clear_error_and_changes_nothing(persona, tmp_path, run_tasks, commit):
    client = signed_in(persona.chen)
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    _upload(client, path, commit=commit)
    run_tasks()
    run = ImportRun.objects.get()
    assert run.state == "failed" and run.error
    html = client.get(reverse("ledger:import", args=[run.pk])).content.decode()
    assert run.error in html
    assert not Person.objects.exists()


def test_the_upload_refuses_what_is_not_an_xlsx_beside_the_field(persona, tmp_path, commit):
    client = signed_in(persona.chen)
    path = tmp_path / "ledger.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    page = _upload(client, path, commit=commit)
    assert page.status_code == 200 and not ImportRun.objects.exists()
    field = page.content.decode().split('for="id_file"')[1].split("</div>")[0]
    assert 'class="error"' in field


def test_only_those_who_may_import_see_the_import(persona, ledger_a1):
    for user in (persona.oliver, persona.clara, persona.li, persona.ines):
        client = signed_in(user)
        assert client.get(reverse("ledger:imports")).status_code == 403
        assert client.get(reverse("ledger:template")).status_code == 403


def test_another_stations_import_is_a_404(persona, workbook, run_tasks, django_user_model, commit):
    from conftest import make_user
    from jingmin.org.roles import Role

    chief_b = make_user("chief_b", persona.station_b, Role.CHIEF, "河西所长")
    _upload(signed_in(chief_b), workbook({"人口": [person_row(district="TB11")]}), commit=commit)
    run = ImportRun.objects.get()
    assert signed_in(persona.chen).get(reverse("ledger:import", args=[run.pk])).status_code == 404
    assert signed_in(persona.chen).post(reverse("ledger:import_confirm", args=[run.pk])).status_code == 404
