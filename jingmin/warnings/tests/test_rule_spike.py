"""A spike: one category in one police district well above its own baseline."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jingmin.warnings.models import Signal
from jingmin.warnings.tests.conftest import appeal, close, scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rule(settings):
    settings.WARNING_SPIKE_WINDOW_DAYS = 7
    settings.WARNING_SPIKE_BASELINE_WINDOWS = 4
    settings.WARNING_SPIKE_Z = 3
    settings.WARNING_SPIKE_MIN = 5


def _baseline(persona, per_window):
    """`per_window` appeals in each of the four weeks before this one."""
    now = timezone.now()
    for week in range(1, 5):
        for i in range(per_window):
            at = now - timedelta(days=7 * week + 1, hours=i)
            with time_machine.travel(at, tick=False):
                appeal(persona, citizen_phone=f"1390000{week}{i:03d}", address=f"基线{week}-{i}")


def _this_week(persona, n, start=0):
    made = [
        appeal(persona, citizen_phone=f"1370000{i:04d}", address=f"本周{i}") for i in range(start, start + n)
    ]
    for a in made:
        scan("appeal", a.pk)
    return made


def test_eight_this_week_against_one_a_week_is_a_spike(persona):
    # Baseline mean 1: the threshold is 1 + 3 × 1 = 4, and at least 5 are needed.
    _baseline(persona, 1)
    made = _this_week(persona, 8)
    signal = Signal.objects.get(kind="spike")
    assert signal.evidence.count() == 8 and signal.unit_id == persona.district_a1.pk
    assert {e.record_id for e in signal.evidence.all()} == {a.pk for a in made}


def test_just_below_the_threshold_is_not(persona):
    # Baseline mean 4: threshold 4 + 3 × 2 = 10; ten this week is not above it.
    _baseline(persona, 4)
    _this_week(persona, 10)
    assert not Signal.objects.filter(kind="spike").exists()


def test_one_more_is(persona):
    _baseline(persona, 4)
    _this_week(persona, 11)
    assert Signal.objects.filter(kind="spike").count() == 1


def test_each_appeal_adds_evidence_once_and_a_closed_spike_reopens_with_a_new_one(persona):
    _baseline(persona, 1)
    made = _this_week(persona, 6)
    for a in made:
        scan("appeal", a.pk)
    signal = Signal.objects.get(kind="spike")
    assert signal.evidence.count() == 6
    close(signal, persona)
    scan("appeal", made[0].pk)
    signal.refresh_from_db()
    assert signal.state == "closed"
    _this_week(persona, 1, start=50)
    signal.refresh_from_db()
    assert signal.state == "open" and signal.evidence.count() == 7
