"""Pages of help and persuasion cases.

Only the assigned officers and their chain of command see a case; the selectors decide and record
every reading (and every refused one). A step is checked against the same rule before its body is
read; a refused step comes back beside its field.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

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

C = TypeVar("C", HelpCase, PersuasionCase)


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


def _with_visits(form: Form, actor: User, case: HelpCase | PersuasionCase) -> Form:
    """An act or a contact may name the visit it happened on: one of the case's household's."""
    form.fields["visit"].choices = [("", "—"), *selectors.visit_choices(actor, case)]  # type: ignore[attr-defined]
    return form


def _context(
    actor: User, case: HelpCase | PersuasionCase, closing: type[Form], **forms: Form
) -> dict[str, Any]:
    """What both kinds of case page show: the case, its history, and the form to close it."""
    kind = CaseKind.HELP if isinstance(case, HelpCase) else CaseKind.PERSUASION
    return {
        "case": case,
        "events": selectors.case_events(kind, case.pk),
        "close_form": forms.get("close") or closing(prefix="close"),
        "can_record": can(actor, Cap.CASE_RECORD) and case.is_open,
        "officers": case.officers.all(),
    }


def _help_context(actor: User, case: HelpCase, **forms: Form) -> dict[str, Any]:
    act = forms.get("act") or HelpActForm(prefix="act", initial={"submission_key": secrets.token_hex(16)})
    return {
        **_context(actor, case, HelpCloseForm, **forms),
        "acts": selectors.help_acts(case),
        "act_form": _with_visits(act, actor, case),
    }


def _persuasion_context(actor: User, case: PersuasionCase, **forms: Form) -> dict[str, Any]:
    contact = forms.get("contact") or ContactForm(
        prefix="contact", initial={"submission_key": secrets.token_hex(16)}
    )
    return {
        **_context(actor, case, PersuasionCloseForm, **forms),
        "contacts": selectors.persuasion_contacts(case),
        "contact_form": _with_visits(contact, actor, case),
    }


def _step(
    request: StaffRequest,
    pk: int,
    model: type[C],
    key: str,
    form_class: type[Form],
    run: Callable[[User, C, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One step on a case (an act, a contact, closing it): the case's rule is checked before the
    body is read; a refused step comes back beside its field on the case's page."""
    actor = request.user
    require(actor, Cap.CASE_RECORD)
    case = selectors.case_for_step(actor, model, pk)
    form = form_class(request.POST, prefix=key)
    if "visit" in form.fields:
        _with_visits(form, actor, case)
    if form.is_valid():
        try:
            run(actor, case, form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, done)
            name = "help" if isinstance(case, HelpCase) else "persuasion"
            return redirect(f"cases:{name}_detail", pk=case.pk)
    if isinstance(case, HelpCase):
        return render(
            request, "cases/help_detail.html", _help_context(actor, case, **{key: form}), status=400
        )
    context = _persuasion_context(actor, case, **{key: form})
    return render(request, "cases/persuasion_detail.html", context, status=400)


@login_required
@require_GET
def help_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    case = selectors.help_case_get(actor, pk)
    return render(request, "cases/help_detail.html", _help_context(actor, case))


@login_required
@require_POST
def help_act(request: StaffRequest, pk: int) -> HttpResponse:
    def run(actor: User, case: HelpCase, d: dict[str, Any]) -> object:
        return services.help_act_record(
            actor=actor,
            case_id=case.pk,
            what=d["what"],
            outcome=d["outcome"],
            at=d["at"],
            visit=d["visit"],
            submission_key=d["submission_key"] or None,
        )

    return _step(request, pk, HelpCase, "act", HelpActForm, run, _("The act of help is recorded."))


@login_required
@require_POST
def help_close(request: StaffRequest, pk: int) -> HttpResponse:
    def run(actor: User, case: HelpCase, d: dict[str, Any]) -> object:
        return services.help_case_close(actor=actor, case_id=case.pk, **d)

    return _step(request, pk, HelpCase, "close", HelpCloseForm, run, _("The case is closed."))


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


@login_required
@require_GET
def persuasion_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    case = selectors.persuasion_case_get(actor, pk)
    return render(request, "cases/persuasion_detail.html", _persuasion_context(actor, case))


@login_required
@require_POST
def persuasion_contact(request: StaffRequest, pk: int) -> HttpResponse:
    def run(actor: User, case: PersuasionCase, d: dict[str, Any]) -> object:
        return services.persuasion_contact_record(
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

    return _step(request, pk, PersuasionCase, "contact", ContactForm, run, _("The contact is recorded."))


@login_required
@require_POST
def persuasion_close(request: StaffRequest, pk: int) -> HttpResponse:
    def run(actor: User, case: PersuasionCase, d: dict[str, Any]) -> object:
        return services.persuasion_case_close(actor=actor, case_id=case.pk, **d)

    return _step(request, pk, PersuasionCase, "close", PersuasionCloseForm, run, _("The case is closed."))
