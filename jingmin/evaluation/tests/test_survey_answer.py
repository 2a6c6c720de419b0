"""Answering a survey: required questions, answers only among those offered, nothing once closed."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from jingmin.core.errors import ServiceError
from jingmin.evaluation import services
from jingmin.evaluation.codes import ErrorCode
from jingmin.evaluation.models import Answer, Response, SurveyState
from jingmin.evaluation.tests.conftest import open_survey


def test_a_required_question_must_be_answered(persona):
    survey = open_survey(persona)
    scale, multiple, _text = survey.questions.order_by("position")
    with pytest.raises(ServiceError) as info:
        services.survey_answer(
            survey=survey, answers={multiple.pk: [multiple.options.first().pk]}, submission_key="a"
        )
    assert info.value.field == f"q{scale.pk}"
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_answer_not_offered_is_refused(persona):
    survey = open_survey(persona)
    scale, multiple, _text = survey.questions.order_by("position")
    for answers in ({scale.pk: 6}, {scale.pk: 4, multiple.pk: [999999]}):
        with pytest.raises(ServiceError):
            services.survey_answer(survey=survey, answers=answers, submission_key="b")
    assert not Response.objects.exists()


def test_no_answer_after_the_closing_time_or_once_closed(persona):
    survey = open_survey(persona, closes_at=timezone.now() + timedelta(days=1))
    scale = survey.questions.get(position=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        with pytest.raises(ServiceError) as info:
            services.survey_answer(survey=survey, answers={scale.pk: 5}, submission_key="late")
        assert info.value.code == ErrorCode.SURVEY_NOT_OPEN
        out = StringIO()
        call_command("evaluation_sweep", stdout=out)
        assert out.getvalue().strip() == "1 surveys closed"
    survey.refresh_from_db()
    assert survey.state == SurveyState.CLOSED
    assert not Response.objects.exists()
