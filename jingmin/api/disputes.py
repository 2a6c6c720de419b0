"""The staff API of the dispute register and of early-warning signals, scoped like the pages.

`GET/POST /api/v1/disputes/`, `GET /api/v1/disputes/{id}/`, `POST /api/v1/disputes/{id}/{action}/`
and `GET /api/v1/signals/`. Reads go through the domains' selectors (a dispute outside the scope
is 404; reading one is audited, as on its page); writes through their services. The role is
checked before the body is read. The disputes' services run their own durable transactions and
take a step once per submission key, so `Idempotency-Key` is kept by `idempotent_durable`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jingmin.api.idempotency import idempotent_durable
from jingmin.api.serializers import ErrorSerializer
from jingmin.api.views import IDEMPOTENCY_PARAMETER, StaffAPIView, _user
from jingmin.disputes import rules as dispute_rules
from jingmin.disputes import selectors as disputes
from jingmin.disputes import services as dispute_services
from jingmin.disputes.models import Dispute, DisputeType, Grade, HandOverTo, PartyRole, Source, State
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require
from jingmin.warnings import selectors as warnings
from jingmin.warnings.codes import RecordType
from jingmin.warnings.models import Kind, Severity, Signal
from jingmin.warnings.models import State as SignalState


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {
        400: "Invalid input; `field` names the input at fault.",
        403: "The role may not do this.",
        404: "No such dispute in the person's scope.",
        409: "The step is not allowed from the dispute's current state.",
        422: "The Idempotency-Key was already used for a different request.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=described[code]) for code in codes}


class CanViewDisputes(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can(request.user, Cap.DISPUTE_VIEW)


class CanViewSignals(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can(request.user, Cap.SIGNAL_VIEW)


class DisputeAPIView(StaffAPIView):
    permission_classes = [IsAuthenticated, CanViewDisputes]


# ---------------------------------------------------------------------------------------------
# Shapes


class PartySerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    name = serializers.CharField()
    phone_masked = serializers.CharField()
    id_number_masked = serializers.CharField()
    person = serializers.IntegerField(source="person_id", allow_null=True)


class DisputeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField()
    district = serializers.IntegerField(source="district_id")
    type = serializers.ChoiceField(choices=DisputeType.choices)
    people_involved = serializers.IntegerField()
    amount_involved = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    grade = serializers.ChoiceField(choices=Grade.choices)
    deadline = serializers.DateTimeField()
    visit_due = serializers.DateField(allow_null=True)
    state = serializers.ChoiceField(choices=State.choices)
    officer = serializers.IntegerField(source="officer_id")
    handed_to_kind = serializers.CharField()
    handed_to = serializers.CharField()
    outcome = serializers.CharField()
    # A field of the record named "source", as DRF's own attribute is: the stubs do not tell them apart.
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    appeal = serializers.IntegerField(source="appeal_id", allow_null=True)
    visit_item = serializers.IntegerField(source="visit_item_id", allow_null=True)
    signal = serializers.IntegerField(source="signal_id", allow_null=True)
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class DisputeDetailSerializer(DisputeSerializer):
    parties = PartySerializer(many=True, source="parties.all")


class PartyInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices, default=PartyRole.APPLICANT)
    name = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(required=False, allow_blank=True, default="")
    person = serializers.IntegerField(required=False, allow_null=True, default=None)


class DisputeCreateSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    place = serializers.CharField()
    district = serializers.IntegerField()
    type = serializers.ChoiceField(choices=DisputeType.choices)
    grade = serializers.ChoiceField(choices=Grade.choices)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    people_involved = serializers.IntegerField(default=2)
    amount_involved = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    parties = PartyInputSerializer(many=True)
    source = serializers.ChoiceField(choices=Source.choices, default=Source.SCREENING)  # type: ignore[assignment]
    appeal = serializers.IntegerField(required=False, allow_null=True, default=None)
    visit_item = serializers.IntegerField(required=False, allow_null=True, default=None)
    signal = serializers.IntegerField(required=False, allow_null=True, default=None)

    def to_input(self) -> dispute_services.DisputeInput:
        d = self.validated_data
        return dispute_services.DisputeInput(
            title=d["title"],
            description=d["description"],
            place=d["place"],
            district=d["district"],
            type=d["type"],
            grade=d["grade"],
            occurred_at=d["occurred_at"],
            people_involved=d["people_involved"],
            amount_involved=d["amount_involved"],
            parties=[dispute_services.PartyInput(**p) for p in d["parties"]],
            source=d["source"],
            appeal=d["appeal"],
            visit_item=d["visit_item"],
            signal_id=d["signal"],
        )


class MediateSerializer(serializers.Serializer):
    with_whom = serializers.CharField()
    what = serializers.CharField()
    agreed = serializers.CharField(required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class VisitSerializer(serializers.Serializer):
    what = serializers.CharField()
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class RegradeSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices)
    reason = serializers.CharField()


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.CharField()


class HandOverSerializer(serializers.Serializer):
    to_kind = serializers.ChoiceField(choices=HandOverTo.choices)
    to = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ContainSerializer(serializers.Serializer):
    note = serializers.CharField()


STEP_INPUTS: dict[str, type[serializers.Serializer]] = {
    "mediate": MediateSerializer,
    "visit": VisitSerializer,
    "regrade": RegradeSerializer,
    "resolve": ResolveSerializer,
    "hand_over": HandOverSerializer,
    "contain": ContainSerializer,
}
assert set(STEP_INPUTS) == set(dispute_rules.API_ACTIONS)


class EvidenceSerializer(serializers.Serializer):
    record_type = serializers.ChoiceField(choices=[(t.value, t.value) for t in RecordType])
    record_id = serializers.IntegerField()
    mark = serializers.CharField()
    added_at = serializers.DateTimeField()


class SignalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    state = serializers.ChoiceField(choices=SignalState.choices)
    themes = serializers.ListField(child=serializers.CharField())
    unit = serializers.IntegerField(source="unit_id")
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)
    raised_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reopened = serializers.IntegerField()
    evidence = EvidenceSerializer(many=True, source="evidence.all")


class SignalQuerySerializer(serializers.Serializer):
    # `open` asks for every state but closed (a signal acknowledged or acted on is still open).
    state = serializers.ChoiceField(choices=SignalState.choices, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    unit = serializers.IntegerField(required=False)
    record_type = serializers.ChoiceField(choices=[(t.value, t.value) for t in RecordType], required=False)
    record_id = serializers.IntegerField(required=False)


class DisputeQuerySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False)
    type = serializers.ChoiceField(choices=DisputeType.choices, required=False)
    district = serializers.IntegerField(required=False)
    open = serializers.BooleanField(required=False, default=False)
    overdue = serializers.BooleanField(required=False, default=False)


# ---------------------------------------------------------------------------------------------
# Views


class DisputePagination(CursorPagination):
    ordering = ("-occurred_at", "-id")


class SignalPagination(CursorPagination):
    ordering = ("-updated_at", "-id")


def _fresh(pk: int) -> Dispute:
    return Dispute.objects.prefetch_related("parties").get(pk=pk)


class DisputeListView(GenericAPIView, DisputeAPIView):
    pagination_class = DisputePagination
    filter_backends: list[type] = []

    @extend_schema(
        operation_id="disputes_list",
        summary="Disputes in the person's scope",
        parameters=[DisputeQuerySerializer],
        responses={200: DisputeSerializer(many=True), **_errors(400, 403)},
        tags=["disputes"],
    )
    def get(self, request: Request) -> Response:
        query = DisputeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        filters = disputes.DisputeFilters(
            state=q.get("state", ""),
            grade=q.get("grade", ""),
            type=q.get("type", ""),
            district=q.get("district"),
            open_only=q["open"],
            overdue=q["overdue"],
        )
        page = self.paginate_queryset(disputes.dispute_list(_user(request), filters))
        return self.get_paginated_response(DisputeSerializer(page, many=True).data)

    @extend_schema(
        operation_id="disputes_create",
        summary="Register a dispute",
        description="Parties are linked to ledger persons of the scope by ID number or phone. With an "
        "Idempotency-Key, a retry never registers it twice.",
        request=DisputeCreateSerializer,
        responses={201: DisputeDetailSerializer, 200: DisputeDetailSerializer, **_errors(400, 403, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["disputes"],
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        require(user, Cap.DISPUTE_HANDLE)

        def register(key: str | None) -> Response:
            data = DisputeCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            dispute, created = dispute_services.dispute_register(
                actor=user, data=data.to_input(), submission_key=f"api:{user.pk}:{key}" if key else None
            )
            return Response(
                DisputeDetailSerializer(_fresh(dispute.pk)).data,
                status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            )

        return idempotent_durable(request, register)


class DisputeDetailView(DisputeAPIView):
    @extend_schema(
        operation_id="disputes_retrieve",
        summary="One dispute, with its parties (masked); the reading is audited",
        responses={200: DisputeDetailSerializer, **_errors(403, 404)},
        tags=["disputes"],
    )
    def get(self, request: Request, pk: int) -> Response:
        dispute = disputes.dispute_get(_user(request), pk)
        return Response(DisputeDetailSerializer(_fresh(dispute.pk)).data)


class DisputeActionView(DisputeAPIView):
    @extend_schema(
        operation_id="disputes_action",
        summary="Take a step: mediate, visit, regrade, resolve, hand_over or contain",
        description="The body is the step's: mediate {with_whom, what, agreed?, at?}, visit {what, at?}, "
        "regrade {grade, reason}, resolve {outcome}, hand_over {to_kind, to, note?}, contain {note}.",
        request=None,
        responses={200: DisputeDetailSerializer, **_errors(400, 403, 404, 409, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["disputes"],
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        user = _user(request)
        if not can(user, Cap.DISPUTE_HANDLE):
            raise PermissionDenied
        if action not in STEP_INPUTS:
            raise Http404
        disputes.dispute_get(user, pk, audit=False)

        def perform(key: str | None) -> Response:
            body = STEP_INPUTS[action](data=request.data)
            body.is_valid(raise_exception=True)
            fields: dict[str, Any] = dict(body.validated_data)
            dispute_services.STEP_SERVICES[action](
                actor=user, dispute_id=pk, submission_key=f"api:{user.pk}:{key}" if key else None, **fields
            )
            return Response(DisputeDetailSerializer(_fresh(pk)).data)

        return idempotent_durable(request, perform)


class SignalListView(GenericAPIView, StaffAPIView):
    permission_classes = [IsAuthenticated, CanViewSignals]
    pagination_class = SignalPagination
    filter_backends: list[type] = []

    @extend_schema(
        operation_id="signals_list",
        summary="Early-warning signals in the person's scope",
        description="Filter by state (`open` is every state but closed), kind, severity, unit, and "
        "the record type and id of a piece of evidence.",
        parameters=[SignalQuerySerializer],
        responses={200: SignalSerializer(many=True), **_errors(400, 403)},
        tags=["warnings"],
    )
    def get(self, request: Request) -> Response:
        query = SignalQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        filters = warnings.SignalFilters(
            state=q.get("state", ""),
            kind=q.get("kind", ""),
            severity=q.get("severity", ""),
            unit=q.get("unit"),
            record_type=q.get("record_type", ""),
            record_id=q.get("record_id"),
        )
        rows = warnings.signal_list(_user(request), filters).prefetch_related("evidence")
        page: list[Signal] = self.paginate_queryset(rows) or []
        return self.get_paginated_response(SignalSerializer(page, many=True).data)
