"""An appeal's answer, written out by hand for speed, is exactly what its declared fields give.

`AppealSerializer.to_representation` builds the dictionary itself instead of letting DRF build and
walk 35 fields per appeal. These tests hold it to DRF's own rendering of the same declared fields,
for appeals in every kind of state, with and without a handler, coordinates, a district, assisting
units, a merge, a result, an anonymous citizen, and for each persona who reads them.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory
from rest_framework.utils.encoders import JSONEncoder

from jingmin.api.serializers import AppealSerializer
from jingmin.appeals import services
from jingmin.appeals.models import Appeal, State


def as_read(appeal: Appeal, user, *, registered: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    request = APIRequestFactory().get("/api/v1/appeals/")
    request.user = user
    serializer = AppealSerializer(appeal, context={"request": request, "registered": registered})
    by_hand = serializer.data
    # What DRF's own Serializer.to_representation gives with the fields declared above.
    by_fields = serializers.ModelSerializer.to_representation(serializer, appeal)

    def encoded(data: Any) -> dict[str, Any]:
        return json.loads(json.dumps(data, cls=JSONEncoder))

    return encoded(by_hand), encoded(by_fields)


def test_every_state_reads_the_same_by_hand_and_by_the_declared_fields(persona, register, walk):
    appeals = [walk(register(), state) for state in (State.SUBMITTED, State.SIGNED, State.CONCLUDED)]
    appeals.append(walk(register(), State.MERGED))
    appeals.append(walk(register(), State.REJECTED))
    for appeal in appeals:
        fresh = Appeal.objects.get(pk=appeal.pk)
        for reader in (persona.clara, persona.oliver, persona.chen, persona.li):
            by_hand, by_fields = as_read(fresh, reader)
            assert by_hand == by_fields, (fresh.state, reader.username)
            assert list(by_hand) == list(by_fields)  # the same keys, in the same order


def test_coordinates_a_district_assists_and_an_anonymous_citizen_read_the_same(persona, register):
    anonymous = register(anonymous=True, citizen_name="", citizen_phone="")
    placed = register(
        latitude=Decimal("30.274123"),
        longitude=Decimal("120.155100"),
        district=persona.district_a1,
        received_at=timezone.now() - timedelta(days=20),
    )
    services.appeal_accept(actor=persona.clara, appeal_id=placed.pk)
    services.appeal_dispatch(
        actor=persona.clara, appeal_id=placed.pk, unit=persona.district_a1, assist_units=[persona.district_a2]
    )
    for appeal in (anonymous, placed):
        by_hand, by_fields = as_read(Appeal.objects.get(pk=appeal.pk), persona.clara)
        assert by_hand == by_fields
    by_hand, _ = as_read(Appeal.objects.get(pk=placed.pk), persona.clara)
    assert by_hand["assist_units"] == [persona.district_a2.pk]
    assert by_hand["latitude"] == 30.274123


def test_a_new_appeal_answered_as_the_service_left_it_reads_the_same(persona, register):
    appeal = register()
    by_hand, by_fields = as_read(appeal, persona.clara, registered=True)
    assert by_hand == by_fields
    assert by_hand["assist_units"] == []
