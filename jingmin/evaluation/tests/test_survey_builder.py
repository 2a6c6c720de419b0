"""The survey builder refuses what cannot be answered, each time with its own message, and saves
nothing: no question, a choice without options, an option given twice, a closing date past."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import override

from jingmin.core.errors import ServiceError
from jingmin.evaluation import services
from jingmin.evaluation.codes import ErrorCode
from jingmin.evaluation.models import Option, Question, Survey, SurveyState
from jingmin.evaluation.services import QuestionInput
from jingmin.evaluation.tests.conftest import survey_input


def _refused(persona, **overrides) -> ServiceError:
    with override("zh-hans"), pytest.raises(ServiceError) as info:
        services.survey_create(actor=persona.chen, data=survey_input(persona.station_a, **overrides))
    assert not Survey.objects.exists() and not Question.objects.exists()
    return info.value


def test_a_survey_without_questions_is_refused(persona):
    error = _refused(persona, questions=[])
    assert error.code == ErrorCode.NO_QUESTION
    assert error.message == "问卷至少需要一个问题。"


def test_a_choice_without_options_is_refused(persona):
    error = _refused(
        persona, questions=[QuestionInput(kind="single", text="您常去哪个窗口？", options=[" "])]
    )
    assert error.code == ErrorCode.NO_OPTIONS and error.field == "q0_options"
    assert error.message == "第1题：请至少给出两个选项，每行一个。"


def test_a_duplicate_option_is_refused(persona):
    error = _refused(
        persona,
        questions=[
            QuestionInput(kind="scale", text="满意度", position=1),
            QuestionInput(
                kind="multiple", text="您关心什么？", position=2, options=["诈骗", "盗窃", "诈骗 "]
            ),
        ],
    )
    assert error.code == ErrorCode.DUPLICATE_OPTION and error.field == "q1_options"
    assert error.message == "第2题：选项“诈骗”重复了。"


def test_a_closing_date_in_the_past_is_refused(persona):
    error = _refused(persona, closes_at=timezone.now() - timedelta(hours=1))
    assert error.code == ErrorCode.CLOSING_IN_PAST and error.field == "closes_at"
    assert error.message == "截止时间已过，请选择以后的时间。"


def test_satisfaction_is_only_measured_by_a_scale(persona):
    error = _refused(persona, questions=[QuestionInput(kind="text", text="意见", satisfaction=True)])
    assert error.field == "q0_satisfaction"


def test_questions_are_saved_in_the_order_of_their_positions(persona):
    survey = services.survey_create(
        actor=persona.chen,
        data=survey_input(
            persona.district_a1,
            questions=[
                QuestionInput(kind="text", text="第三", position=30),
                QuestionInput(kind="single", text="第一", position=10, required=True, options=["是", "否"]),
                QuestionInput(kind="scale", text="第二", position=20),
            ],
        ),
    )
    assert survey.state == SurveyState.DRAFT and survey.unit_path == persona.district_a1.path
    assert list(survey.questions.values_list("position", "text", "required")) == [
        (1, "第一", True),
        (2, "第二", False),
        (3, "第三", False),
    ]
    assert list(Option.objects.filter(question__survey=survey).values_list("text", flat=True)) == ["是", "否"]


def test_only_a_manager_builds_and_only_for_a_unit_of_the_scope(persona):
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=persona.oliver, data=survey_input(persona.district_a1))
    with pytest.raises(ServiceError) as info:
        services.survey_create(actor=persona.chen, data=survey_input(persona.station_b))
    assert info.value.field == "unit"


def test_a_survey_with_answers_is_closed_and_archived_never_deleted(persona):
    survey = services.survey_create(actor=persona.chen, data=survey_input(persona.station_a))
    services.survey_step(actor=persona.chen, survey_id=survey.pk, step="publish")
    question = survey.questions.get(position=1)
    services.survey_answer(
        survey=Survey.objects.get(pk=survey.pk), answers={question.pk: 4}, submission_key="k1"
    )
    with pytest.raises(ServiceError) as info:
        services.survey_delete(actor=persona.chen, survey_id=survey.pk)
    assert info.value.code == ErrorCode.HAS_ANSWERS
    services.survey_step(actor=persona.chen, survey_id=survey.pk, step="close")
    archived = services.survey_step(actor=persona.chen, survey_id=survey.pk, step="archive")
    assert archived.state == SurveyState.ARCHIVED and Survey.objects.filter(pk=survey.pk).exists()


def test_a_draft_without_answers_can_be_deleted(persona):
    survey = services.survey_create(actor=persona.chen, data=survey_input(persona.station_a))
    services.survey_delete(actor=persona.chen, survey_id=survey.pk)
    assert not Survey.objects.exists()
