"""Reads of the organisation, always through the acting user's scope (`jingmin.org.scope`)."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope

M = TypeVar("M", bound=Model)


def scope_filter(queryset: QuerySet[M], user: User, *, unit_field: str = "unit") -> QuerySet[M]:
    """Keep the rows whose unit (a foreign key named `unit_field`, or the row itself when it is
    empty) lies in the user's subtree; nothing for an inactive account."""
    return Scope.of(user).filter(queryset, "path" if unit_field == "" else f"{unit_field}__path")


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
