"""Pages of the dispute register: the list with filters, the form, a dispute with its steps, the
attachments and the monthly screening report.

Views read through `selectors` (a dispute outside the scope is a 404) and write through
`services`; a refused write comes back as a `ServiceError` shown beside its field. The role is
checked before the body is read.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.core.paging import counted
from jingmin.disputes import report, rules, selectors, services
from jingmin.disputes.forms import (
    STEP_FORMS,
    AttachForm,
    DisputeForm,
    FilterForm,
    PartyFormSet,
    ReportForm,
)
from jingmin.disputes.models import Dispute, EventAction
from jingmin.org.models import UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.org.selectors import require

LIST_LIMIT = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 18 else None


@login_required
@require_GET
def dispute_list(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.DISPUTE_VIEW)
    form = FilterForm(request.GET or None)
    filters = selectors.DisputeFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.DisputeFilters(
            state=d["state"],
            grade=d["grade"],
            type=d["type"],
            open_only=d["open"],
            overdue=d["overdue"],
            q=d["q"],
        )
    rows = list(selectors.dispute_list(actor, filters)[: LIST_LIMIT + 1])
    return render(
        request,
        "disputes/list.html",
        {
            "form": form,
            "disputes": rows[:LIST_LIMIT],
            "truncated": len(rows) > LIST_LIMIT,
            "total": counted(rows, LIST_LIMIT),
            "can_register": can(actor, Cap.DISPUTE_HANDLE),
            "now": timezone.now(),
        },
    )


def _districts(actor: User) -> list[tuple[int, str]]:
    units = Scope.of(actor).units().filter(kind=UnitKind.DISTRICT).order_by("path")
    return [(u.pk, u.name) for u in units]


@login_required
@require_http_methods(["GET", "POST"])
def dispute_new(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.DISPUTE_HANDLE)
    districts = _districts(actor)
    if request.method == "POST":
        form = DisputeForm(request.POST, request.FILES, districts=districts)
        parties = PartyFormSet(request.POST, prefix="parties")
        if form.is_valid() and parties.is_valid():
            filled = [p.as_input() for p in parties if p.filled()]
            try:
                dispute, _created = services.dispute_register(
                    actor=actor,
                    data=form.as_input(filled),
                    submission_key=form.cleaned_data["submission_key"] or None,
                    files=form.cleaned_data["attachments"],
                )
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(
                    request, _("The dispute %(number)s is registered.") % {"number": dispute.number}
                )
                return redirect("disputes:detail", pk=dispute.pk)
        status = 400
    else:
        initial: dict[str, Any] = {"submission_key": secrets.token_hex(16)}
        source = _source_initial(actor, request.GET)
        initial.update(source)
        if districts and "district" not in initial:
            initial["district"] = actor.unit.pk if actor.unit.kind == UnitKind.DISTRICT else districts[0][0]
        form = DisputeForm(initial=initial, districts=districts)
        parties = PartyFormSet(prefix="parties")
        status = 200
    return render(request, "disputes/new.html", {"form": form, "parties": parties}, status=status)


def _source_initial(actor: User, query: Any) -> dict[str, Any]:
    """What the form starts from when the dispute is raised from an appeal or a visit's news."""
    appeal_id, item_id, signal_id = (
        _int(query.get("appeal")),
        _int(query.get("visit_item")),
        _int(query.get("signal")),
    )
    if appeal_id is not None:
        return selectors.initial_from_appeal(actor=actor, appeal_id=appeal_id)
    if item_id is not None:
        return selectors.initial_from_visit_item(actor=actor, item_id=item_id)
    if signal_id is not None:
        return selectors.initial_from_signal(actor=actor, signal_id=signal_id)
    return {}


@login_required
@require_GET
def party_search(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.DISPUTE_HANDLE)
    people = selectors.party_candidates(actor, request.GET.get("q", "")[:60])
    return render(request, "disputes/_candidates.html", {"people": people})


def _detail_context(actor: User, dispute: Dispute, **forms: Any) -> dict[str, Any]:
    steps = rules.allowed_steps(dispute.state) if can(actor, Cap.DISPUTE_HANDLE) else []
    step_forms = {
        name: forms.get(name) or STEP_FORMS[name](prefix=name) for name in STEP_FORMS if name in steps
    }
    return {
        "dispute": dispute,
        "parties": selectors.parties_of(dispute),
        "mediations": selectors.mediations_of(dispute),
        "events": selectors.events_of(dispute),
        "attachments": selectors.attachments_of(dispute),
        "step_forms": step_forms,
        "attach_form": forms.get("attach") or AttachForm(prefix="attach"),
        "can_attach": EventAction.ATTACH in steps,
        "overdue": dispute.is_open and dispute.deadline < timezone.now(),
    }


@login_required
@require_GET
def dispute_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.DISPUTE_VIEW)
    dispute = selectors.dispute_get(actor, pk)
    return render(request, "disputes/detail.html", _detail_context(actor, dispute))


@login_required
@require_POST
def dispute_step(request: StaffRequest, pk: int, step: str) -> HttpResponse:
    actor = request.user
    require(actor, Cap.DISPUTE_HANDLE)
    if step not in STEP_FORMS:
        raise Http404
    dispute = selectors.dispute_get(actor, pk, audit=False)
    form = STEP_FORMS[step](request.POST, prefix=step)
    if form.is_valid():
        try:
            services.STEP_SERVICES[step](actor=actor, dispute_id=dispute.pk, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("disputes:detail", pk=dispute.pk)
    context = _detail_context(actor, dispute, **{step: form})
    context["open_step"] = step
    return render(request, "disputes/detail.html", context, status=400)


@login_required
@require_POST
def dispute_attach(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.DISPUTE_HANDLE)
    dispute = selectors.dispute_get(actor, pk, audit=False)
    form = AttachForm(request.POST, request.FILES, prefix="attach")
    if form.is_valid():
        try:
            services.dispute_attach(
                actor=actor, dispute_id=dispute.pk, files=form.cleaned_data["attachments"]
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The files are attached."))
            return redirect("disputes:detail", pk=dispute.pk)
    return render(request, "disputes/detail.html", _detail_context(actor, dispute, attach=form), status=400)


@login_required
@require_GET
def attachment(request: StaffRequest, pk: int) -> FileResponse:
    actor = request.user
    require(actor, Cap.DISPUTE_VIEW)
    row = selectors.attachment_get(actor, pk)
    return FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.original_name)


@login_required
@require_GET
def monthly_report(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    actor = request.user
    require(actor, Cap.DISPUTE_VIEW)
    stations = [(s.pk, s.name) for s in report.stations_for(actor)]
    if not stations:
        # Only a station or a unit above one has a report; a police district's officer has none.
        raise Http404
    today = timezone.localdate()
    form = ReportForm(
        request.GET or {"station": stations[0][0], "month": f"{today:%Y-%m}"}, stations=stations
    )
    month_report = None
    if form.is_valid():
        station = report.report_station(actor, form.cleaned_data["station"])
        month: date = form.cleaned_data["month"]
        month_report = report.monthly_report(actor, station, month.replace(day=1))
        if request.GET.get("format") == "xlsx":
            response = StreamingHttpResponse(report.report_workbook(actor, month_report), content_type=XLSX)
            response["Content-Disposition"] = (
                f'attachment; filename="disputes-{station.code}-{month:%Y-%m}.xlsx"'
            )
            return response
    return render(request, "disputes/report.html", {"form": form, "report": month_report})
