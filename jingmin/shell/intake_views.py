"""The clerk's intake page (`appeals:new`): the appeals domain's form and registration, routing's
suggestion recorded beside it, and the likely duplicates routing finds of the appeal just
registered. Routing reads appeals, so the page that shows both lives above them; the project's
URLs keep it under the appeals' name and path (config/urls.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jingmin.appeals import selectors
from jingmin.appeals.forms import IntakeForm
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.org.models import UnitKind, User
from jingmin.org.roles import Cap
from jingmin.org.selectors import handling_units, require, unit_list
from jingmin.routing.duplicates import duplicates_of
from jingmin.routing.forms import shown_from
from jingmin.shell.services import intake_register


def _intake_form(actor: User, data: Any = None, files: Any = None) -> IntakeForm:
    form = IntakeForm(
        data,
        files,
        categories=selectors.intake_categories(),
        districts=unit_list(actor=actor).filter(kind=UnitKind.DISTRICT, is_active=True),
        # Dispatch crosses the tree: every open unit that handles appeals is offered.
        dispatch_units=handling_units(),
    )
    # While the clerk types the number, the caller's open appeals appear below it. Only the
    # number is sent (hx-params), not the whole form with its files.
    form.fields["citizen_phone"].widget.attrs.update(
        {
            "hx-post": reverse("appeals:same_caller"),
            "hx-trigger": "input changed delay:400ms, change",
            "hx-target": "#same-caller",
            "hx-params": "citizen_phone",
            "hx-sync": "this:replace",
        }
    )
    return form


@login_required
@require_http_methods(["GET", "POST"])
def register(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.APPEAL_INTAKE)
    if request.method == "POST":
        form = _intake_form(actor, request.POST, request.FILES)
        if form.is_valid():
            try:
                appeal, created = intake_register(
                    actor=actor,
                    data=form.appeal_input(),
                    dispatch_to=form.cleaned_data["dispatch_to"],
                    submission_key=form.cleaned_data["submission_key"],
                    files=form.cleaned_data["files"],
                    shown=shown_from(form.data),
                )
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                if created:
                    messages.success(request, _("The appeal is registered."))
                else:
                    messages.info(request, _("This form was already sent; the appeal was registered once."))
                return redirect(f"{reverse('appeals:new')}?registered={appeal.pk}")
        status = 400
    else:
        form = _intake_form(actor)
        status = 200
    registered = None
    raw = request.GET.get("registered", "")
    if raw.isdigit():
        registered = selectors.appeal_scope(actor).select_related("unit").filter(pk=int(raw)).first()
    # Likely duplicates of the appeal just registered, each with a button to merge it there.
    duplicates = duplicates_of(actor=actor, appeal=registered) if registered is not None else []
    return render(
        request,
        "appeals/new.html",
        {"form": form, "registered": registered, "duplicates": duplicates},
        status=status,
    )
