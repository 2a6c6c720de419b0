"""The routing page (models, their evaluation, the figures) and the intake form's suggestions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingmin.appeals.models import Urgency
from jingmin.appeals.urgency import suggest as urgency_suggest
from jingmin.core.errors import ServiceError
from jingmin.core.http import StaffRequest
from jingmin.org.models import Unit, UnitKind
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require, unit_list
from jingmin.routing import selectors, services
from jingmin.routing.duplicates import likely_duplicates
from jingmin.routing.suggest import suggestion_for

VERSIONS_SHOWN = 30


@login_required
def index(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.ROUTING_VIEW)
    active = selectors.active_model(actor=actor)
    evaluation = active.evaluation if active else {}
    context = {
        "active": active,
        "category_eval": selectors.evaluation_view(evaluation.get("category"), kind="category"),
        "unit_eval": selectors.evaluation_view(evaluation.get("unit"), kind="unit"),
        "versions": list(selectors.model_list(actor=actor)[:VERSIONS_SHOWN]),
        "months": selectors.figures_by_month(actor=actor),
        "can_manage": can(actor, Cap.ROUTING_MANAGE),
        "min_confidence": settings.ROUTING_MIN_CONFIDENCE,
    }
    return render(request, "routing/index.html", context)


@login_required
def model_detail(request: StaffRequest, version: int) -> HttpResponse:
    actor = request.user
    row = selectors.model_get(actor=actor, version=version)
    context = {
        "model": row,
        "category_eval": selectors.evaluation_view(row.evaluation.get("category"), kind="category"),
        "unit_eval": selectors.evaluation_view(row.evaluation.get("unit"), kind="unit"),
        "can_manage": can(actor, Cap.ROUTING_MANAGE),
    }
    return render(request, "routing/model.html", context)


@login_required
@require_POST
def retrain(request: StaffRequest) -> HttpResponse:
    services.routing_retrain_request(actor=request.user)
    messages.success(
        request, _("Retraining is queued. The new version appears here and becomes active when it is done.")
    )
    return redirect("routing:index")


@login_required
@require_POST
def activate(request: StaffRequest, version: int) -> HttpResponse:
    try:
        services.routing_model_activate(actor=request.user, version=version)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Version %(version)d is active: the intake form suggests with it.") % {"version": version},
        )
    return redirect("routing:index")


def _district(request: StaffRequest) -> Unit | None:
    raw = request.POST.get("district", "")
    if not raw.isdigit():
        return None
    return unit_list(actor=request.user).filter(pk=int(raw), kind=UnitKind.DISTRICT, is_active=True).first()


@login_required
@require_POST
def suggest(request: StaffRequest) -> HttpResponse:
    """The suggested category and unit, and the likely duplicates, while the clerk types (POST:
    the citizen's words do not belong in a URL or an access log)."""
    actor = request.user
    require(actor, Cap.APPEAL_INTAKE)
    title = request.POST.get("title", "")[:120]
    content = request.POST.get("content", "")[:5000]
    address = request.POST.get("address", "")[:200]
    district = _district(request)
    suggestion = suggestion_for(actor=actor, title=title, content=content, address=address, district=district)
    duplicates = likely_duplicates(
        actor=actor,
        title=title,
        content=content,
        address=address,
        citizen_phone=request.POST.get("citizen_phone", "")[:40],
        district=district,
    )
    urgency = urgency_suggest(
        f"{title}\n{content}", registered=request.POST.get("urgency", "") or Urgency.GENERAL
    )
    return render(
        request,
        "routing/_suggest.html",
        {"suggestion": suggestion, "duplicates": duplicates, "district": district, "urgency": urgency},
    )
