"""Helpers of the evaluation tests: a survey of station A built through the builder."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from jingmin.evaluation import services
from jingmin.evaluation.services import QuestionInput, SurveyInput


def three_questions() -> list[QuestionInput]:
    return [
        QuestionInput(
            kind="scale", text="您对派出所的工作满意吗？", position=1, required=True, satisfaction=True
        ),
        QuestionInput(
            kind="multiple",
            text="您最关心哪些治安问题？",
            position=2,
            options=["电动车被盗", "电信诈骗", "噪音扰民"],
        ),
        QuestionInput(kind="text", text="您还有什么意见和建议？", position=3),
    ]


def survey_input(unit, **overrides) -> SurveyInput:
    values = {
        "unit": unit,
        "title": "2026年度群众安全感满意度调查",
        "closes_at": timezone.now() + timedelta(days=30),
        "intro": "匿名填写，约两分钟。",
        "questions": three_questions(),
    }
    values.update(overrides)
    return SurveyInput(**values)


def open_survey(persona, **overrides):
    survey = services.survey_create(actor=persona.chen, data=survey_input(persona.station_a, **overrides))
    return services.survey_step(actor=persona.chen, survey_id=survey.pk, step="publish")


def held_event(persona, *, unit=None, hours_ago: int = 2, title: str = "城关派出所开门评警座谈会"):
    """An event of station A that took place `hours_ago`, with its minutes."""
    from jingmin.evaluation.services import EventInput

    event = services.event_plan(
        actor=persona.chen,
        data=EventInput(
            unit=unit or persona.station_a,
            kind="open_door",
            title=title,
            place="东门社区服务中心",
            starts_at=timezone.now() - timedelta(hours=hours_ago),
            description="欢迎辖区群众参加。",
        ),
    )
    return services.event_hold(actor=persona.chen, event_id=event.pk, minutes="到会群众32人，提出意见5条。")
