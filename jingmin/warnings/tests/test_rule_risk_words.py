"""Risk words in appeals, visit notes and disputes, by theme; the bureau's lists decide."""

from __future__ import annotations

import pytest

from jingmin.visits import services as visit_services
from jingmin.visits.tests.conftest import visit_input
from jingmin.warnings import services
from jingmin.warnings.models import Signal
from jingmin.warnings.tests.conftest import appeal, close, scan

pytestmark = pytest.mark.django_db


def test_an_appeal_with_risk_words_raises_a_signal_naming_its_themes(persona):
    a = appeal(persona, content="讨薪无果，他说要跟老板同归于尽。")
    scan("appeal", a.pk)
    signal = Signal.objects.get(kind="risk_words")
    assert signal.themes == ["revenge", "wages"] and signal.severity == "high"
    assert list(signal.evidence.values_list("record_type", "record_id")) == [("appeal", a.pk)]


def test_a_negated_word_raises_nothing(persona):
    scan("appeal", appeal(persona, content="双方只是口角，没有打架。").pk)
    assert not Signal.objects.exists()


def test_the_same_appeal_scanned_again_raises_nothing_twice(persona):
    a = appeal(persona, content="邻居扬言要放火。")
    scan("appeal", a.pk)
    scan("appeal", a.pk)
    assert Signal.objects.count() == 1 and Signal.objects.get().evidence.count() == 1


def test_a_new_appeal_of_the_same_caller_reopens_the_closed_signal(persona):
    scan("appeal", appeal(persona, content="邻居扬言要放火。").pk)
    signal = Signal.objects.get()
    close(signal, persona)
    second = appeal(persona, content="他又说要拿刀砍人。", address="别处")
    scan("appeal", second.pk)
    signal.refresh_from_db()
    assert (signal.state, signal.reopened) == ("open", 1)
    assert signal.themes == ["explosives", "violence"]


def test_a_visits_notes_and_news_are_read(persona, ledger_a1):
    visit, _ = visit_services.visit_record(
        actor=persona.oliver,
        data=visit_input(
            household=ledger_a1["household"].pk,
            summary="入户走访。",
            items=[visit_services.ItemInput(kind="dispute", text="妻子反映长期被丈夫打，要求处理。")],
        ),
    )
    scan("visit", visit.pk)
    signal = Signal.objects.get(kind="risk_words")
    assert signal.themes == ["domestic"] and signal.assignee_id == persona.oliver.pk


def test_a_word_the_bureau_adds_is_matched_and_one_it_removes_is_not(persona):
    services.risk_word_add(actor=persona.sam, theme="gathering", word="讨个说法")
    scan("appeal", appeal(persona, content="我们几十户明天一起去讨个说法。").pk)
    assert Signal.objects.filter(kind="risk_words").count() == 1
    from jingmin.warnings.models import RiskWord

    services.risk_word_remove(actor=persona.sam, word_id=RiskWord.objects.get(word="讨个说法").pk)
    scan("appeal", appeal(persona, content="我们要讨个说法。", citizen_phone="13900002222").pk)
    assert Signal.objects.filter(kind="risk_words").count() == 1
