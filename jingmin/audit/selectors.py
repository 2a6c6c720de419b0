"""Reads of the audit log. Only the audit administrator searches it; anyone sees their own sign-ins."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from jingmin.audit.actions import action_q
from jingmin.audit.models import AuditEntry
from jingmin.org.codes import AuditAction as SignIn
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


def own_signins(*, actor: User) -> QuerySet[AuditEntry]:
    """A person's own recent sign-ins and failures, so they can notice someone else's."""
    signed_in, locked = action_q(SignIn.USER_SIGNIN), action_q(SignIn.USER_LOCK)
    return (
        AuditEntry.objects.filter(actor_id=actor.pk)
        .filter(signed_in | locked | action_q(SignIn.SIGNIN_FAIL))
        .annotate(
            signed_in=ExpressionWrapper(signed_in, output_field=BooleanField()),
            locked=ExpressionWrapper(locked, output_field=BooleanField()),
        )
        .order_by("-id")
    )


def previous_signin(*, actor: User) -> AuditEntry | None:
    """The sign-in before the current one (the home page shows when and from where)."""
    return (
        AuditEntry.objects.filter(action_q(SignIn.USER_SIGNIN), actor_id=actor.pk)
        .order_by("-id")[1:2]
        .first()
    )
