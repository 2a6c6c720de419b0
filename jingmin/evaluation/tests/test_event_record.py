"""An event's record: attendance by kind, names only with consent, files checked like an appeal's
attachments, and ratings of the station and of named officers that join the rating store."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.evaluation import services
from jingmin.evaluation.codes import RatingSource
from jingmin.evaluation.models import EventAttendance, EventAttendee, EventFile, EventRating
from jingmin.evaluation.selectors import event_rating_summary, rating_rows
from jingmin.evaluation.services import NamedAttendee
from jingmin.evaluation.tests.conftest import held_event

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_attendance_counts_and_names_only_with_consent(persona):
    event = held_event(persona)
    with pytest.raises(ServiceError) as info:
        services.event_attendance_record(
            actor=persona.chen,
            event_id=event.pk,
            counts={"resident": 30},
            named=[NamedAttendee(name="王建国", kind="representative", consent=False)],
        )
    assert info.value.code == CommonError.CONSENT_REQUIRED
    assert not EventAttendance.objects.exists()
    services.event_attendance_record(
        actor=persona.chen,
        event_id=event.pk,
        counts={"resident": 30, "representative": 2},
        named=[NamedAttendee(name="王建国", kind="representative", consent=True)],
    )
    services.event_attendance_record(actor=persona.chen, event_id=event.pk, counts={"resident": 32})
    assert dict(EventAttendance.objects.values_list("kind", "count")) == {"resident": 32, "representative": 2}
    assert list(EventAttendee.objects.values_list("name", flat=True)) == ["王建国"]


def test_files_are_checked_by_their_bytes(persona):
    event = held_event(persona)
    with pytest.raises(ServiceError) as info:
        services.event_file_add(
            actor=persona.chen, event_id=event.pk, files=[SimpleUploadedFile("纪要.png", b"not a png")]
        )
    assert info.value.field == "files"
    [row] = services.event_file_add(
        actor=persona.chen, event_id=event.pk, files=[SimpleUploadedFile("签到表.png", PNG)]
    )
    assert row.content_type == "image/png" and EventFile.objects.count() == 1


def test_ratings_of_the_station_and_an_officer_join_the_rating_store(persona):
    event = held_event(persona)
    services.event_rate(actor=persona.chen, event_id=event.pk, officer=None, levels={5: 3, 4: 1, 2: 1})
    services.event_rate(actor=persona.chen, event_id=event.pk, officer=persona.oliver, levels={5: 2})
    with pytest.raises(ServiceError):
        services.event_rate(actor=persona.chen, event_id=event.pk, officer=persona.olga, levels={5: 1})
    assert EventRating.objects.count() == 7
    station, oliver = event_rating_summary(event=event)
    assert station.officer is None and station.total == 5 and station.counts[0] == (5, 3)
    assert oliver.officer == persona.oliver and oliver.total == 2
    rows = rating_rows(actor=persona.li)
    assert {r.source for r in rows} == {RatingSource.EVENT}
    assert sorted(r.level for r in rows if r.officer_id == persona.oliver.pk) == [5, 5]
    assert all(r.unit_path == persona.station_a.path for r in rows)
    assert rating_rows(actor=persona.olga) == []
