"""Reads of the organisation, always through the acting user's scope (`jingmin.org.scope`)."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jingmin.audit.actions import action_q
from jingmin.audit.models import AuditEntry
from jingmin.org.codes import AuditAction
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope, units_above

M = TypeVar("M", bound=Model)


def scope_filter(queryset: QuerySet[M], user: User, *, unit_field: str = "unit") -> QuerySet[M]:
    """Keep the rows whose unit (a foreign key named `unit_field`, or the row itself when it is
    empty) lies in the user's subtree; nothing for an inactive account."""
    return Scope.of(user).filter(queryset, "path" if unit_field == "" else f"{unit_field}__path")


def districts_in_scope(actor: User) -> QuerySet[Unit]:
    """The active police districts in the actor's scope (the choices of a district field)."""
    return Scope.of(actor).districts()


def unit_chain(actor: User, unit: Unit) -> QuerySet[Unit]:
    """The units from the top of the actor's scope down to `unit` (breadcrumbs); none outside."""
    return Scope.of(actor).chain_to(unit)


def unit_ancestors(unit: Unit) -> QuerySet[Unit]:
    """The units above `unit` and the unit itself, the bureau first (where a person works)."""
    return units_above(unit, include_self=True).order_by("depth")


def handling_units() -> QuerySet[Unit]:
    """Every open unit that can be given an appeal (dispatch and transfer cross the tree); the
    bureau itself handles nothing. Unit names are not personal data."""
    from jingmin.org.models import UnitKind

    return Unit.objects.filter(is_active=True).exclude(kind=UnitKind.BUREAU).order_by("path")


def units_by_ids(ids: list[int]) -> QuerySet[Unit]:
    """Units already chosen by a selector (a form's choices among them)."""
    return Unit.objects.filter(pk__in=ids)


def unit_name(pk: int) -> str | None:
    return Unit.objects.filter(pk=pk).values_list("name", flat=True).first()


def signing_in_user(pk: int) -> User | None:
    """The active account that passed the password step and now gives its second factor."""
    return User.objects.select_related("unit").filter(pk=pk, is_active=True).first()


def require(user: User, cap: Cap) -> None:
    if not can(user, cap):
        raise PermissionDenied


def unit_list(*, actor: User) -> QuerySet[Unit]:
    require(actor, Cap.VIEW_ORG)
    return scope_filter(Unit.objects.all(), actor, unit_field="")


def unit_get(*, actor: User, pk: int) -> Unit:
    try:
        return unit_list(actor=actor).get(pk=pk)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc


def staff_list(
    *, actor: User, unit: Unit | None = None, role: str = "", query: str = "", active: bool | None = None
) -> QuerySet[User]:
    require(actor, Cap.VIEW_STAFF)
    users = scope_filter(User.objects.select_related("unit"), actor)
    if unit is not None:
        users = Scope.under(unit).filter(users, "unit__path")
    if role:
        users = users.filter(role=role)
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(police_number=query)
        )
    if active is not None:
        users = users.filter(is_active=active)
    return users


def staff_get(*, actor: User, pk: int) -> User:
    try:
        return staff_list(actor=actor).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def locked_accounts(*, actor: User) -> QuerySet[User]:
    require(actor, Cap.SECURE_ACCOUNTS)
    return staff_list(actor=actor).filter(locked_until__gt=timezone.now())


def intake_desk() -> Unit | None:
    """The unit that receives what arrives without a station (the command centre), if made.

    Unscoped: intake from the portal and partner systems has no acting user, and a unit's name is
    no secret to anyone who works in the bureau.
    """
    return Unit.objects.filter(is_intake_desk=True, is_active=True).first()


def own_signins(*, actor: User) -> QuerySet[AuditEntry]:
    """A person's own recent sign-ins and failures, from the audit log, so they can notice someone
    else's."""
    signed_in, locked = action_q(AuditAction.USER_SIGNIN), action_q(AuditAction.USER_LOCK)
    return (
        AuditEntry.objects.filter(actor_id=actor.pk)
        .filter(signed_in | locked | action_q(AuditAction.SIGNIN_FAIL))
        .annotate(
            signed_in=ExpressionWrapper(signed_in, output_field=BooleanField()),
            locked=ExpressionWrapper(locked, output_field=BooleanField()),
        )
        .order_by("-id")
    )


def previous_signin(*, actor: User) -> AuditEntry | None:
    """The sign-in before the current one (the home page shows when and from where)."""
    return (
        AuditEntry.objects.filter(action_q(AuditAction.USER_SIGNIN), actor_id=actor.pk)
        .order_by("-id")[1:2]
        .first()
    )
