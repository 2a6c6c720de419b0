"""Reads of the Open311 interface and of its administration pages.

The interface is public (the specification asks no key for reading), so what these return to it
is decided here once: tip-offs (举报) are never listed to the public, since that a tip-off exists
near a place can point at the person who gave it; a partner passing its key also sees the
tip-offs it brought in itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery

from jingmin.appeals.codes import AuditAction as AppealsAudit
from jingmin.appeals.models import Appeal, AppealEvent, AppealType, Category
from jingmin.audit.actions import actions_q
from jingmin.audit.models import AuditEntry
from jingmin.open311.codes import AuditAction
from jingmin.open311.models import Partner, ServiceAttribute, ServiceRequest
from jingmin.org.models import User
from jingmin.org.roles import Cap
from jingmin.org.selectors import require

# The specification's default and ours: at most this many requests in one answer.
REQUESTS_LIMIT = 1000
# Changes to these move the discovery document's changeset (the services or their definitions).
DEFINITION_ACTIONS = (
    AppealsAudit.CATEGORY_CREATE,
    AppealsAudit.CATEGORY_UPDATE,
    AuditAction.ATTRIBUTE_CREATE,
    AuditAction.ATTRIBUTE_UPDATE,
    AuditAction.ATTRIBUTE_DELETE,
)


def services_offered() -> QuerySet[Category]:
    """The services: active second-level categories under an active heading, in the taxonomy's
    order, each marked with whether it has a definition to fetch."""
    return (
        Category.objects.filter(is_active=True, parent__isnull=False, parent__is_active=True)
        .select_related("parent")
        .annotate(has_definition=Exists(ServiceAttribute.objects.filter(category=OuterRef("pk"))))
        .order_by("parent__position", "parent__code", "position", "code")
    )


def service_definition(category: Category) -> list[ServiceAttribute]:
    return list(ServiceAttribute.objects.filter(category=category).order_by("order"))


def service_attribute_get(category: Category, pk: int) -> ServiceAttribute | None:
    return ServiceAttribute.objects.filter(pk=pk, category=category).first()


def questions_of(category_id: int) -> dict[str, ServiceAttribute]:
    """The questions of a category's service definition, by code."""
    return {a.code: a for a in ServiceAttribute.objects.filter(category_id=category_id)}


def definitions_changed_at() -> datetime | None:
    """When the services or their definitions last changed: what a client's cache depends on."""
    audited = AuditEntry.objects.filter(actions_q(list(DEFINITION_ACTIONS))).aggregate(at=Max("at"))["at"]
    seeded = ServiceAttribute.objects.aggregate(at=Max("updated_at"))["at"]
    moments = [m for m in (audited, seeded) if m is not None]
    return max(moments) if moments else None


def _visible(partner: Partner | None) -> QuerySet[Appeal]:
    public = ~Q(type=AppealType.REPORT)
    condition = (public | Q(open311_request__partner=partner)) if partner is not None else public
    last_event = AppealEvent.objects.filter(appeal=OuterRef("pk")).order_by("-seq").values("at")[:1]
    return (
        Appeal.objects.filter(condition)
        .select_related("category", "unit")
        .annotate(last_event_at=Subquery(last_event))
    )


@dataclass(frozen=True)
class RequestQuery:
    """What GET requests asks for, already checked (the 90-day window included)."""

    start: datetime
    end: datetime
    ids: tuple[int, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: frozenset[str] = frozenset()


def request_list(*, query: RequestQuery, partner: Partner | None) -> list[Appeal]:
    """Newest first, at most `REQUESTS_LIMIT`. Ids, when given, override every other filter
    (the specification's rule); otherwise the received-at window walks the (received_at, id)
    index backwards and stops at the limit."""
    qs = _visible(partner)
    if query.ids:
        return list(qs.filter(pk__in=query.ids).order_by("-received_at", "-id")[:REQUESTS_LIMIT])
    qs = qs.filter(received_at__gte=query.start, received_at__lte=query.end)
    if query.service_codes:
        # Resolved to ids first: a join to the category table would keep the planner from the
        # (category, received_at) index.
        category_ids = list(
            Category.objects.filter(code__in=query.service_codes).values_list("pk", flat=True)
        )
        qs = qs.filter(category_id__in=category_ids)
    if query.statuses and len(query.statuses) == 1:
        qs = qs.filter(is_open="open" in query.statuses)
    return list(qs.order_by("-received_at", "-id")[:REQUESTS_LIMIT])


def request_get(*, pk: int, partner: Partner | None) -> Appeal | None:
    return _visible(partner).filter(pk=pk).first()


def service_requests_of(appeals: list[Appeal], partner: Partner) -> dict[int, ServiceRequest]:
    """The partner's own records among these appeals, by appeal id."""
    ids = [a.pk for a in appeals]
    if not ids:
        return {}
    return {r.appeal_id: r for r in ServiceRequest.objects.filter(appeal_id__in=ids, partner=partner)}


def token_get(token: str) -> ServiceRequest | None:
    return ServiceRequest.objects.filter(token=token).first()


# ---------------------------------------------------------------------------------------------
# Administration pages


def partner_list(*, actor: User) -> QuerySet[Partner]:
    require(actor, Cap.MANAGE_OPEN311)
    return (
        Partner.objects.select_related("intake_unit")
        .annotate(appeal_count=Count("requests"))
        .order_by("-is_active", "name")
    )


def partner_get(*, actor: User, pk: int) -> Partner | None:
    require(actor, Cap.MANAGE_OPEN311)
    return Partner.objects.select_related("intake_unit").filter(pk=pk).first()


def service_settings_list(*, actor: User) -> QuerySet[Category]:
    """Every second-level category with its number of questions, for the definitions page."""
    require(actor, Cap.MANAGE_APPEAL_SETTINGS)
    return (
        Category.objects.filter(parent__isnull=False)
        .select_related("parent")
        .annotate(attribute_count=Count("open311_attributes"))
        .order_by("parent__position", "parent__code", "position", "code")
    )
