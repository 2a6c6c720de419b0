"""Dispute fixtures: a dispute input for district A1 with one party by hand."""

from __future__ import annotations

from typing import Any

from jingmin.disputes import services
from jingmin.disputes.models import Dispute
from jingmin.ledger.tests.conftest import ledger_a1  # noqa: F401 (a fixture the tests use)
from jingmin.org.models import User


def dispute_input(district: int, **overrides: Any) -> services.DisputeInput:
    fields: dict[str, Any] = {
        "title": "楼上漏水引发邻里纠纷",
        "description": "602室漏水至502室，双方因维修费用发生争执。",
        "place": "东门路8号6单元",
        "district": district,
        "type": "neighbours",
        "grade": "yellow",
        "people_involved": 4,
        "amount_involved": "3000",
        "parties": [
            services.PartyInput(name="王五", role="applicant", phone="13912345678"),
            services.PartyInput(name="赵六", role="respondent"),
        ],
    }
    fields.update(overrides)
    return services.DisputeInput(**fields)


def register(actor: User, district: int, **overrides: Any) -> Dispute:
    dispute, _created = services.dispute_register(actor=actor, data=dispute_input(district, **overrides))
    return dispute
