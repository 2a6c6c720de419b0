"""The demo shows disputes of every state and grade, help and persuasion cases, and a signal of
each kind its planted patterns raise."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jingmin.cases.models import HelpCase, PersuasionCase
from jingmin.disputes.models import Dispute, Grade, State
from jingmin.warnings.models import Signal

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_grade_and_signal(_fast_hasher):
    call_command("seed_demo", "--seed", "7", "--appeals", "200")
    assert set(Dispute.objects.values_list("state", flat=True)) == set(State.values)
    assert set(Dispute.objects.values_list("grade", flat=True)) == set(Grade.values)
    assert HelpCase.objects.exists() and PersuasionCase.objects.exists()
    kinds = set(Signal.objects.values_list("kind", flat=True))
    assert {
        "repeat_caller",
        "repeat_address",
        "risk_words",
        "dispute_overdue",
        "dispute_upgraded",
        "dispute_party",
        "spike",
    } <= kinds
    numbers = list(Dispute.objects.order_by("number").values_list("number", "title"))
    assert len(numbers) == len(set(numbers))
