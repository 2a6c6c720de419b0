"""The staff API: categories, units and appeals, scoped like the pages.

Views parse and present; every read goes through a selector that takes the acting user and every
write through a service, so the API cannot see or do more than the pages. Roles without appeal
capabilities (the administrators) are turned away up front with 403, before any body is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jingmin.api import serializers as s
from jingmin.api.errors import error_body, validation_error_body
from jingmin.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from jingmin.api.idempotency import idempotent, idempotent_durable
from jingmin.api.serializers import BatchOutcome
from jingmin.appeals import selectors, services
from jingmin.appeals.models import Action, Appeal
from jingmin.appeals.selectors import AppealFilters, appeal_events, appeal_get, appeal_list, category_list
from jingmin.appeals.services import AppealInput
from jingmin.appeals.transitions import TRANSITIONS
from jingmin.core.codes import CommonError
from jingmin.org.models import User
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require, unit_list

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=IDEMPOTENCY_HEADER,
    location=OpenApiParameter.HEADER,
    type=OpenApiTypes.STR,
    required=False,
    description=(
        "Any unique string (a UUID) chosen by the client for this request. A retry with the same key "
        "and body returns the first answer (with `Idempotent-Replayed: true`) instead of acting twice; "
        "the same key with another body answers 422."
    ),
)


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    described = {
        400: "Invalid input; `field` names the input at fault.",
        403: "The role may not do this.",
        404: "No such appeal in the person's scope.",
        409: "The step is not allowed from the appeal's current state.",
        422: "The Idempotency-Key was already used for a different request.",
    }
    return {code: OpenApiResponse(s.ErrorSerializer, description=described[code]) for code in codes}


def _user(request: Request) -> User:
    # Behind IsAuthenticated this always holds; the check narrows the type and would fail closed.
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


class CanViewAppeals(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can(request.user, Cap.APPEAL_VIEW)


class StaffAPIView(APIView):
    # JSON only: the contract's bodies are JSON, and the Idempotency-Key fingerprint is of its bytes.
    parser_classes = [JSONParser]


class AppealAPIView(StaffAPIView):
    permission_classes = [IsAuthenticated, CanViewAppeals]


def _present(request: Request, appeal: Appeal, *, registered: bool = False) -> dict[str, Any]:
    return s.AppealSerializer(appeal, context={"request": request, "registered": registered}).data


def _fresh(appeal_id: int) -> Appeal:
    return selectors.appeal_acted_on(pk=appeal_id)


# ---------------------------------------------------------------------------------------------
# Reference lists


class CategoryListView(AppealAPIView):
    @extend_schema(
        operation_id="categories_list",
        summary="Active categories",
        description="Both levels; an appeal is filed under a second-level category (one with a parent).",
        responses={200: s.CategorySerializer(many=True), **_errors(403)},
        tags=["reference"],
    )
    def get(self, request: Request) -> Response:
        return Response(s.CategorySerializer(category_list(), many=True).data)


class UnitListView(StaffAPIView):
    @extend_schema(
        operation_id="units_list",
        summary="Units of the person's scope",
        description="The person's own unit and the units under it.",
        responses={200: s.UnitSerializer(many=True), **_errors(403)},
        tags=["reference"],
    )
    def get(self, request: Request) -> Response:
        return Response(s.UnitSerializer(unit_list(actor=_user(request)), many=True).data)


# ---------------------------------------------------------------------------------------------
# Appeals


# Made once per process: DRF would otherwise build (deep-copy) every input field anew for each
# registration, and for each item of a batch. Parsing keeps no state on the serializer.
REGISTRATION_PARSER = s.AppealCreateSerializer()
BATCH_ITEM_PARSER = s.BatchAppealSerializer()


class AppealPagination(CursorPagination):
    # Newest received first, like the pages' lists; the cursor keeps pages stable while new
    # appeals arrive.
    ordering = ("-received_at", "-id")


class AppealListView(GenericAPIView, AppealAPIView):
    pagination_class = AppealPagination
    # Filters are parsed below and applied by the selector, which knows the scope.
    filter_backends: list[type] = []

    @extend_schema(
        operation_id="appeals_list",
        summary="Appeals in the person's scope",
        parameters=[s.AppealListQuerySerializer],
        responses={200: s.AppealSerializer(many=True), **_errors(400, 403)},
        tags=["appeals"],
    )
    def get(self, request: Request) -> Response:
        query = s.AppealListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = AppealFilters(**{k: v for k, v in query.validated_data.items() if v is not None})
        appeals = (
            appeal_list(actor=_user(request), filters=filters)
            .select_related("handler")
            .prefetch_related("assists")
        )
        page = self.paginate_queryset(appeals)
        return self.get_paginated_response(
            s.AppealSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        operation_id="appeals_create",
        summary="Register an appeal",
        description=(
            "Registers the appeal at the person's own unit. With an Idempotency-Key, a retry never "
            "registers it twice."
        ),
        request=s.AppealCreateSerializer,
        responses={201: s.AppealSerializer, 200: s.AppealSerializer, **_errors(400, 403, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["appeals"],
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        # Before the body: a role that may never register learns that first.
        require(user, Cap.APPEAL_INTAKE)

        def register(key: str | None) -> Response:
            validated = s.parse_with(REGISTRATION_PARSER, request.data)
            appeal, created = services.appeal_register_and_dispatch(
                actor=user,
                data=s.appeal_input(validated),
                dispatch_to=validated["dispatch_to"],
                # The domain's own guard against a double registration, per person.
                submission_key=f"{user.pk}:{key}" if key else None,
            )
            # A new appeal is answered as the service left it (no read-back): nothing else has
            # touched it yet. A repeated one is read as it is now.
            return Response(
                _present(request, appeal, registered=True)
                if created
                else _present(request, _fresh(appeal.pk)),
                status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            )

        # The service runs its own durable transaction and registers once per submission key.
        return idempotent_durable(request, register)


class AppealBatchView(AppealAPIView):
    @extend_schema(
        operation_id="appeals_batch_create",
        summary="Register several appeals at once",
        description=(
            "For partners and the hotline: up to `APPEAL_BATCH_MAX` (100) appeals in one request and "
            "one transaction, each with its own `key` and its own result, in the order sent: "
            "`created`, `replayed` (its key was registered before, in this batch, an earlier one or a "
            "single registration: the appeal registered then, nothing registered twice) or `refused` "
            "(`error` in the shape of every error; the others are registered all the same). "
            "A batch that is not a list of 1 to 100 objects under `appeals` is refused whole (400)."
        ),
        request=s.BatchRequestSerializer,
        responses={200: s.BatchResponseSerializer, **_errors(400, 403)},
        tags=["appeals"],
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        require(user, Cap.APPEAL_INTAKE)
        items = request.data.get("appeals") if isinstance(request.data, dict) else None
        if not isinstance(items, list):
            raise serializers.ValidationError(
                {"appeals": [_("Send the appeals as a list under “appeals”.")]}, code=CommonError.REQUIRED
            )
        services.batch_size_check(len(items))
        results: list[dict[str, Any] | None] = [None] * len(items)
        accepted: list[tuple[int, str, AppealInput]] = []
        for index, item in enumerate(items):
            try:
                validated = s.parse_with(BATCH_ITEM_PARSER, item)
            except serializers.ValidationError as exc:
                key = item.get("key") if isinstance(item, dict) and isinstance(item.get("key"), str) else None
                results[index] = _batch_result(
                    index, key, BatchOutcome.REFUSED, error=validation_error_body(exc)
                )
                continue
            accepted.append((index, validated["key"], s.appeal_input(validated)))
        outcomes = services.appeal_register_batch(
            actor=user,
            # Under the same per-person key as a single registration's Idempotency-Key.
            items=[(f"{user.pk}:{key}", data) for _index, key, data in accepted],
        )
        for (index, key, _data), outcome in zip(accepted, outcomes, strict=True):
            if outcome.error is not None:
                error = error_body(outcome.error.message, outcome.error.code, field=outcome.error.field)
                results[index] = _batch_result(index, key, BatchOutcome.REFUSED, error=error)
            elif outcome.created:
                appeal = _present(request, cast(Appeal, outcome.appeal), registered=True)
                results[index] = _batch_result(index, key, BatchOutcome.CREATED, appeal=appeal)
            else:
                appeal = _present(request, _fresh(cast(Appeal, outcome.appeal).pk))
                results[index] = _batch_result(index, key, BatchOutcome.REPLAYED, appeal=appeal)
        return Response({"results": results})


def _batch_result(
    index: int,
    key: str | None,
    outcome: str,
    *,
    appeal: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {"index": index, "key": key, "status": outcome, "appeal": appeal, "error": error}


class AppealDetailView(AppealAPIView):
    @extend_schema(
        operation_id="appeals_retrieve",
        summary="One appeal",
        responses={200: s.AppealSerializer, **_errors(403, 404)},
        tags=["appeals"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_present(request, appeal_get(actor=_user(request), pk=pk)))


class AppealEventsView(AppealAPIView):
    @extend_schema(
        operation_id="appeals_events",
        summary="The history of an appeal",
        description="Every step, oldest first.",
        responses={200: s.AppealEventSerializer(many=True), **_errors(403, 404)},
        tags=["appeals"],
    )
    def get(self, request: Request, pk: int) -> Response:
        user = _user(request)
        appeal = appeal_get(actor=user, pk=pk)
        return Response(s.AppealEventSerializer(appeal_events(actor=user, appeal=appeal), many=True).data)


# ---------------------------------------------------------------------------------------------
# The steps of the life cycle: one endpoint each, from one table


Perform = Callable[[User, int, dict[str, Any]], Appeal]


@dataclass(frozen=True)
class ActionEndpoint:
    action: str  # the URL segment, which is also the `Action` value
    input: type[serializers.Serializer] | None
    perform: Perform
    summary: str


ACTION_ENDPOINTS: tuple[ActionEndpoint, ...] = (
    ActionEndpoint(
        "accept",
        s.NoteSerializer,
        lambda u, pk, d: services.appeal_accept(actor=u, appeal_id=pk, note=d["note"]),
        "Accept a submitted appeal",
    ),
    ActionEndpoint(
        "reject",
        s.ReasonSerializer,
        lambda u, pk, d: services.appeal_reject(actor=u, appeal_id=pk, reason=d["reason"]),
        "Reject a submitted appeal",
    ),
    ActionEndpoint(
        "dispatch",
        s.DispatchSerializer,
        lambda u, pk, d: services.appeal_dispatch(
            actor=u, appeal_id=pk, unit=d["unit"], assist_units=d["assist_units"]
        ),
        "Dispatch to a lead unit, with assisting units",
    ),
    ActionEndpoint(
        "sign",
        None,
        lambda u, pk, d: services.appeal_sign(actor=u, appeal_id=pk),
        "Sign for a dispatched appeal",
    ),
    ActionEndpoint(
        "contact",
        s.RequiredNoteSerializer,
        lambda u, pk, d: services.appeal_contact(actor=u, appeal_id=pk, note=d["note"]),
        "Record a contact with the citizen",
    ),
    ActionEndpoint(
        "transfer",
        s.TransferSerializer,
        lambda u, pk, d: services.appeal_transfer(actor=u, appeal_id=pk, unit=d["unit"], reason=d["reason"]),
        "Transfer to another unit",
    ),
    ActionEndpoint(
        "return",
        s.ReasonSerializer,
        lambda u, pk, d: services.appeal_return(actor=u, appeal_id=pk, reason=d["reason"]),
        "Return to the dispatching unit",
    ),
    ActionEndpoint(
        "conclude",
        s.ConcludeSerializer,
        lambda u, pk, d: services.appeal_conclude(actor=u, appeal_id=pk, result=d["result"], note=d["note"]),
        "Conclude",
    ),
    ActionEndpoint(
        "follow-up",
        s.FollowUpSerializer,
        lambda u, pk, d: services.appeal_follow_up(
            actor=u, appeal_id=pk, resolved=d["resolved"], satisfaction=d["satisfaction"], note=d["note"]
        ),
        "Record the citizen's answer to the follow-up call",
    ),
    ActionEndpoint(
        "review",
        s.ReviewSerializer,
        lambda u, pk, d: services.appeal_review(
            actor=u, appeal_id=pk, reasonable=d["reasonable"], note=d["note"]
        ),
        "Review a dissatisfied answer (a reasonable demand reopens the appeal)",
    ),
    ActionEndpoint(
        "reopen",
        s.ReasonSerializer,
        lambda u, pk, d: services.appeal_reopen(actor=u, appeal_id=pk, reason=d["reason"]),
        "Reopen after a dissatisfied answer",
    ),
    ActionEndpoint(
        "supervise",
        s.RequiredNoteSerializer,
        lambda u, pk, d: services.appeal_supervise(actor=u, appeal_id=pk, note=d["note"]),
        "Put under supervision",
    ),
    ActionEndpoint(
        "merge",
        s.MergeSerializer,
        lambda u, pk, d: services.appeal_merge(actor=u, appeal_id=pk, into=d["into"], note=d["note"]),
        "Merge into the appeal it duplicates",
    ),
    ActionEndpoint(
        "archive",
        s.NoteSerializer,
        lambda u, pk, d: services.appeal_archive(actor=u, appeal_id=pk, note=d["note"]),
        "Archive",
    ),
)


class AppealActionView(AppealAPIView):
    endpoint: ClassVar[ActionEndpoint]

    def run(self, request: Request, pk: int) -> Response:
        user = _user(request)
        # The service checks this too; asking first answers 403 before any 400 about the body.
        if not any(can(user, cap) for cap in TRANSITIONS[self.endpoint.action].caps):
            raise PermissionDenied
        if self.endpoint.action == Action.FOLLOW_UP:
            # Never the hand that handled it: refused (after the scope's 404) before the body.
            selectors.require_other_hand(
                actor=user, action=Action.FOLLOW_UP, appeal=selectors.appeal_get(actor=user, pk=pk)
            )

        def perform(_key: str | None) -> Response:
            data: dict[str, Any] = {}
            if self.endpoint.input is not None:
                body = self.endpoint.input(data=request.data)
                body.is_valid(raise_exception=True)
                data = dict(body.validated_data)
            appeal = self.endpoint.perform(user, pk, data)
            return Response(_present(request, _fresh(appeal.pk)))

        return idempotent(request, perform)


def _action_view(endpoint: ActionEndpoint) -> type[AppealActionView]:
    @extend_schema(
        operation_id=f"appeals_{endpoint.action.replace('-', '_')}",
        summary=endpoint.summary,
        request=endpoint.input,
        responses={200: s.AppealSerializer, **_errors(400, 403, 404, 409, 422)},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["appeals"],
    )
    def post(self: AppealActionView, request: Request, pk: int) -> Response:
        return self.run(request, pk)

    name = "Appeal" + "".join(part.title() for part in endpoint.action.split("-")) + "View"
    return cast(
        type[AppealActionView],
        type(name, (AppealActionView,), {"endpoint": endpoint, "post": post, "__module__": __name__}),
    )


ACTION_VIEWS: dict[str, type[AppealActionView]] = {e.action: _action_view(e) for e in ACTION_ENDPOINTS}
