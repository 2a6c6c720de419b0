"""Early-warning fixtures: appeals, visits and disputes made through the services, and a
snapshot of the signals to compare the on-commit path with the sweep."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jingmin.appeals import services as appeal_services
from jingmin.appeals.models import Appeal
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.ledger.tests.conftest import ledger_a1  # noqa: F401 (a fixture the tests use)
from jingmin.warnings import services, words
from jingmin.warnings.models import Signal


@pytest.fixture(autouse=True)
def _fresh_words():
    words.forget()
    yield
    words.forget()


def appeal(persona: Any, **overrides: Any) -> Appeal:
    overrides.setdefault("district", persona.district_a1)
    made, _created = appeal_services.appeal_register(actor=persona.clara, data=appeal_input(**overrides))
    return made


def scan(record_type: str, pk: int) -> int:
    return services.signals_scan_record(record_type=record_type, record_id=pk, now=timezone.now())


def sweep() -> Any:
    return services.signals_sweep(now=timezone.now())


def snapshot() -> list[tuple[Any, ...]]:
    """What the signals say, without their ids and times."""
    return sorted(
        (
            s.kind,
            s.key,
            s.state,
            s.severity,
            tuple(sorted(s.themes)),
            tuple(sorted(s.evidence.values_list("record_type", "record_id", "mark"))),
        )
        for s in Signal.objects.all()
    )


def close(signal: Signal, persona: Any) -> None:
    services.signal_step(actor=persona.chen, signal_id=signal.pk, step="close", note="已核实处置")
