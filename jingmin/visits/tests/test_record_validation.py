"""A visit the service refuses names the field at fault and changes nothing: no visit, no news,
no follow-up, no appeal, no photo, no audit row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingmin.appeals.models import Appeal
from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.visits import services
from jingmin.visits.models import Visit, VisitEvent, VisitFollowUp, VisitItem, VisitPhoto
from jingmin.visits.tests.conftest import visit_input


def snapshot() -> tuple[int, ...]:
    return (
        Visit.objects.count(),
        VisitItem.objects.count(),
        VisitFollowUp.objects.count(),
        VisitPhoto.objects.count(),
        VisitEvent.objects.count(),
        Appeal.objects.count(),
        AuditEntry.objects.count(),
    )


BAD = [
    ({}, "household"),  # no household, person or organisation
    ({"kind": "party"}, "kind"),
    ({"summary": "  "}, "summary"),
    ({"visited_at": "future"}, "visited_at"),
    ({"visited_at": "ancient"}, "visited_at"),
    ({"latitude": "31.2"}, "latitude"),  # a latitude without its longitude
    ({"latitude": "95", "longitude": "121"}, "latitude"),
    ({"latitude": "31.2", "longitude": "190"}, "longitude"),
    ({"latitude": "abc", "longitude": "121"}, "latitude"),
    ({"accuracy": "15"}, "accuracy"),  # an accuracy without a position
    ({"latitude": "31.2", "longitude": "121.4", "accuracy": "-3"}, "accuracy"),
    ({"items": [services.ItemInput(kind="gossip", text="x")]}, "items.0.kind"),
    (
        {"items": [services.ItemInput(kind="birth", text="ok"), services.ItemInput(kind="death", text=" ")]},
        "items.1.text",
    ),
    ({"follow_ups": [services.FollowUpInput(kind="task", text="再去看看")]}, "follow_ups.0.due_on"),
    (
        {"follow_ups": [services.FollowUpInput(kind="task", text="再去看看", due_on=date(2020, 1, 1))]},
        "follow_ups.0.due_on",
    ),
    ({"follow_ups": [services.FollowUpInput(kind="appeal", text="路灯坏了")]}, "follow_ups.0.category"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_a_refused_visit_names_the_field_and_changes_nothing(persona, world, change, field):
    fields = {"household": world.a1[0].pk, **change}
    if change == {}:
        fields.pop("household")
    if fields.get("visited_at") == "future":
        fields["visited_at"] = timezone.now() + timedelta(hours=1)
    elif fields.get("visited_at") == "ancient":
        fields["visited_at"] = timezone.now() - timedelta(days=60)
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        services.visit_record(actor=persona.oliver, data=visit_input(**fields), submission_key="bad")
    assert caught.value.field == field
    assert caught.value.message
    assert snapshot() == before


def test_an_appeal_the_appeal_service_refuses_rolls_the_whole_visit_back(persona, world):
    from jingmin.appeals.models import Category

    follow_up = services.FollowUpInput(
        kind="appeal",
        text="楼道灯坏了",
        category=Category.objects.get(code="order-noise"),
        citizen_phone="12ab",
    )
    before = snapshot()
    with pytest.raises(ServiceError) as caught:
        services.visit_record(
            actor=persona.oliver, data=visit_input(household=world.a1[0].pk, follow_ups=[follow_up])
        )
    assert caught.value.field == "follow_ups.0.citizen_phone"
    assert snapshot() == before


def test_a_file_that_is_not_a_photo_is_refused(persona, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%\xe2\xe3\n", content_type="application/pdf")
    disguised = SimpleUploadedFile("a.png", b"MZ\x90\x00" + b"\x00" * 40, content_type="image/png")
    for upload in (pdf, disguised):
        before = snapshot()
        with pytest.raises(ServiceError) as caught:
            services.visit_record(
                actor=persona.oliver, data=visit_input(household=world.a1[0].pk), photos=[upload]
            )
        assert caught.value.field == "photos"
        assert snapshot() == before
    assert not any(tmp_path.rglob("*.*"))


def test_an_inactive_household_is_not_visited(persona, world):
    with pytest.raises(ServiceError) as caught:
        services.visit_record(actor=persona.oliver, data=visit_input(household=world.a1_gone.pk))
    assert caught.value.field == "household"
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("who", ["clara", "li", "ines", "sam"])
def test_only_officers_and_chiefs_record_visits(persona, world, who):
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=getattr(persona, who), data=visit_input(household=world.a1[0].pk))
    assert Visit.objects.count() == 0
