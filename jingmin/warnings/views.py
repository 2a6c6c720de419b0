"""Pages of early warning: the signals of one's scope, a signal with its evidence and its steps,
and the bureau's lists of risk words."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.core.paging import counted
from jingmin.org.models import User
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require
from jingmin.warnings import selectors, services
from jingmin.warnings.codes import RecordType
from jingmin.warnings.forms import FilterForm, StepForm, WordForm
from jingmin.warnings.models import Signal, Theme

LIST_LIMIT = 200
EVIDENCE_URLS = {
    RecordType.APPEAL: "appeals:detail",
    RecordType.VISIT: "visits:detail",
    RecordType.DISPUTE: "disputes:detail",
}


@login_required
@require_GET
def signal_list(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.SIGNAL_VIEW)
    form = FilterForm(request.GET or {"state": "open"})
    filters = selectors.SignalFilters(state="open")
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.SignalFilters(
            state=d["state"], kind=d["kind"], severity=d["severity"], mine=d["mine"]
        )
    rows = list(selectors.signal_list(actor, filters)[: LIST_LIMIT + 1])
    return render(
        request,
        "warnings/list.html",
        {
            "form": form,
            "signals": rows[:LIST_LIMIT],
            "truncated": len(rows) > LIST_LIMIT,
            "total": counted(rows, LIST_LIMIT),
        },
    )


def _evidence_rows(signal: Signal) -> list[dict[str, Any]]:
    rows = []
    for e in selectors.evidence_of(signal):
        url_name = EVIDENCE_URLS.get(RecordType(e.record_type))
        rows.append({"e": e, "url": reverse(url_name, args=[e.record_id]) if url_name else ""})
    return rows


def _detail_context(actor: User, signal: Signal, form: StepForm | None = None) -> dict[str, Any]:
    steps = [s for s, (sources, _t, _a) in services.STEPS.items() if signal.state in sources]
    return {
        "signal": signal,
        "evidence": _evidence_rows(signal),
        "events": selectors.events_of(signal),
        "steps": steps if can(actor, Cap.SIGNAL_HANDLE) else [],
        "form": form or StepForm(),
        "themes": [Theme(t).label for t in signal.themes if t in Theme.values],
        "can_raise_dispute": can(actor, Cap.DISPUTE_HANDLE),
    }


@login_required
@require_GET
def signal_detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.SIGNAL_VIEW)
    signal = selectors.signal_get(actor, pk)
    return render(request, "warnings/detail.html", _detail_context(actor, signal))


@login_required
@require_POST
def signal_step(request: StaffRequest, pk: int, step: str) -> HttpResponse:
    actor = request.user
    require(actor, Cap.SIGNAL_HANDLE)
    if step not in services.STEPS:
        raise Http404
    signal = selectors.signal_get(actor, pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.signal_step(actor=actor, signal_id=signal.pk, step=step, note=form.cleaned_data["note"])
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("warnings:detail", pk=signal.pk)
    return render(request, "warnings/detail.html", _detail_context(actor, signal, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def words(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.MANAGE_WARNING_SETTINGS)
    form = WordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_word_add(
                actor=actor, theme=form.cleaned_data["theme"], word=form.cleaned_data["word"]
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("The word is added."))
            return redirect("warnings:words")
    by_theme: dict[str, list[Any]] = {}
    for w in selectors.risk_words(actor):
        by_theme.setdefault(w.get_theme_display(), []).append(w)
    status = 400 if request.method == "POST" else 200
    return render(request, "warnings/words.html", {"form": form, "by_theme": by_theme}, status=status)


@login_required
@require_POST
def word_remove(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    require(actor, Cap.MANAGE_WARNING_SETTINGS)
    services.risk_word_remove(actor=actor, word_id=pk)
    messages.success(request, _("The word is removed."))
    return redirect("warnings:words")
