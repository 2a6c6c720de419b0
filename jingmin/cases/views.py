"""Pages of help and persuasion cases.

Only the assigned officers and their chain of command see a case; the selectors decide and record
every reading (and every refused one). A step is checked against the same rule before its body is
read; a refused step comes back beside its field.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jingmin.cases import selectors, services
from jingmin.cases.forms import (
    ContactForm,
    HelpActForm,
    HelpCaseForm,
    HelpCloseForm,
    PersuasionCaseForm,
    PersuasionCloseForm,
)
from jingmin.cases.models import CaseKind, HelpCase, PersuasionCase
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.ledger import selectors as ledger
from jingmin.org.models import UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.org.selectors import require


def _require_any(actor: User) -> None:
    if not (can(actor, Cap.CASE_RECORD) or can(actor, Cap.CASE_SUPERVISE)):
        require(actor, Cap.CASE_RECORD)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 18 else None


@login_required
@require_GET
def index(request: StaffRequest) -> HttpResponse:
    actor = request.user
    _require_any(actor)
    return render(
        request,
        "cases/index.html",
        {
            "help_cases": selectors.help_cases(actor).filter(is_open=True)[:100],
            "persuasion_cases": selectors.persuasion_cases(actor).filter(is_open=True)[:100],
            "can_open": can(actor, Cap.CASE_RECORD),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def help_new(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.CASE_RECORD)
    source = request.POST if request.method == "POST" else request.GET
    household = ledger.household_get(actor, _int(source.get("household")) or 0)
    if request.method == "POST":
        form = HelpCaseForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case, _created = services.help_case_open(
                    actor=actor,
                    household_id=household.pk,
                    hardship=d["hardship"],
                    plan=d["plan"],
                    submission_key=d["submission_key"] or None,
                )
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("The help case is opened."))
                return redirect("cases:help_detail", pk=case.pk)
        status = 400
    else:
        form = HelpCaseForm(initial={"household": household.pk, "submission_key": secrets.token_hex(16)})
        status = 200
    return render(request, "cases/help_new.html", {"form": form, "household": household}, status=status)


def _help_context(actor: User, case: HelpCase, **forms: Form) -> dict[str, Any]:
    visits = selectors.visit_choices(actor, case)
    act_form = forms.get("act") or HelpActForm(
        prefix="act", initial={"submission_key": secrets.token_hex(16)}
    )
    act_form.fields["visit"].choices = [("", "—"), *visits]  # type: ignore[attr-defined]
    return {
        "case": case,
        "acts": selectors.help_acts(case),
        "events": selectors.case_events(CaseKind.HELP, case.pk),
        "act_form": act_form,
        "close_form": forms.get("close") or HelpCloseForm(prefix="close"),
        "can_record": can(actor, Cap.CASE_RECORD) and case.is_open,
        "officers": case.officers.all(),
    }


@login_required
@require_GET
def help_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    case = selectors.help_case_get(actor, pk)
    return render(request, "cases/help_detail.html", _help_context(actor, case))


@login_required
@require_POST
def help_act(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.CASE_RECORD)
    case = selectors.case_for_step(actor, HelpCase, pk)
    form = HelpActForm(request.POST, prefix="act")
    form.fields["visit"].choices = [("", "—"), *selectors.visit_choices(actor, case)]  # type: ignore[attr-defined]
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.help_act_record(
                actor=actor,
                case_id=case.pk,
                what=d["what"],
                outcome=d["outcome"],
                at=d["at"],
                visit=d["visit"],
                submission_key=d["submission_key"] or None,
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The act of help is recorded."))
            return redirect("cases:help_detail", pk=case.pk)
    return render(request, "cases/help_detail.html", _help_context(actor, case, act=form), status=400)


@login_required
@require_POST
def help_close(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.CASE_RECORD)
    case = selectors.case_for_step(actor, HelpCase, pk)
    form = HelpCloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.help_case_close(actor=actor, case_id=case.pk, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The case is closed."))
            return redirect("cases:help_detail", pk=case.pk)
    return render(request, "cases/help_detail.html", _help_context(actor, case, close=form), status=400)


def _districts(actor: User) -> list[tuple[int, str]]:
    return [(u.pk, u.name) for u in Scope.of(actor).units().filter(kind=UnitKind.DISTRICT).order_by("path")]


@login_required
@require_http_methods(["GET", "POST"])
def persuasion_new(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.CASE_RECORD)
    districts = _districts(actor)
    if request.method == "POST":
        form = PersuasionCaseForm(request.POST, districts=districts)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case, _created = services.persuasion_case_open(
                    actor=actor,
                    district_id=d["district"],
                    wanted_name=d["wanted_name"],
                    wanted_id_number=d["wanted_id_number"],
                    submission_key=d["submission_key"] or None,
                )
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("The persuasion case is opened."))
                return redirect("cases:persuasion_detail", pk=case.pk)
        status = 400
    else:
        form = PersuasionCaseForm(initial={"submission_key": secrets.token_hex(16)}, districts=districts)
        status = 200
    return render(request, "cases/persuasion_new.html", {"form": form}, status=status)


def _persuasion_context(actor: User, case: PersuasionCase, **forms: Form) -> dict[str, Any]:
    contact_form = forms.get("contact") or ContactForm(
        prefix="contact", initial={"submission_key": secrets.token_hex(16)}
    )
    contact_form.fields["visit"].choices = [("", "—"), *selectors.visit_choices(actor, case)]  # type: ignore[attr-defined]
    return {
        "case": case,
        "contacts": selectors.persuasion_contacts(case),
        "events": selectors.case_events(CaseKind.PERSUASION, case.pk),
        "contact_form": contact_form,
        "close_form": forms.get("close") or PersuasionCloseForm(prefix="close"),
        "can_record": can(actor, Cap.CASE_RECORD) and case.is_open,
        "officers": case.officers.all(),
    }


@login_required
@require_GET
def persuasion_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    case = selectors.persuasion_case_get(actor, pk)
    return render(request, "cases/persuasion_detail.html", _persuasion_context(actor, case))


@login_required
@require_POST
def persuasion_contact(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.CASE_RECORD)
    case = selectors.case_for_step(actor, PersuasionCase, pk)
    form = ContactForm(request.POST, prefix="contact")
    form.fields["visit"].choices = [("", "—"), *selectors.visit_choices(actor, case)]  # type: ignore[attr-defined]
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.persuasion_contact_record(
                actor=actor,
                case_id=case.pk,
                relative=d["relative"],
                relation=d["relation"],
                what=d["what"],
                response=d["response"],
                at=d["at"],
                visit=d["visit"],
                submission_key=d["submission_key"] or None,
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The contact is recorded."))
            return redirect("cases:persuasion_detail", pk=case.pk)
    return render(
        request, "cases/persuasion_detail.html", _persuasion_context(actor, case, contact=form), status=400
    )


@login_required
@require_POST
def persuasion_close(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.CASE_RECORD)
    case = selectors.case_for_step(actor, PersuasionCase, pk)
    form = PersuasionCloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.persuasion_case_close(actor=actor, case_id=case.pk, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The case is closed."))
            return redirect("cases:persuasion_detail", pk=case.pk)
    return render(
        request, "cases/persuasion_detail.html", _persuasion_context(actor, case, close=form), status=400
    )
