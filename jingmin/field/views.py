"""The field app: its shell page, manifest and service worker, the copy it keeps, and the one
endpoint its queue sends records to.

The shell is the same for every officer (it sits in the phone's Cache Storage): it holds no name,
no district and no token. Everything personal reaches the phone as JSON from `session` and
`copy` and is kept in IndexedDB only, where sign-out, the idle time-out and the expiry delete it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseFormSet
from django.forms import Form as DjangoForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jingmin.appeals.forms import ConcludeForm, ContactForm, IntakeForm, SignForm
from jingmin.appeals.models import Action, Channel
from jingmin.appeals.selectors import category_list
from jingmin.appeals.services import TransitionNotAllowed
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.http import StaffRequest
from jingmin.field import selectors, services, shell
from jingmin.field.codes import ErrorCode, RecordType
from jingmin.field.forms import EnvelopeForm
from jingmin.ledger import selectors as ledger
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require, units_by_ids
from jingmin.visits.coverage import mask_name
from jingmin.visits.forms import VisitForm, filled_rows, visit_formsets, visit_input

NO_STORE = {"Cache-Control": "no-store"}

JsonView = Callable[..., JsonResponse]


def _answer(http_status: int, /, **body: Any) -> JsonResponse:
    return JsonResponse(body, status=http_status, headers=NO_STORE, json_dumps_params={"ensure_ascii": False})


def field_api(view: JsonView) -> JsonView:
    """JSON endpoints of the app: a person signed out gets 401 (the app then deletes its copy and
    asks them to sign in), a role without visits 403, both as JSON the app can read."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if not request.user.is_authenticated:
            return _answer(
                401, status="signed_out", code=ErrorCode.SIGNED_OUT, detail=_("Please sign in again.")
            )
        if not can(request.user, Cap.VISIT_RECORD):
            return _answer(
                403,
                status="refused",
                code=CommonError.PERMISSION_DENIED,
                detail=_("The field app is for those who record visits."),
            )
        return view(request, *args, **kwargs)

    return wrapped


# ---------------------------------------------------------------------------------------------
# Shell, manifest, service worker


@login_required
@require_GET
def app(request: StaffRequest) -> HttpResponse:
    require(request.user, Cap.VISIT_RECORD)
    context = {
        "strings": shell.strings(),
        "choices": shell.choices(),
        "worker_url": reverse("field:worker"),
    }
    response = render(request, "field/app.html", context)
    # The service worker keeps its own copy; the browser's cache must not serve an old one.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    start = reverse("field:app")
    body = {
        "name": _("Jingmin field app"),
        "short_name": _("Jingmin field"),
        "description": _("Visits, appeals and my work, with or without a network."),
        "lang": "zh-CN",
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e8c",
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type="application/manifest+json; charset=utf-8",
    )


@require_GET
def worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /field/ so that its scope covers the app. Its first line
    names the version of the shell: a new version makes the browser install it and drop the old
    cache."""
    response = HttpResponse(shell.worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("field:app")
    return response


# ---------------------------------------------------------------------------------------------
# The session and the copy


@require_GET
@field_api
def session(request: StaffRequest) -> JsonResponse:
    actor = request.user
    return _answer(
        200,
        user={"id": actor.pk, "name": actor.full_name, "unit": actor.unit.name},
        csrf=get_token(request),
        idle_minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES,
        cache_days=settings.FIELD_CACHE_DAYS,
        districts=[{"id": d.pk, "name": d.name} for d in selectors.field_districts(actor)],
        can_handle=can(actor, Cap.APPEAL_HANDLE),
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 18 else None


@require_GET
@field_api
def copy(request: StaffRequest) -> JsonResponse:
    actor = request.user
    raw = request.GET.get("district")
    district = selectors.field_district(actor, _int(raw) if raw else None)
    body = selectors.field_copy(actor=actor, district=district)
    services.copy_taken(actor=actor, district=district, copy=body)
    return _answer(200, **body)


# ---------------------------------------------------------------------------------------------
# Sync: one record a request


def _errors_of(form: DjangoForm, prefix: str = "") -> dict[str, list[str]]:
    return {
        (f"{prefix}.{name}" if prefix else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


def _formset_errors(formset: BaseFormSet, name: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for i, row in enumerate(formset.forms):
        errors.update(_errors_of(row, f"{name}.{i}"))
    if formset.non_form_errors():
        errors[name] = [str(m) for m in formset.non_form_errors()]
    return errors


def _refused(errors: dict[str, list[str]]) -> JsonResponse:
    field, messages = next(iter(errors.items()))
    name = None if field == "__all__" else field
    return _answer(
        400, status="refused", code=CommonError.INVALID, detail=messages[0], field=name, errors=errors
    )


def _sync_visit(request: StaffRequest, envelope: dict[str, Any]) -> JsonResponse:
    actor = request.user
    data = request.POST.copy()
    # The form wants a key; the service is given the client's id as the key instead.
    data["submission_key"] = str(envelope["client_id"])
    form = VisitForm(data, request.FILES)
    household = _int(data.get("household"))
    people: list[tuple[int, str]] = []
    if household is not None:
        members = ledger.household_members(ledger.household_get(actor, household))
        people = [(p.pk, mask_name(p.name)) for p in members]
    items, follow_ups = visit_formsets(data, people)
    if not (form.is_valid() and items.is_valid() and follow_ups.is_valid()):
        return _refused(
            _errors_of(form) | _formset_errors(items, "items") | _formset_errors(follow_ups, "follow_ups")
        )
    visit, created = services.field_visit_record(
        actor=actor,
        data=visit_input(form, filled_rows(items), filled_rows(follow_ups)),
        client_id=envelope["client_id"],
        seen_version=envelope["household_version"],
        photos=form.cleaned_data["photos"],
    )
    return _answer(
        201 if created else 200,
        status="created" if created else "already",
        id=visit.pk,
        url=reverse("visits:detail", args=[visit.pk]),
    )


def _sync_appeal(request: StaffRequest, envelope: dict[str, Any]) -> JsonResponse:
    actor = request.user
    data = request.POST.copy()
    data["submission_key"] = str(envelope["client_id"])
    data["channel"] = Channel.VISIT
    districts = [d.pk for d in selectors.field_districts(actor)]
    form = IntakeForm(
        data,
        request.FILES,
        categories=category_list(),
        districts=units_by_ids(districts),
        dispatch_units=units_by_ids([]),
    )
    if not form.is_valid():
        return _refused(_errors_of(form))
    appeal, created = services.field_appeal_register(
        actor=actor,
        data=form.appeal_input(),
        client_id=envelope["client_id"],
        files=form.cleaned_data["files"],
    )
    return _answer(
        201 if created else 200,
        status="created" if created else "already",
        id=appeal.pk,
        tracking_code=appeal.tracking_code,
        url=reverse("appeals:detail", args=[appeal.pk]),
    )


STEP_FORMS: dict[str, type[DjangoForm]] = {
    Action.SIGN: SignForm,
    Action.CONTACT: ContactForm,
    Action.CONCLUDE: ConcludeForm,
}


def _sync_step(request: StaffRequest, envelope: dict[str, Any]) -> JsonResponse:
    actor = request.user
    appeal_id, step = envelope["appeal"], envelope["step"]
    if appeal_id is None or not step:
        return _refused({"step": [_("Name the appeal and the step.")]})
    if not can(actor, Cap.APPEAL_HANDLE):
        raise PermissionDenied
    form = STEP_FORMS[step](request.POST, request.FILES)
    if not form.is_valid():
        return _refused(_errors_of(form))
    services.field_step(
        actor=actor, appeal_id=appeal_id, step=step, data=form.cleaned_data, client_id=envelope["client_id"]
    )
    return _answer(200, status="done", appeal=selectors.appeal_now(actor=actor, appeal_id=appeal_id))


SYNC: dict[str, Callable[[StaffRequest, dict[str, Any]], JsonResponse]] = {
    RecordType.VISIT: _sync_visit,
    RecordType.APPEAL: _sync_appeal,
    RecordType.STEP: _sync_step,
}


@require_POST
@field_api
def sync(request: StaffRequest) -> JsonResponse:
    """One record from the phone's queue. 201 created, 200 already there (a record sent again),
    400 refused with the reason and the field, 409 a conflict with how things are now, 403/404
    not the officer's to do or to see."""
    envelope_form = EnvelopeForm(request.POST)
    if not envelope_form.is_valid():
        return _refused(_errors_of(envelope_form))
    envelope = envelope_form.cleaned_data
    try:
        return SYNC[envelope["record"]](request, envelope)
    except services.HouseholdChanged as exc:
        return _answer(
            409, status="conflict", code=exc.code, detail=exc.message, field=exc.field, current=exc.current
        )
    except TransitionNotAllowed as exc:
        current = selectors.appeal_now(actor=request.user, appeal_id=envelope["appeal"])
        return _answer(409, status="conflict", code=exc.code, detail=exc.message, current=current)
    except ServiceError as exc:
        return _answer(400, status="refused", code=exc.code, detail=exc.message, field=exc.field)
    except Http404:
        return _answer(
            404,
            status="refused",
            code=CommonError.NOT_FOUND,
            detail=_("This household or appeal is not in your scope (any more)."),
        )
    except PermissionDenied:
        return _answer(
            403,
            status="refused",
            code=CommonError.PERMISSION_DENIED,
            detail=_("You may not do this (any more): the appeal is no longer with your unit."),
        )
