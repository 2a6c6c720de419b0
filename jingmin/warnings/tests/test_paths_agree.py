"""The on-commit tasks and the nightly sweep reach the same signals, and a second run changes
nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jingmin.disputes import services as dispute_services
from jingmin.disputes.tests.conftest import register
from jingmin.visits import services as visit_services
from jingmin.visits.tests.conftest import visit_input
from jingmin.warnings.models import Signal
from jingmin.warnings.tests.conftest import appeal, snapshot, sweep

pytestmark = pytest.mark.django_db

EVERY_KIND = {
    "repeat_caller",
    "repeat_address",
    "risk_words",
    "dispute_overdue",
    "dispute_upgraded",
    "dispute_party",
    "spike",
    "hardship",
}


@pytest.fixture
def scenario(persona, ledger_a1, settings, django_capture_on_commit_callbacks, run_tasks):
    """One of each pattern, written through the services with the on-commit hooks running."""
    settings.WARNING_REPEAT_MIN = 3
    settings.WARNING_SPIKE_BASELINE_WINDOWS = 4
    settings.WARNING_SPIKE_MIN = 5
    person = ledger_a1["person"]
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            appeal(persona, address=f"各处{i}号")  # one caller, three times
        for i in range(3):
            appeal(persona, address="西门路1号", citizen_phone=f"1361111000{i}")  # one address
        appeal(
            persona, content="他扬言要拿刀砍人，还说要同归于尽。", citizen_phone="13522223333", address="北街"
        )
        for i in range(6):
            appeal(persona, citizen_phone=f"1340000{i:04d}", address=f"南街{i}")  # same category: a spike
        visit_services.visit_record(
            actor=persona.oliver,
            data=visit_input(
                household=ledger_a1["household"].pk,
                items=[visit_services.ItemInput(kind="hardship", text="老人患病，无人照料，生活困难")],
            ),
        )
        with time_machine.travel(timezone.now() - timedelta(days=12)):
            late = register(persona.oliver, persona.district_a1.pk, grade="red", title="久拖未决")
        dispute_services.dispute_mediate(
            actor=persona.oliver, dispute_id=late.pk, with_whom="双方", what="再次调解"
        )
        rising = register(persona.oliver, persona.district_a1.pk, grade="blue", title="升级")
        dispute_services.dispute_regrade(
            actor=persona.oliver, dispute_id=rising.pk, grade="orange", reason="矛盾激化"
        )
        for title in ("甲纠纷", "乙纠纷"):
            register(
                persona.oliver,
                persona.district_a1.pk,
                title=title,
                parties=[dispute_services.PartyInput(person=person.pk)],
            )
    run_tasks()


def test_every_kind_is_raised_by_the_on_commit_tasks(scenario):
    assert set(Signal.objects.values_list("kind", flat=True)) == EVERY_KIND


def test_the_sweep_alone_reaches_the_same_signals(scenario):
    by_tasks = snapshot()
    Signal.objects.all().delete()
    sweep()
    assert snapshot() == by_tasks


def test_the_sweep_after_the_tasks_changes_nothing(scenario):
    by_tasks = snapshot()
    result = sweep()
    assert snapshot() == by_tasks and not result.outcomes
