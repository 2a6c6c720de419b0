"""Reads of the audit log for its pages: only the audit administrator searches it, within their scope.

A person's own sign-ins are read by `org` (`jingmin.org.selectors.own_signins`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from jingmin.audit.actions import action_q
from jingmin.audit.models import AuditEntry
from jingmin.org.roles import Cap
from jingmin.org.scope import Scope
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
    rows = Scope.of(actor).filter(rows, "unit_path")
    if account:
        rows = rows.filter(actor_username=account)
    if action:
        # Rows written before the names were unified keep their old names.
        rows = rows.filter(action_q(action))
    if target:
        rows = rows.filter(Q(target_repr__icontains=target) | Q(target_id=target))
    if ip:
        rows = rows.filter(ip=ip)
    if since:
        rows = rows.filter(at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        rows = rows.filter(at__lt=timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min)))
    return rows.order_by("-id")
