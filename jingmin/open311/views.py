"""The Open311 GeoReport v2 endpoints under /open311/v2/, and the pages that administer them.

The endpoints are plain views without sessions or CSRF: a partner system authenticates by its
`api_key` alone, and reading needs no key at all (the specification's rule). Each endpoint
answers in the format its suffix names (`.xml` or `.json`), errors included, as the
specification's list of `code` and `description`: 400 for a request that cannot be served, 403
for a missing, unknown or revoked key, 404 for what does not exist, 405 for a wrong method.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from jingmin.audit.services import audit_record
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.core.text import clean_text
from jingmin.open311 import present, selectors, services
from jingmin.open311.forms import AttributeForm, PartnerForm, attribute_initial
from jingmin.open311.models import Partner, ServiceAttribute
from jingmin.open311.wire import FORMATS, Open311Error, error_response, respond
from jingmin.org.roles import Cap
from jingmin.org.selectors import require, unit_list

WINDOW = timedelta(days=90)
IDS_MAX = selectors.REQUESTS_LIMIT
_ID = re.compile(r"^[0-9]{1,18}$")
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]*)\](\[\])?$")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """An Open311 endpoint: the suffix's format for every answer, errors and 405 included."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            answer_fmt = fmt if fmt in FORMATS else "xml"
            try:
                if fmt not in FORMATS:
                    raise Open311Error(
                        400,
                        _("The format %(format)s is not offered: end the URL with .xml or .json.")
                        % {"format": fmt},
                    )
                if request.method not in allowed:
                    response = error_response(
                        answer_fmt,
                        Open311Error(
                            405,
                            _("The method %(method)s is not allowed here; use %(allowed)s.")
                            % {"method": request.method, "allowed": ", ".join(methods)},
                        ),
                    )
                    response["Allow"] = ", ".join(sorted(allowed))
                    return response
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return error_response(answer_fmt, exc)
            except (RequestDataTooBig, TooManyFieldsSent):
                # Django's own refusal would be its HTML "Bad Request" page, not the error list.
                return error_response(
                    answer_fmt,
                    Open311Error(
                        413,
                        _("The request body is larger than %(limit)d bytes.")
                        % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
                    ),
                )
            except SuspiciousOperation:
                return error_response(answer_fmt, Open311Error(400, _("The request is malformed.")))

        # Partners post without a browser session, so there is no cookie to forge a request with.
        return csrf_exempt(wrapper)

    return decorate


def _public(response: HttpResponse) -> HttpResponse:
    # Public data, readable by map applications in browsers on other sites.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _partner_or_none(params: QueryDict) -> Partner | None:
    """The partner when a key is passed (optional when reading); a bad key is still refused,
    so that a partner learns at once that its key stopped working."""
    api_key = params.get("api_key", "").strip()
    if not api_key:
        return None
    return _authenticated(api_key)


def _authenticated(api_key: str) -> Partner:
    try:
        return services.partner_authenticate(api_key=api_key)
    except services.ApiKeyRefused as exc:
        raise Open311Error(403, exc.message) from exc


# ---------------------------------------------------------------------------------------------
# Discovery and services


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    payload = present.discovery(selectors.definitions_changed_at())
    return _public(respond(fmt, payload, root="discovery"))


def root(request: HttpRequest) -> HttpResponse:
    """The bare endpoint URL shows the discovery document, as the specification suggests."""
    return discovery(request, fmt="xml")


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    # `has_definition` is the selector's annotation.
    payload = [
        present.service(c, has_definition=bool(getattr(c, "has_definition", False)))
        for c in selectors.services_offered()
    ]
    return _public(respond(fmt, payload, root="services", item="service"))


@endpoint("GET")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    category = services.service_for_code(service_code)
    if category is None:
        raise Open311Error(
            404, _("service_code %(code)s was not found: GET services for the list.") % {"code": service_code}
        )
    payload = present.definition(category, selectors.service_definition(category))
    return _public(respond(fmt, payload, root="service_definition"))


# ---------------------------------------------------------------------------------------------
# Requests


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def request_query(params: QueryDict) -> selectors.RequestQuery:
    """GET requests' arguments, checked; every problem is reported at once."""
    now = timezone.now()
    raw_ids = _split(params.get("service_request_id", ""))
    if raw_ids:
        if not all(_ID.match(part) for part in raw_ids):
            raise Open311Error(
                400, _("service_request_id is a comma-separated list of request ids (digits).")
            )
        if len(raw_ids) > IDS_MAX:
            raise Open311Error(
                400, _("Ask for at most %(max)d service_request_id at once.") % {"max": IDS_MAX}
            )
        return selectors.RequestQuery(start=now, end=now, ids=tuple(int(part) for part in raw_ids))
    problems: list[str] = []
    statuses = _split(params.get("status", ""))
    if any(s not in ("open", "closed") for s in statuses):
        problems.append(_("status is open, closed, or both separated by a comma."))
    bounds = {}
    for name in ("start_date", "end_date"):
        raw = params.get(name, "").strip()
        if raw:
            bounds[name] = services.parse_w3c(raw)
            if bounds[name] is None:
                problems.append(
                    _("%(name)s must be a W3C date and time, such as 2026-11-01T00:00:00+08:00.")
                    % {"name": name}
                )
    start, end = bounds.get("start_date"), bounds.get("end_date")
    if not problems:
        if start is not None and end is not None:
            if end < start:
                problems.append(_("end_date is before start_date."))
            elif end - start > WINDOW:
                problems.append(
                    _(
                        "The window from start_date to end_date spans %(days)s days; it may span at most 90 days. Ask for several windows."
                    )
                    % {"days": f"{(end - start) / timedelta(days=1):.1f}".removesuffix(".0")}
                )
        elif start is not None:
            end = start + WINDOW
        elif end is not None:
            start = end - WINDOW
        else:
            start, end = now - WINDOW, now
    if problems:
        raise Open311Error(400, problems)
    assert start is not None and end is not None
    return selectors.RequestQuery(
        start=start,
        end=end,
        service_codes=tuple(_split(params.get("service_code", ""))),
        statuses=frozenset(statuses),
    )


def _listed(fmt: str, appeals: list[Any], partner: Partner | None) -> HttpResponse:
    own = selectors.service_requests_of(appeals, partner) if partner is not None else {}
    payload = [present.request(appeal, own=own.get(appeal.pk)) for appeal in appeals]
    response = respond(fmt, payload, root="service_requests", item="request")
    if partner is None:
        return _public(response)
    if own:
        # What the partner sent about people, read back: an audited read like any other.
        audit_record(
            actor=None,
            actor_username=f"open311:{partner.name}",
            action="open311.read",
            detail={"partner": partner.pk, "requests": sorted(own)},
        )
    return _private(response)


@endpoint("GET", "POST")
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    partner = _partner_or_none(request.GET)
    appeals = selectors.request_list(query=request_query(request.GET), partner=partner)
    return _listed(fmt, appeals, partner)


def _attributes(post: QueryDict) -> dict[str, list[str]]:
    """`attribute[code]=v` and, for several values, `attribute[code][]=v1&attribute[code][]=v2`."""
    answers: dict[str, list[str]] = {}
    for key in post:
        match = _ATTRIBUTE.match(key)
        if match:
            answers.setdefault(match.group(1), []).extend(clean_text(v) for v in post.getlist(key))
    return answers


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.content_type not in FORM_TYPES:
        raise Open311Error(
            400,
            _(
                "Post the request form-encoded (Content-Type: application/x-www-form-urlencoded; charset=utf-8)."
            ),
        )
    post = request.POST

    def field(name: str) -> str:
        return clean_text(post.get(name, ""))

    partner = _authenticated(post.get("api_key", ""))
    data = services.RequestInput(
        service_code=field("service_code"),
        lat=field("lat"),
        long=field("long"),
        address_string=field("address_string"),
        address_id=field("address_id"),
        email=field("email"),
        device_id=field("device_id"),
        account_id=field("account_id"),
        first_name=field("first_name"),
        last_name=field("last_name"),
        phone=field("phone"),
        description=field("description"),
        media_url=field("media_url"),
        attributes=_attributes(post),
    )
    try:
        record, created = services.service_request_submit(
            partner=partner, data=data, idempotency_key=request.headers.get("Idempotency-Key")
        )
    except services.UnknownService as exc:
        raise Open311Error(404, exc.message) from exc
    except services.RequestRefused as exc:
        raise Open311Error(400, exc.problems) from exc
    payload = [present.created(record, partner)]
    response = _private(respond(fmt, payload, root="service_requests", item="request"))
    if not created:
        response["Idempotent-Replayed"] = "true"
    return response


@endpoint("GET")
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    partner = _partner_or_none(request.GET)
    appeal = (
        selectors.request_get(pk=int(service_request_id), partner=partner)
        if _ID.match(service_request_id)
        else None
    )
    if appeal is None:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": service_request_id})
    return _listed(fmt, [appeal], partner)


@endpoint("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    record = selectors.token_get(token)
    if record is None:
        raise Open311Error(404, _("The token %(token)s was not found.") % {"token": token})
    return _public(respond(fmt, [present.token(record)], root="service_requests", item="request"))


@csrf_exempt
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    fmt = "json" if rest.endswith(".json") else "xml"
    return error_response(
        fmt,
        Open311Error(
            404,
            _(
                "There is no such resource. The endpoints are discovery, services, services/{service_code}, requests, requests/{service_request_id} and tokens/{token}, each ending in .xml or .json."
            ),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Partners' keys (the system administrator)


def _partners_page(request: StaffRequest, form: PartnerForm, status: int = 200) -> HttpResponse:
    rows = list(selectors.partner_list(actor=request.user))
    return render(request, "open311/partners.html", {"partners": rows, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def partners(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.MANAGE_OPEN311)
    units = unit_list(actor=actor)
    if request.method == "GET":
        return _partners_page(request, PartnerForm(units=units))
    form = PartnerForm(request.POST, units=units)
    if form.is_valid():
        try:
            partner, key = services.partner_create(actor=actor, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            # Shown in this answer and nowhere else: no redirect, since the key would have to be
            # kept somewhere (a session, a message cookie) for the next page to show it.
            response = render(request, "open311/partner_key.html", {"partner": partner, "key": key})
            return _private(response)
    return _partners_page(request, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def partner_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    partner = selectors.partner_get(actor=actor, pk=pk)
    if partner is None:
        raise Http404
    if request.method == "POST":
        try:
            services.partner_revoke(actor=actor, partner=partner)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The key of %(name)s is revoked; its requests are refused from now on.")
                % {"name": partner.name},
            )
        return redirect("open311:partners")
    return render(request, "open311/partner_revoke.html", {"partner": partner})


# ---------------------------------------------------------------------------------------------
# Service definitions (the system administrator, with the other appeal settings)


@login_required
def service_settings(request: StaffRequest) -> HttpResponse:
    rows = selectors.service_settings_list(actor=request.user)
    return render(request, "open311/services.html", {"categories": rows})


def _attribute_page(
    request: StaffRequest,
    category: Any,
    *,
    new_form: AttributeForm | None = None,
    failed: tuple[int, AttributeForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    items: list[dict[str, Any]] = []
    rows = selectors.service_definition(category)
    for row in rows:
        if failed is not None and failed[0] == row.pk:
            items.append({"attribute": row, "form": failed[1], "open": True})
        else:
            form = AttributeForm(prefix=f"a{row.pk}", initial=attribute_initial(row))
            items.append({"attribute": row, "form": form, "open": False})
    next_order = max((row.order for row in rows), default=0) + 1
    context = {
        "category": category,
        "items": items,
        "new_form": new_form or AttributeForm(prefix="new", initial={"order": next_order, "variable": True}),
    }
    return render(request, "open311/service_attributes.html", context, status=status)


def _attribute_input(form: AttributeForm) -> services.AttributeInput:
    data = form.cleaned_data
    return services.AttributeInput(
        code=data["code"],
        datatype=data["datatype"],
        description=data["description"],
        order=data["order"],
        required=data["required"],
        variable=data["variable"],
        datatype_description=data["datatype_description"],
        values=data["values"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_attributes(request: StaffRequest, code: str) -> HttpResponse:
    actor = request.user
    category = selectors.service_settings_list(actor=actor).filter(code=code).first()
    if category is None:
        raise Http404
    if request.method == "GET":
        return _attribute_page(request, category)
    action = request.POST.get("form", "")
    if action == "create":
        form = AttributeForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                added = services.attribute_save(actor=actor, category=category, data=_attribute_input(form))
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("Question %(code)s added.") % {"code": added.code})
                return redirect("open311:service_attributes", code=code)
        return _attribute_page(request, category, new_form=form, status=400)
    raw_pk = request.POST.get("attribute", "")
    row = (
        ServiceAttribute.objects.filter(pk=int(raw_pk), category=category).first()
        if raw_pk.isdigit()
        else None
    )
    if row is None:
        raise Http404
    if action == "delete":
        services.attribute_delete(actor=actor, attribute=row)
        messages.success(request, _("Question %(code)s removed.") % {"code": row.code})
        return redirect("open311:service_attributes", code=code)
    if action != "update":
        raise Http404
    form = AttributeForm(request.POST, prefix=f"a{row.pk}")
    if form.is_valid():
        try:
            services.attribute_save(
                actor=actor, category=category, data=_attribute_input(form), attribute=row
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Question %(code)s saved.") % {"code": row.code})
            return redirect("open311:service_attributes", code=code)
    return _attribute_page(request, category, failed=(row.pk, form), status=400)
