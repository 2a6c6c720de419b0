"""Pages of the public portal, and the staff page of notices.

The public pages need no account and show nothing personal. They read through `selectors` and
`statistics` and write through `services`; a refused request is shown beside its field (400), a
hard rate limit as a plain message with the time to come back (429). Every page works without
JavaScript: htmx only spares a reload when a code is requested, and the map is an extra.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingmin.appeals.models import State
from jingmin.appeals.selectors import category_list
from jingmin.appeals.services import TransitionNotAllowed, appeal_follow_up_by_tracking_code
from jingmin.core.crypto import mask
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest, safe_next
from jingmin.org.roles import Cap
from jingmin.org.selectors import require
from jingmin.portal import limits, selectors, services, statistics
from jingmin.portal.forms import (
    CodeRequestForm,
    NoticeForm,
    RatingForm,
    SubmitForm,
    TrackForm,
    WithdrawForm,
)
from jingmin.portal.models import NoticeState

LARGE_COOKIE = "jm_portal_large"
HUMAN_UNTIL_SESSION_KEY = "portal_captcha_until"
SUBMITTED_KEY = "portal_submitted"
NOTICES_PER_PAGE = 20


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {
        "bureau_name": selectors.bureau_name(),
        "large": request.COOKIES.get(LARGE_COOKIE) == "1",
        **context,
    }
    return render(request, template, context, status=status)


# ---------------------------------------------------------------------------------------------
# Captcha: asked for past a soft limit, and then spared for a while


def _captcha_passed(request: HttpRequest) -> bool:
    return time.time() < float(request.session.get(HUMAN_UNTIL_SESSION_KEY, 0))


def _needs_captcha(request: HttpRequest, counters: list[tuple[str, str]]) -> bool:
    if _captcha_passed(request):
        return False
    return any(limits.peek(scope, who).over_soft for scope, who in counters if who)


def _remember_captcha(request: HttpRequest, form: Any) -> None:
    if "captcha" in form.fields and "captcha" in getattr(form, "cleaned_data", {}):
        request.session[HUMAN_UNTIL_SESSION_KEY] = time.time() + settings.PORTAL_CAPTCHA_PASS_MINUTES * 60


# ---------------------------------------------------------------------------------------------
# Home, display preferences, privacy


def home(request: HttpRequest) -> HttpResponse:
    notices = list(selectors.notice_public_list()[:3])
    return _render(request, "portal/home.html", {"notices": notices})


@require_POST
def display(request: HttpRequest) -> HttpResponse:
    """Large text and high contrast (适老化), one tap on every page, kept in a cookie: no script."""
    response = HttpResponseRedirect(
        safe_next(request, reverse("portal:home"), candidate=request.POST.get("next") or "")
    )
    if request.POST.get("large") == "1":
        response.set_cookie(
            LARGE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(LARGE_COOKIE, samesite="Lax")
    return response


def privacy(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/privacy.html", {})


# ---------------------------------------------------------------------------------------------
# Submitting an appeal


def _submit_counters(client: str, phone: str) -> list[tuple[str, str]]:
    return [("submit-ip", client), ("code-ip", client), ("submit-phone", phone), ("code-phone", phone)]


def _initial_from_post(request: HttpRequest) -> dict[str, Any]:
    """What the citizen typed, to show again without judging it (a code was asked for, not the
    whole form sent)."""
    skip = {"csrfmiddlewaretoken", "send_code", "captcha_0", "captcha_1", "code"}
    initial: dict[str, Any] = {k: v for k, v in request.POST.items() if k not in skip}
    for box in ("anonymous", "consent", "in_danger", "urgent"):
        initial[box] = box in request.POST
    return initial


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    client = limits.client_address(request)
    categories = list(category_list())
    stations = selectors.public_stations()
    phone = (
        services.normalise_mobile(request.POST.get("citizen_phone", "")) if request.method == "POST" else ""
    )
    with_captcha = _needs_captcha(request, _submit_counters(client, phone))
    context: dict[str, Any] = {"photos_lost": bool(request.FILES)}
    status = 200
    if request.method == "POST" and "send_code" in request.POST:
        return _send_code(request, client, phone, categories, stations)
    if request.method == "POST":
        form = SubmitForm(
            request.POST, request.FILES, categories=categories, stations=stations, with_captcha=with_captcha
        )
        status = 400
        if form.is_valid():
            _remember_captcha(request, form)
            data = form.cleaned_data
            submission = services.PortalSubmission(
                submission_key=data["submission_key"],
                type=data["type"],
                category=data["category"],
                content=data["content"],
                title=data["title"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                station=data["station"],
                anonymous=data["anonymous"],
                citizen_name=data["citizen_name"],
                citizen_phone=data["citizen_phone"],
                code=data["code"],
                consent=data["consent"],
                photos=data["photos"],
                in_danger=data["in_danger"],
                urgent=data["urgent"],
            )
            try:
                appeal, _created = services.portal_appeal_submit(submission=submission, client=client)
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                request.session[SUBMITTED_KEY] = appeal.tracking_code
                return redirect("portal:submitted")
        else:
            _remember_captcha(request, form)
    else:
        form = SubmitForm(categories=categories, stations=stations, with_captcha=with_captcha)
    context.update(_submit_context(form))
    return _render(request, "portal/submit.html", context, status=status)


def _submit_context(form: SubmitForm) -> dict[str, Any]:
    return {
        "form": form,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "code_minutes": settings.PORTAL_CODE_MINUTES,
    }


def _send_code(
    request: HttpRequest, client: str, phone: str, categories: list[Any], stations: Any
) -> HttpResponse:
    """The "send code" button. With htmx only the third step is swapped in; without, the whole
    page comes back with everything typed so far (photos must be chosen again)."""
    with_captcha = _needs_captcha(request, [("code-ip", client), ("code-phone", phone)])
    code_form = CodeRequestForm(request.POST, with_captcha=with_captcha)
    context: dict[str, Any] = {"photos_lost": bool(request.FILES) and not _is_htmx(request)}
    status = 400
    if code_form.is_valid():
        _remember_captcha(request, code_form)
        try:
            services.portal_code_send(phone=code_form.cleaned_data["citizen_phone"], client=client)
        except services.RateLimited as exc:
            context["code_error"] = exc.message
            status = 429
        except ServiceError as exc:
            context["code_error"] = exc.message
        else:
            context["code_sent"] = _(
                "A code was sent to %(phone)s. Enter it below; it is valid for %(minutes)d minutes."
            ) % {"phone": mask(phone), "minutes": settings.PORTAL_CODE_MINUTES}
            status = 200
    else:
        _remember_captcha(request, code_form)
        context["code_error"] = next(iter(code_form.errors.get("captcha", [])), _("Check the answer below."))
    still_captcha = _needs_captcha(request, _submit_counters(client, phone))
    form = SubmitForm(
        initial=_initial_from_post(request),
        categories=categories,
        stations=stations,
        with_captcha=still_captcha,
    )
    context.update(_submit_context(form))
    return _render(request, "portal/submit.html", context, status=status)


def submitted(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SUBMITTED_KEY)
    if not code:
        return redirect("portal:track")
    return _render(request, "portal/submitted.html", {"code": code})


# ---------------------------------------------------------------------------------------------
# Tracking


def _refused(request: HttpRequest, error: limits.LimitReached) -> HttpResponse:
    message = services.rate_limited(error).message
    return _render(request, "portal/limited.html", {"message": message}, status=429)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The lookup form. The form shown back is always a fresh one (with a fresh captcha when one
    is needed now), the errors of the one posted beside it."""
    client = limits.client_address(request)
    misses = limits.peek("track-miss-ip", client)
    if misses.at_hard:
        return _refused(request, limits.LimitReached(misses))
    errors: dict[str, list[str]] = {}
    status = 200
    typed = request.GET.get("code", "")
    if request.method == "POST":
        status = 400
        typed = request.POST.get("code", "")
        form = TrackForm(request.POST, with_captcha=misses.over_soft and not _captcha_passed(request))
        valid = form.is_valid()
        _remember_captcha(request, form)
        if valid:
            code = selectors.normalise_code(form.cleaned_data["code"])
            if not selectors.is_code(code):
                form.add_error(
                    "code",
                    _("A tracking code has 12 letters and digits (no 0, 1, I, L or O). Please check it."),
                )
            elif selectors.appeal_by_tracking_code(code) is None:
                limits.hit("track-miss-ip", client)
                form.add_error("code", _("No appeal has this tracking code. Please check it and try again."))
            else:
                return redirect("portal:track_detail", code=code)
        errors = {name: [str(t) for t in texts] for name, texts in form.errors.items()}
    return _track_page(request, client, typed, errors, status)


def _track_page(
    request: HttpRequest, client: str, typed: str, errors: dict[str, list[str]], status: int
) -> HttpResponse:
    misses = limits.peek("track-miss-ip", client)
    if misses.at_hard:
        return _refused(request, limits.LimitReached(misses))
    with_captcha = misses.over_soft and not _captcha_passed(request)
    form = TrackForm(initial={"code": typed}, with_captcha=with_captcha)
    return _render(request, "portal/track.html", {"form": form, "errors": errors}, status=status)


def _tracking_context(appeal: Any, rating_form: RatingForm | None = None) -> dict[str, Any]:
    follow_up = selectors.pending_follow_up(appeal)
    target = appeal.merged_into if appeal.state == State.MERGED else None
    answer = selectors.public_answer(appeal)
    return {
        "appeal": appeal,
        "code": appeal.tracking_code,
        "answer": answer,
        "public_state": selectors.public_state(appeal, answer),
        "timeline": selectors.public_timeline(appeal),
        "can_rate": follow_up is not None,
        "rating_form": rating_form or (RatingForm() if follow_up is not None else None),
        "merged_into": target,
        "merged_state": selectors.PUBLIC_STATES[target.state] if target is not None else None,
        "merged_timeline": selectors.public_timeline(target) if target is not None else [],
    }


def _tracked(request: HttpRequest, code: str) -> tuple[Any, HttpResponse | None]:
    """The appeal of a code in the address, or the page to show instead (limit, captcha, miss)."""
    client = limits.client_address(request)
    misses = limits.peek("track-miss-ip", client)
    if misses.at_hard:
        return None, _refused(request, limits.LimitReached(misses))
    if misses.over_soft and not _captcha_passed(request):
        return None, redirect(f"{reverse('portal:track')}?code={code}")
    appeal = selectors.appeal_by_tracking_code(code)
    if appeal is None:
        limits.hit("track-miss-ip", client)
        errors = {"code": [_("No appeal has this tracking code. Please check it and try again.")]}
        return None, _track_page(request, client, code, errors, 404)
    return appeal, None


def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    canonical = selectors.normalise_code(code)
    if canonical != code:
        return redirect("portal:track_detail", code=canonical)
    appeal, other = _tracked(request, code)
    if other is not None:
        return other
    context = _tracking_context(appeal)
    context["rated"] = request.GET.get("rated") == "1" and appeal.state != State.CONCLUDED
    return _render(request, "portal/tracking.html", context)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    appeal, other = _tracked(request, selectors.normalise_code(code))
    if other is not None:
        return other
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            appeal_follow_up_by_tracking_code(code=appeal.tracking_code, **form.cleaned_data)
        except TransitionNotAllowed:
            messages.info(request, _("This appeal has no follow-up waiting for an answer."))
            return redirect("portal:track_detail", code=appeal.tracking_code)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect(f"{reverse('portal:track_detail', args=[appeal.tracking_code])}?rated=1#thanks")
    return _render(request, "portal/tracking.html", _tracking_context(appeal, form), status=400)


# ---------------------------------------------------------------------------------------------
# Notices and statistics (public)


def notices(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notice_public_list(), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "portal/notices.html", {"page": page})


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, "portal/notice.html", {"notice": selectors.notice_public_get(pk)})


def stats(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", statistics.DEFAULT_PERIOD)
    figures = statistics.public_statistics(period)
    rates = [
        ("response", _("Response rate"), figures.response),
        ("resolution", _("Resolution rate"), figures.resolution),
        ("satisfaction", _("Satisfaction rate"), figures.satisfaction),
    ]
    periods = [(key, label) for key, (_days, label) in statistics.PERIODS.items()]
    return _render(request, "portal/stats.html", {"figures": figures, "rates": rates, "periods": periods})


# ---------------------------------------------------------------------------------------------
# Notices (staff)


@login_required
@require_http_methods(["GET", "POST"])
def notice_manage(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.PUBLISH_NOTICES)
    form = NoticeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                row = services.notice_publish(actor=actor, **form.cleaned_data)
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("The notice “%(title)s” is published.") % {"title": row.title})
                return redirect("portal:notice_manage")
    rows = selectors.notice_scope(actor=actor)
    page = Paginator(rows, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/notice_manage.html", {"form": form, "page": page}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    row = selectors.notice_get(actor=actor, pk=pk)
    edit = NoticeForm(initial={"kind": row.kind, "title": row.title, "body": row.body})
    withdraw = WithdrawForm()
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("which") == "withdraw":
            withdraw = WithdrawForm(request.POST)
            if withdraw.is_valid():
                try:
                    services.notice_withdraw(actor=actor, notice_id=row.pk, **withdraw.cleaned_data)
                except ServiceError as exc:
                    form_add_service_error(withdraw, exc)
                else:
                    messages.success(request, _("The notice is withdrawn from the portal."))
                    return redirect("portal:notice_edit", pk=row.pk)
        else:
            edit = NoticeForm(request.POST)
            if edit.is_valid():
                try:
                    services.notice_edit(actor=actor, notice_id=row.pk, **edit.cleaned_data)
                except ServiceError as exc:
                    form_add_service_error(edit, exc)
                else:
                    messages.success(request, _("The changes are published."))
                    return redirect("portal:notice_edit", pk=row.pk)
    context = {
        "notice": row,
        "edit": edit,
        "withdraw": withdraw,
        "published": row.state == NoticeState.PUBLISHED,
        "history": selectors.notice_history(notice=row),
    }
    return render(request, "portal/notice_edit.html", context, status=status)
