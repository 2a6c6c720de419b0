"""Registering an appeal: what is kept, what is refused with a message naming the field, and a
retried submission that creates nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from jingmin.appeals import services
from jingmin.appeals.models import Appeal, Attachment, Category
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.core.crypto import lookup_hash

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\n"


def test_the_phone_is_stored_encrypted_and_found_by_its_keyed_hash(persona, register):
    appeal = register(citizen_phone="138 1234 5678")
    assert appeal.citizen_phone == "13812345678"
    assert appeal.citizen_phone_masked == "138****5678"
    assert appeal.citizen_name_masked == "王**"
    with connection.cursor() as cursor:
        cursor.execute("SELECT citizen_phone FROM appeals_appeal WHERE id = %s", [appeal.pk])
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored
    assert Appeal.objects.get(citizen_phone_hash=lookup_hash("13812345678")) == appeal


def test_an_anonymous_appeal_has_no_name_and_no_contact_clock(persona, register):
    appeal = register(anonymous=True, citizen_name="", citizen_phone="")
    assert appeal.contact_by is None and appeal.conclude_by is not None


def test_a_phone_call_may_be_entered_with_the_earlier_time_it_came_in(persona, register):
    earlier = timezone.now() - timedelta(hours=3)
    appeal = register(received_at=earlier, channel="12345")
    assert appeal.received_at == earlier
    assert appeal.contact_by == earlier + timedelta(hours=24)


BAD = [
    ({"received_at": "future"}, "received_at"),
    ({"received_at": "ancient"}, "received_at"),
    ({"title": "  "}, "title"),
    ({"content": ""}, "content"),
    ({"category": "parent"}, "category"),
    ({"category": None}, "category"),
    ({"channel": "fax"}, "channel"),
    ({"type": "rant"}, "type"),
    ({"urgency": "whenever"}, "urgency"),
    ({"citizen_phone": "12ab"}, "citizen_phone"),
    ({"anonymous": True}, "citizen_name"),
    ({"latitude": 31.2}, "latitude"),
    ({"latitude": 95, "longitude": 121}, "latitude"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_input_names_its_field_and_saves_nothing(persona, overrides, field):
    values = dict(overrides)
    now = timezone.now()
    if values.get("received_at") == "future":
        values["received_at"] = now + timedelta(hours=1)
    elif values.get("received_at") == "ancient":
        values["received_at"] = now - timedelta(days=40)
    if values.get("category") == "parent":
        values["category"] = Category.objects.get(code="order")
    with pytest.raises(services.ServiceError) as refused:
        services.appeal_register(actor=persona.clara, data=appeal_input(**values))
    assert refused.value.field == field and refused.value.message
    assert Appeal.objects.count() == 0


def test_only_intake_roles_register(persona):
    from django.core.exceptions import PermissionDenied

    for someone in (persona.oliver, persona.ines, persona.sam):
        with pytest.raises(PermissionDenied):
            services.appeal_register(actor=someone, data=appeal_input())
    assert Appeal.objects.count() == 0


def test_the_same_submission_twice_creates_one_appeal(persona):
    first, created = services.appeal_register(actor=persona.clara, data=appeal_input(), submission_key="k-1")
    again, created_again = services.appeal_register(
        actor=persona.clara, data=appeal_input(), submission_key="k-1"
    )
    assert created and not created_again and again.pk == first.pk
    assert Appeal.objects.count() == 1


def test_images_and_pdf_are_kept_outside_the_database(persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    appeal, _ = services.appeal_register(
        actor=persona.clara,
        data=appeal_input(),
        files=[
            SimpleUploadedFile("现场.png", PNG, "image/png"),
            SimpleUploadedFile("证明.pdf", PDF, "application/pdf"),
        ],
    )
    stored = list(Attachment.objects.filter(appeal=appeal).order_by("id"))
    assert [(a.original_name, a.content_type) for a in stored] == [
        ("现场.png", "image/png"),
        ("证明.pdf", "application/pdf"),
    ]
    for a in stored:
        path = tmp_path / a.file.name
        assert path.exists() and "现场" not in a.file.name and "证明" not in a.file.name


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", b"MZ\x90\x00", "file_type"),
        ("fake.png", b"<script>alert(1)</script>", "file_type"),
        ("photo.pdf", PNG, "file_type"),
        ("empty.png", b"", "empty_file"),
        ("huge.png", PNG + b"\x00" * 2048, "file_too_large"),
    ],
)
def test_a_wrong_or_oversized_file_is_refused_and_nothing_is_saved(
    persona, settings, tmp_path, name, content, code
):
    settings.MEDIA_ROOT = tmp_path
    settings.APPEAL_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(services.ServiceError) as refused:
        services.appeal_register(
            actor=persona.clara, data=appeal_input(), files=[SimpleUploadedFile(name, content)]
        )
    assert refused.value.code == code and refused.value.field == "files"
    assert Appeal.objects.count() == 0 and Attachment.objects.count() == 0
    assert not any(tmp_path.rglob("*.*"))
