"""The staff API of surveys (问卷): the surveys of the person's scope, and the results of one.

Read only. Results are counts, never a sheet: per question the count per option, or the
distribution of the levels 1–5 (and their mean); written answers stay on the pages and in the
Excel export.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jingmin.api.serializers import ErrorSerializer
from jingmin.api.views import StaffAPIView, _user
from jingmin.evaluation.models import CHOICE_KINDS, QuestionKind, Survey
from jingmin.evaluation.selectors import QuestionResult, survey_get, survey_list, survey_results
from jingmin.org.roles import Cap, can

LIST_LIMIT = 500


class CanViewEvaluation(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can(request.user, Cap.EVALUATION_VIEW)


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.SerializerMethodField()
    state = serializers.CharField(help_text="draft, open, closed or archived")
    closes_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    responses = serializers.IntegerField(source="answers", help_text="Number of answer sheets.")

    def get_unit(self, obj: Survey) -> dict[str, Any]:
        return {"id": obj.unit_id, "name": obj.unit.name}


class OptionCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    count = serializers.IntegerField()


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField(help_text="single, multiple, scale or text")
    text = serializers.CharField()
    # Popped from the class by the serializer's metaclass, so it does not shadow `Field.required`.
    required = serializers.BooleanField()  # type: ignore[assignment]
    satisfaction = serializers.BooleanField(
        help_text="A 1–5 question whose answers feed the satisfaction figures."
    )
    answered = serializers.IntegerField(help_text="Sheets that answered this question.")
    options = OptionCountSerializer(
        many=True, required=False, help_text="Choice questions: count per option."
    )
    distribution = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text='Scale questions: count per level, "1" to "5".',
    )
    mean = serializers.FloatField(required=False, allow_null=True)


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    responses = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


def _question(result: QuestionResult) -> dict[str, Any]:
    q = result.question
    row: dict[str, Any] = {
        "id": q.pk,
        "position": q.position,
        "kind": q.kind,
        "text": q.text,
        "required": q.required,
        "satisfaction": q.satisfaction,
        "answered": result.answered,
    }
    if q.kind in CHOICE_KINDS:
        row["options"] = [
            {"id": option.pk, "text": option.text, "count": count}
            for option, (_label, count) in zip(q.options.all(), result.counts, strict=True)
        ]
    elif q.kind == QuestionKind.SCALE:
        row["distribution"] = dict(result.counts)
        row["mean"] = result.mean
    return row


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {403: "The role may not see surveys.", 404: "No such survey in the person's scope."}
    return {code: OpenApiResponse(ErrorSerializer, description=described[code]) for code in codes}


class SurveyListView(StaffAPIView):
    permission_classes = [IsAuthenticated, CanViewEvaluation]

    @extend_schema(
        operation_id="surveys_list",
        summary="Surveys in the person's scope",
        description=f"Newest first, at most {LIST_LIMIT}; with the number of answer sheets of each.",
        responses={200: SurveySerializer(many=True), **_errors(403)},
        tags=["surveys"],
    )
    def get(self, request: Request) -> Response:
        rows = survey_list(actor=_user(request))[:LIST_LIMIT]
        return Response(SurveySerializer(rows, many=True).data)


class SurveyResultsView(StaffAPIView):
    permission_classes = [IsAuthenticated, CanViewEvaluation]

    @extend_schema(
        operation_id="surveys_results",
        summary="Results of a survey",
        description=(
            "The number of answer sheets and, per question in order, how many answered it and the "
            "count per option (choice questions) or per level 1–5 with the mean (scale questions). "
            "Written answers are not included."
        ),
        responses={200: SurveyResultsSerializer, **_errors(403, 404)},
        tags=["surveys"],
    )
    def get(self, request: Request, pk: int) -> Response:
        survey = survey_get(actor=_user(request), pk=pk)
        results = survey_results(survey=survey)
        return Response(
            {
                "survey": survey.pk,
                "responses": results.responses,
                "questions": [_question(r) for r in results.questions],
            }
        )
