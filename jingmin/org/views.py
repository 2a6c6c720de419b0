"""The organisation pages: unit tree and staff directory, with the administrators' actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingmin.audit.services import audit_read
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.org import services
from jingmin.org.forms import (
    PasswordResetForm,
    RoleForm,
    StaffCreateForm,
    StaffFilterForm,
    StaffProfileForm,
    UnitCreateForm,
    staff_initial,
)
from jingmin.org.models import User
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require, staff_get, staff_list, unit_list
from jingmin.org.signin import confirmed_device


@login_required
def units(request: StaffRequest) -> HttpResponse:
    actor = request.user
    visible = unit_list(actor=actor)
    form = None
    if can(actor, Cap.MANAGE_UNITS):
        form = UnitCreateForm(request.POST or None, units=visible)
        if request.method == "POST" and form.is_valid():
            try:
                unit = services.unit_create(actor=actor, **form.cleaned_data)
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("Unit %(name)s added.") % {"name": unit.name})
                return redirect("org:units")
    elif request.method == "POST":
        require(actor, Cap.MANAGE_UNITS)
    counts = {row["unit_id"]: row["n"] for row in _member_counts(actor)}
    rows = [(unit, unit.depth - actor.unit.depth, counts.get(unit.pk, 0)) for unit in visible]
    return render(request, "org/units.html", {"rows": rows, "form": form})


def _member_counts(actor: User) -> Any:
    return staff_list(actor=actor).filter(is_active=True).values("unit_id").annotate(n=Count("id"))


@login_required
def staff(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.VIEW_STAFF)
    form = StaffFilterForm(request.GET or None, units=unit_list(actor=actor))
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "unit": form.cleaned_data["unit"],
            "role": form.cleaned_data["role"],
            "query": form.cleaned_data["q"],
        }
    page = Paginator(staff_list(actor=actor, **filters), 30).get_page(request.GET.get("page"))
    template = "org/_staff_table.html" if request.headers.get("HX-Request") else "org/staff.html"
    return render(
        request, template, {"form": form, "page": page, "can_create": can(actor, Cap.MANAGE_ACCOUNTS)}
    )


@login_required
def staff_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    person = staff_get(actor=actor, pk=pk)
    # A staff profile holds personal data (phone): reading it is recorded.
    audit_read(actor=actor, target=person, what="profile")
    context = {
        "person": person,
        "has_otp": confirmed_device(person) is not None,
        "can_edit": can(actor, Cap.MANAGE_ACCOUNTS),
        "can_secure": can(actor, Cap.SECURE_ACCOUNTS) and person.pk != actor.pk,
        "can_assign": can(actor, Cap.ASSIGN_ROLES) and person.pk != actor.pk,
        "role_form": RoleForm(initial={"role": person.role}),
        "password_form": PasswordResetForm(),
    }
    return render(request, "org/staff_detail.html", context)


@login_required
def staff_create(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.MANAGE_ACCOUNTS)
    form = StaffCreateForm(request.POST or None, units=unit_list(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.staff_create(actor=actor, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": person.username})
            return redirect("org:staff_detail", pk=person.pk)
    return render(request, "org/staff_form.html", {"form": form, "title": _("New staff account")})


@login_required
def staff_edit(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.MANAGE_ACCOUNTS)
    person = staff_get(actor=actor, pk=pk)
    form = StaffProfileForm(request.POST or None, units=unit_list(actor=actor), initial=staff_initial(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(actor=actor, user=person, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("org:staff_detail", pk=person.pk)
    return render(request, "org/staff_form.html", {"form": form, "title": person.full_name, "person": person})


def _secure_action(
    request: StaffRequest, pk: int, cap: Cap, act: Callable[[User, User], Any], done: str
) -> HttpResponse:
    actor = request.user
    require(actor, cap)
    person = staff_get(actor=actor, pk=pk)
    try:
        act(actor, person)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("org:staff_detail", pk=person.pk)


@login_required
@require_POST
def staff_unlock(request: StaffRequest, pk: int) -> HttpResponse:
    return _secure_action(
        request,
        pk,
        Cap.SECURE_ACCOUNTS,
        lambda actor, person: services.account_unlock(actor=actor, user=person),
        _("The account is unlocked."),
    )


@login_required
@require_POST
def staff_otp_reset(request: StaffRequest, pk: int) -> HttpResponse:
    return _secure_action(
        request,
        pk,
        Cap.SECURE_ACCOUNTS,
        lambda actor, person: services.second_factor_reset(actor=actor, user=person),
        _("The second factor is reset; it will be set up again at the next sign-in."),
    )


@login_required
@require_POST
def staff_role(request: StaffRequest, pk: int) -> HttpResponse:
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else ""
    return _secure_action(
        request,
        pk,
        Cap.ASSIGN_ROLES,
        lambda actor, person: services.staff_set_role(actor=actor, user=person, role=role),
        _("The role is changed."),
    )


@login_required
@require_POST
def staff_password_reset(request: StaffRequest, pk: int) -> HttpResponse:
    form = PasswordResetForm(request.POST)
    password = form.cleaned_data["password"] if form.is_valid() else ""
    return _secure_action(
        request,
        pk,
        Cap.SECURE_ACCOUNTS,
        lambda actor, person: services.account_reset_password(actor=actor, user=person, password=password),
        _("A temporary password is set; the person must change it at the next sign-in."),
    )
