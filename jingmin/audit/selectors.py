"""Reads of the audit log. Only the audit administrator searches it; anyone sees their own sign-ins."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from jingmin.audit.models import AuditEntry
from jingmin.org.roles import Cap
from jingmin.org.selectors import require

if TYPE_CHECKING:
    from jingmin.org.models import User


def audit_search(
    *,
    actor: User,
    account: str = "",
    action: str = "",
    target: str = "",
    ip: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    require(actor, Cap.VIEW_AUDIT)
    rows = AuditEntry.objects.all()
    # Scope: rows written by people of the auditor's subtree; rows with no unit (failed sign-ins
    # of unknown names, commands) belong to the top of the tree.
    scope = Q(unit_path__startswith=actor.unit.path)
    if actor.unit.parent_id is None:
        scope |= Q(unit_path="")
    rows = rows.filter(scope)
    if account:
        rows = rows.filter(actor_username=account)
    if action:
        rows = rows.filter(action=action)
    if target:
        rows = rows.filter(Q(target_repr__icontains=target) | Q(target_id=target))
    if ip:
        rows = rows.filter(ip=ip)
    if since:
        rows = rows.filter(at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        rows = rows.filter(at__lt=timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min)))
    return rows.order_by("-seq")


def own_signins(*, actor: User) -> QuerySet[AuditEntry]:
    """A person's own recent sign-ins and failures, so they can notice someone else's."""
    return AuditEntry.objects.filter(
        actor_id=actor.pk, action__in=["auth.signin", "auth.signin_failed", "auth.locked"]
    ).order_by("-seq")
