"""`GET /api/v1/indicators/`: every indicator of a unit (or an officer) for a period, from the same
`jingmin.metrics.compute` as the pages and the exports, scoped like every other read."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jingmin.api import serializers as s
from jingmin.api.views import StaffAPIView, _user
from jingmin.core.errors import ServiceError
from jingmin.metrics import selectors
from jingmin.metrics.codes import ErrorCode
from jingmin.metrics.compute import figures
from jingmin.metrics.periods import parse_period
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable name of the indicator (docs/indicators.md).")
    label = serializers.CharField(help_text="Its name in the person's language.")  # type: ignore[assignment]
    unit_of_measure = serializers.ChoiceField(choices=["percent", "count", "average", "score"])
    numerator = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=False)
    small_number = serializers.BooleanField(help_text="The figure stands on fewer than 20 cases.")
    per_1000_residents = serializers.DecimalField(
        max_digits=14, decimal_places=1, allow_null=True, coerce_to_string=False
    )
    settings_version = serializers.IntegerField()
    formula = serializers.CharField()


class IndicatorsAnswerSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    officer = serializers.IntegerField(allow_null=True)
    settings_version = serializers.IntegerField()
    indicators = IndicatorSerializer(many=True)


# "from" is a Python keyword: the two dates are declared by name.
IndicatorsAnswerSerializer._declared_fields["from"] = serializers.DateField()
IndicatorsAnswerSerializer._declared_fields["to"] = serializers.DateField()


class CanViewIndicators(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can(request.user, Cap.METRICS_VIEW)


def _id(value: str | None, field: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise ServiceError(_("Give a number."), code=ErrorCode.UNKNOWN_UNIT, field=field)
    return int(value)


class IndicatorsView(StaffAPIView):
    permission_classes = [IsAuthenticated, CanViewIndicators]

    @extend_schema(
        operation_id="indicators_list",
        summary="Indicators of a unit or an officer for a period",
        description=(
            "Every registered indicator with its numerator, denominator, value, the settings version it "
            "was computed with and the small-number flag (fewer than 20 cases). Without `from` and `to`, "
            "this calendar month. The unit defaults to the person's own; a unit outside their scope is 404."
        ),
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="A unit id in the person's scope."),
            OpenApiParameter("officer", OpenApiTypes.INT, description="An officer's id: their own figures."),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day, YYYY-MM-DD (Asia/Shanghai)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, YYYY-MM-DD, inclusive."),
        ],
        responses={
            200: IndicatorsAnswerSerializer,
            400: OpenApiResponse(s.ErrorSerializer, description="A wrong period or id; `field` names it."),
            403: OpenApiResponse(s.ErrorSerializer, description="The role may not read indicators."),
            404: OpenApiResponse(
                s.ErrorSerializer, description="No such unit or officer in the person's scope."
            ),
        },
        tags=["indicators"],
    )
    def get(self, request: Request) -> Response:
        actor = _user(request)
        q = request.query_params
        unit = selectors.metrics_unit(actor=actor, unit_id=_id(q.get("unit"), "unit"))
        officer_id = _id(q.get("officer"), "officer")
        officer = selectors.officer_get(actor=actor, pk=officer_id) if officer_id is not None else None
        if officer is not None:
            unit = officer.unit
        period = parse_period(start=q.get("from", ""), end=q.get("to", ""))
        found = figures(scope=Scope.under(unit), period=period, officer_id=officer.pk if officer else None)
        version = found[0].settings.version if found else 0
        answer: dict[str, Any] = {
            "unit": unit.pk,
            "officer": officer.pk if officer else None,
            "from": period.start,
            "to": period.end,
            "settings_version": version,
            "indicators": [
                {
                    "key": f.key,
                    "label": str(f.indicator.label),
                    "unit_of_measure": str(f.indicator.unit),
                    "numerator": f.measure.numerator,
                    "denominator": f.measure.denominator,
                    "value": f.value,
                    "small_number": f.small,
                    "per_1000_residents": f.per_1000,
                    "settings_version": f.settings.version,
                    "formula": str(f.indicator.formula),
                }
                for f in found
            ],
        }
        return Response(IndicatorsAnswerSerializer(answer).data)
