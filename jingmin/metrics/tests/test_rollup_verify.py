"""`metrics_rollup --verify` compares every figure of every unit, month by month, through the
roll-ups and counted afresh: it passes on the hand-made station, and a count planted in the
roll-ups makes it print the figure that differs and fail."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from jingmin.metrics import rollup
from jingmin.metrics.models import Tally
from jingmin.metrics.tests.conftest import build_station

RANGE = ("--from", "2026-02-01", "--to", "2026-03-31")


def test_verify_passes_then_fails_on_a_planted_count(persona):
    build_station(persona)
    out = StringIO()
    call_command("metrics_rollup", "--rebuild", stdout=out)
    assert "roll-ups rebuilt in" in out.getvalue()
    out = StringIO()
    call_command("metrics_rollup", "--verify", *RANGE, stdout=out)
    assert "2 months checked: the roll-ups match the records" in out.getvalue()

    # One more appeal received in March in police district A1, in the month row only.
    planted = Tally.objects.filter(
        kind="appeals",
        grain=rollup.MONTH,
        day=dt.date(2026, 3, 1),
        unit_path=persona.district_a1.path,
        excluded_by="",
    )
    counted = planted.get().n
    assert planted.update(n=F("n") + 1) == 1
    out = StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("metrics_rollup", "--verify", *RANGE, stdout=out)
    lines = out.getvalue().splitlines()
    district = f"2026-03 {persona.district_a1.name} ({persona.district_a1.path})"
    assert f"{district} appeals: roll-up {counted + 1}/None, records {counted}/None" in lines
    # The station, branch and bureau above it differ too; February and district A2 do not.
    assert any(
        line.startswith(f"2026-03 {persona.station_a.name} ") and " appeals:" in line for line in lines
    )
    assert not any(line.startswith("2026-02") or persona.district_a2.name in line for line in lines)


def test_verify_refuses_before_the_rollups_are_built(persona):
    with pytest.raises(CommandError, match="not built"):
        call_command("metrics_rollup", "--verify", *RANGE, stdout=StringIO())
