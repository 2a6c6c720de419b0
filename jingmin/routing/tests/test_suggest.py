"""What the intake form is told while Clara types: the category and the handling unit with their
confidence, nothing below the floor, nothing that is retired, and nothing without a model."""

from __future__ import annotations

import math

import pytest

from jingmin.appeals.models import Category
from jingmin.routing.suggest import suggestion_for

NOISE = ("楼上邻居深夜装修噪音扰民", "我住在西门花园5栋，每天晚上11点以后还在敲打，吵得睡不着。")
FRAUD = ("接到冒充公检法的诈骗电话", "对方让我把钱转到安全账户，我已经转了两万元。")


def test_the_category_and_the_unit_are_suggested_with_their_confidence(persona, active_model):
    s = suggestion_for(actor=persona.clara, title=NOISE[0], content=NOISE[1], district=persona.district_a2)
    assert s is not None and s.model_id == active_model.pk and s.version == 1
    assert s.category is not None and s.category.code == "order-noise"
    assert s.unit == persona.district_a2
    assert s.category_confidence is not None and 0.5 <= s.category_confidence <= 1
    assert s.unit_confidence is not None and 0.5 <= s.unit_confidence <= 1

    fraud = suggestion_for(
        actor=persona.clara, title=FRAUD[0], content=FRAUD[1], district=persona.district_a1
    )
    assert fraud is not None and fraud.category is not None and fraud.category.code == "fraud-telecom"
    assert fraud.unit is not None and fraud.unit.code == "TD02"


def test_the_own_district_is_suggested_only_when_the_form_names_one(persona, active_model):
    s = suggestion_for(actor=persona.clara, title=NOISE[0], content=NOISE[1], floor=0.0)
    assert s is not None and s.category is not None and s.unit is None


def test_nothing_is_suggested_below_the_confidence_floor(persona, active_model, settings):
    s = suggestion_for(actor=persona.clara, title=NOISE[0], content=NOISE[1], district=persona.district_a2)
    assert s is not None and s.category_confidence is not None and s.unit_confidence is not None
    at = suggestion_for(actor=persona.clara, title=NOISE[0], content=NOISE[1], floor=s.category_confidence)
    assert at is not None and at.category is not None, "a confidence equal to the floor is shown"
    above = math.nextafter(max(s.category_confidence, s.unit_confidence), 2.0)
    settings.ROUTING_MIN_CONFIDENCE = above
    hidden = suggestion_for(
        actor=persona.clara, title=NOISE[0], content=NOISE[1], district=persona.district_a2
    )
    assert hidden is not None and hidden.category is None and hidden.category_confidence is None
    assert hidden.unit is None and hidden.unit_confidence is None
    # A floor passed in wins over the setting.
    again = suggestion_for(actor=persona.clara, title=NOISE[0], content=NOISE[1], floor=0.0)
    assert again is not None and again.category is not None


def test_words_about_nothing_it_knows_are_less_sure(persona, active_model):
    known = suggestion_for(actor=persona.clara, title=NOISE[0], content=NOISE[1], floor=0.0)
    unknown = suggestion_for(
        actor=persona.clara, title="咨询一下办事时间", content="请问周六上午开门吗", floor=0.0
    )
    assert known is not None and unknown is not None
    assert known.category_confidence is not None and unknown.category_confidence is not None
    assert unknown.category_confidence < known.category_confidence


def test_a_retired_category_is_never_suggested(persona, active_model):
    Category.objects.filter(code="order-noise").update(is_active=False)
    s = suggestion_for(actor=persona.clara, title=NOISE[0], content=NOISE[1], floor=0.0)
    assert s is not None and s.category is None


def test_a_closed_unit_is_never_suggested(persona, active_model):
    type(persona.district_a2).objects.filter(pk=persona.district_a2.pk).update(is_active=False)
    persona.district_a2.refresh_from_db()
    s = suggestion_for(
        actor=persona.clara, title=NOISE[0], content=NOISE[1], district=persona.district_a2, floor=0.0
    )
    assert s is not None and s.unit != persona.district_a2


@pytest.mark.parametrize("title, content", [("", ""), ("噪音", "")])
def test_too_few_words_suggest_nothing(persona, active_model, title, content):
    assert suggestion_for(actor=persona.clara, title=title, content=content) is None


def test_without_an_active_model_nothing_is_suggested(persona, stored):
    stored(activate=False)
    assert suggestion_for(actor=persona.clara, title=NOISE[0], content=NOISE[1]) is None
