"""A settings change rebuilds the roll-ups once it is committed (a task for the worker), and a
past period still reads its own version through them: the station's March under a 10-day repeat
window dated from 20 March, and 1–19 March under the 30 days in force before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jingmin.metrics import rollup
from jingmin.metrics.compute import figures
from jingmin.metrics.models import RollupState, Tally
from jingmin.metrics.registry import Period
from jingmin.metrics.services import settings_change
from jingmin.metrics.tasks import metrics_rollup_rebuild
from jingmin.metrics.tests.conftest import MARCH, build_station
from jingmin.org.scope import Scope

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def counted(scope, period, *, fresh=False):
    return {
        f.key: (f.measure.numerator, f.measure.denominator, f.settings.version)
        for f in figures(scope=scope, period=period, fresh=fresh)
    }


def test_a_settings_change_rebuilds_and_each_period_keeps_its_version(
    persona, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    build_station(persona)
    rollup.rebuild()
    first_build = RollupState.objects.get().built_at
    assert first_build is not None
    assert set(Tally.objects.filter(kind="repeat").values_list("part", flat=True)) == {"30"}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        settings_change(
            actor=persona.li,
            effective_from=dt.date(2026, 3, 20),
            k=Decimal("1"),
            weights={"response": 30, "resolution": 35, "satisfaction": 35},
            excludes=["merged", "rejected", "pending_review", "unreasonable"],
            repeat_window_days=10,
            note="重复诉求按10日计",
        )
    assert [c for c in callbacks if getattr(c, "__self__", None) is metrics_rollup_rebuild]
    # Rebuilt: each repeat counted under both windows of the history.
    rebuilt = RollupState.objects.get().built_at
    assert rebuilt is not None and rebuilt > first_build
    assert set(Tally.objects.filter(kind="repeat").values_list("part", flat=True)) == {"10", "30"}

    scope = Scope.under(persona.station_a)
    march = counted(scope, MARCH)
    # Version 1 from 20 March: a7 (5 days after a2) is still a repeat, a3 (18 days after a10) no
    # longer; k = 1: a1 a7 + 1 × (a3 a10) over five answers.
    assert march["repeat"] == (1, 7, 1)
    assert march["satisfaction"] == (4, 5, 1)
    early = counted(scope, Period(dt.date(2026, 3, 1), dt.date(2026, 3, 19)))
    # Before 20 March the defaults (version 0): 30 days; a8 (31 March) is not in it.
    assert early["repeat"] == (2, 6, 0)
    # Through the roll-ups or afresh from the records, the same.
    assert march == counted(scope, MARCH, fresh=True)
    assert early == counted(scope, Period(dt.date(2026, 3, 1), dt.date(2026, 3, 19)), fresh=True)


def test_no_rebuild_is_queued_while_the_rollups_are_not_in_use(persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        settings_change(
            actor=persona.li,
            effective_from=dt.date(2026, 3, 1),
            k=Decimal("0.5"),
            weights={"response": 100},
            excludes=[],
        )
    assert not [c for c in callbacks if getattr(c, "__self__", None) is metrics_rollup_rebuild]
    assert not rollup.ready()
