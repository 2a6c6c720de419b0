"""Uploaded files go through Django's storage API only, so the media storage can be a directory
shared by several nodes (NFS) or an S3-compatible object store: an attachment, a visit photo and a
ledger workbook (with its report) are stored and served through an object store here, with an
in-process fake of S3 (moto) standing in for the real one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from conftest import signed_in
from jingmin.appeals import services
from jingmin.appeals.models import Attachment
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.ledger.models import Person
from jingmin.ledger.tests.conftest import person_row, write_workbook

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SOURCE = Path(__file__).resolve().parents[2]


def test_every_file_field_stores_through_the_default_storage():
    fields = [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("jingmin.")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert {f"{m._meta.label}.{f.name}" for m, f in fields} >= {
        "appeals.Attachment.file",
        "visits.VisitPhoto.file",
        "ledger.ImportRun.file",
        "ledger.ImportRun.report",
    }
    for _model, field in fields:
        assert field.storage is default_storage


def test_no_code_reaches_uploaded_files_by_a_local_path():
    """MEDIA_ROOT and a stored file's `.path` exist on a local disk only; the product never uses
    them (tests may, to look at what a filesystem storage wrote)."""
    offending = []
    pattern = re.compile(r"MEDIA_ROOT|\b(file|report|photo|attachment)\.path\b")
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offending.append(f"{path.relative_to(SOURCE.parent)}:{number}: {line.strip()}")
    assert offending == []


@pytest.fixture
def object_store(settings):
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        import boto3

        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="jingmin-media")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "jingmin-media",
                    "region_name": "us-east-1",
                    "access_key": "test",
                    "secret_key": "test",
                    "location": "media",
                    "default_acl": "private",
                    "file_overwrite": False,
                },
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def _stored(client) -> set[str]:
    listing = client.list_objects_v2(Bucket="jingmin-media").get("Contents", [])
    return {item["Key"] for item in listing}


@pytest.mark.django_db
def test_an_attachment_is_stored_and_served_from_the_object_store(object_store, persona, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "nothing-here"
    appeal, _ = services.appeal_register(
        actor=persona.clara,
        data=appeal_input(),
        files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )
    attachment = Attachment.objects.get(appeal=appeal)
    assert _stored(object_store) == {f"media/{attachment.file.name}"}
    assert not (tmp_path / "nothing-here").exists()
    response = signed_in(persona.chen).get(reverse("appeals:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response.getvalue() == PNG


@pytest.mark.django_db
def test_a_visit_photo_is_stored_in_the_object_store(object_store, persona):
    from jingmin.visits.models import VisitPhoto

    field = VisitPhoto._meta.get_field("file")
    name = field.storage.save("visits/2026/12/check.png", SimpleUploadedFile("p.png", PNG))
    assert f"media/{name}" in _stored(object_store)
    with field.storage.open(name, "rb") as handle:
        assert handle.read() == PNG


@pytest.mark.django_db
def test_a_ledger_workbook_is_read_from_the_object_store_and_its_report_kept_there(
    object_store, persona, tmp_path, import_through_pages
):
    book = write_workbook(
        tmp_path / "ledger.xlsx", {"人口": [person_row(), person_row(name="坏行", id_number="1")]}
    )
    client = signed_in(persona.chen)
    run = import_through_pages(client, book, "valid-rows")
    assert Person.objects.count() == 1 and run.rejected_total == 1
    assert {f"media/{run.file.name}", f"media/{run.report.name}"} <= _stored(object_store)
    report = client.get(reverse("ledger:import_report", args=[run.pk]))
    assert report.status_code == 200
    assert report.getvalue()[:2] == b"PK"  # the report workbook itself
