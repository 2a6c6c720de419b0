"""Recording visits of every kind the GUIDE names, with who, when, where, whom, the family's news,
photos, and the event and audit rows each recording leaves."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingmin.audit.models import AuditEntry
from jingmin.visits import services
from jingmin.visits.models import EventAction, Visit, VisitEvent, VisitItem, VisitKind, VisitPhoto
from jingmin.visits.tests.conftest import visit_input

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize("kind", VisitKind.values)
def test_oliver_records_each_kind_of_visit_to_a_household(persona, world, record, kind):
    visit = record(kind=kind, household=world.a1[0].pk)
    assert visit.kind == kind
    assert visit.officer == persona.oliver and visit.unit == persona.district_a1
    assert visit.district == persona.district_a1 and visit.district_path == persona.district_a1.path
    assert visit.household == world.a1[0]
    assert abs(visit.visited_at - timezone.now()) < timedelta(seconds=5)
    event = VisitEvent.objects.get(visit=visit)
    assert event.action == EventAction.RECORD and event.actor == persona.oliver
    audit = AuditEntry.objects.filter(action="visits.visit_record", target_id=str(visit.pk)).get()
    assert audit.actor_username == "oliver"
    assert "王" not in audit.target_repr  # no names in the audit log's text


def test_a_visit_may_concern_a_person_or_an_organisation_and_takes_their_district(persona, world, record):
    at_shop = record(kind="meeting", organisation=world.shop_a1.pk)
    assert at_shop.organisation == world.shop_a1 and at_shop.district == persona.district_a1
    to_person = record(kind="help", person=world.newborn_mother.pk)
    assert to_person.person == world.newborn_mother and to_person.household is None


def test_who_when_where_and_the_familys_news_are_kept(persona, world):
    earlier = timezone.now() - timedelta(hours=5)
    data = visit_input(
        household=world.a1[0].pk,
        visited_at=earlier,
        latitude="31.230100",
        longitude="121.470100",
        accuracy="12.4",
        items=[
            services.ItemInput(kind="birth", text="添了一个女儿", person=world.newborn_mother.pk),
            services.ItemInput(kind="hardship", text="丈夫失业，家庭收入下降"),
        ],
    )
    visit, created = services.visit_record(actor=persona.oliver, data=data)
    assert created
    visit.refresh_from_db()
    assert visit.visited_at == earlier
    assert (visit.latitude, visit.longitude, visit.accuracy) == (
        Decimal("31.230100"),
        Decimal("121.470100"),
        12,
    )
    items = list(VisitItem.objects.filter(visit=visit).order_by("id"))
    assert [(i.kind, i.text) for i in items] == [
        ("birth", "添了一个女儿"),
        ("hardship", "丈夫失业，家庭收入下降"),
    ]
    assert items[0].person == world.newborn_mother


def test_photos_are_stored_under_random_names(persona, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("门口.png", PNG, content_type="image/png")
    visit, _ = services.visit_record(
        actor=persona.oliver, data=visit_input(household=world.a1[1].pk), photos=[photo]
    )
    stored = VisitPhoto.objects.get(visit=visit)
    assert stored.original_name == "门口.png" and stored.content_type == "image/png"
    assert "门口" not in stored.file.name and stored.file.name.startswith("visits/")
    assert (tmp_path / stored.file.name).read_bytes() == PNG


def test_the_same_form_sent_twice_records_one_visit(persona, world):
    data = visit_input(household=world.a1[0].pk)
    first, created = services.visit_record(actor=persona.oliver, data=data, submission_key="k-1")
    again, created_again = services.visit_record(actor=persona.oliver, data=data, submission_key="k-1")
    assert created and not created_again and again.pk == first.pk
    assert Visit.objects.count() == 1


def test_the_chief_records_visits_too(persona, world, record):
    visit = record(actor=persona.chen, household=world.a2[0].pk)
    assert visit.officer == persona.chen and visit.district == persona.district_a2
