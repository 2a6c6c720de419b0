"""Repeats: several appeals from one caller (keyed phone hash) or one address within the window."""

from __future__ import annotations

import pytest

from jingmin.warnings.models import Signal
from jingmin.warnings.tests.conftest import appeal, close, scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three(settings):
    settings.WARNING_REPEAT_MIN = 3
    settings.WARNING_REPEAT_DAYS = 30


def _calls(persona, n, **overrides):
    made = [appeal(persona, address=f"不同地址{i}号", **overrides) for i in range(n)]
    for a in made:
        scan("appeal", a.pk)
    return made


def test_three_appeals_from_one_phone_raise_one_signal_with_all_three(persona):
    made = _calls(persona, 3)
    signal = Signal.objects.get(kind="repeat_caller")
    assert sorted(signal.evidence.values_list("record_id", flat=True)) == sorted(a.pk for a in made)
    assert signal.unit_id == persona.district_a1.pk


def test_two_are_not_a_repeat(persona):
    _calls(persona, 2)
    assert not Signal.objects.filter(kind="repeat_caller").exists()


def test_appeals_older_than_the_window_do_not_count(persona, settings):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(days=29)
    appeal(persona, address="甲", received_at=old)
    settings.WARNING_REPEAT_DAYS = 28
    for a in [appeal(persona, address="乙"), appeal(persona, address="丙")]:
        scan("appeal", a.pk)
    assert not Signal.objects.filter(kind="repeat_caller").exists()


def test_scanning_again_raises_nothing_twice(persona):
    made = _calls(persona, 3)
    for a in made:
        assert scan("appeal", a.pk) == 0
    assert Signal.objects.filter(kind="repeat_caller").count() == 1
    assert Signal.objects.get(kind="repeat_caller").events.count() == 1


def test_a_closed_signal_is_reopened_by_a_new_appeal_and_only_then(persona):
    made = _calls(persona, 3)
    signal = Signal.objects.get(kind="repeat_caller")
    close(signal, persona)
    scan("appeal", made[0].pk)
    signal.refresh_from_db()
    assert signal.state == "closed"
    fourth = appeal(persona, address="第四处")
    scan("appeal", fourth.pk)
    signal.refresh_from_db()
    assert (signal.state, signal.reopened) == ("open", 1)
    assert signal.evidence.filter(record_id=fourth.pk).exists()
    assert Signal.objects.filter(kind="repeat_caller").count() == 1


def test_three_appeals_from_one_address_raise_an_address_signal(persona):
    made = [appeal(persona, address="东门路8号", citizen_phone=f"1381234567{i}") for i in range(3)]
    for a in made:
        scan("appeal", a.pk)
    assert Signal.objects.filter(kind="repeat_address").count() == 1
    assert not Signal.objects.filter(kind="repeat_caller").exists()
    # The key holds a digest of the address, never the address itself.
    assert "东门" not in Signal.objects.get(kind="repeat_address").key


def test_two_appeals_from_one_address_are_not_a_repeat(persona):
    for i in range(2):
        scan("appeal", appeal(persona, address="东门路8号", citizen_phone=f"1381234567{i}").pk)
    assert not Signal.objects.filter(kind="repeat_address").exists()
