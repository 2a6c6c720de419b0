"""Sign-in, second factor, sign-out and the person's own security page."""

from __future__ import annotations

import time

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest, client_ip, safe_next
from jingmin.org.forms import PasswordChangeForm, SigninForm, TokenForm
from jingmin.org.middleware import LAST_SEEN_KEY
from jingmin.org.models import User
from jingmin.org.roles import requires_second_factor
from jingmin.org.selectors import own_signins, signing_in_user
from jingmin.org.signin import (
    Outcome,
    confirmed_device,
    name_throttled_message,
    password_change,
    signin_check_otp,
    signin_check_password,
    signin_needs_captcha,
    signin_succeeded,
    signout_recorded,
    throttled_message,
    totp_confirm,
    totp_enrolment_device,
    totp_remove,
)

PENDING_KEY = "jm_signin_pending"
PENDING_SECONDS = 300


def _pending_user(request: HttpRequest) -> User | None:
    """The person between the password and the second step, or None (with a message) if that
    step took too long and must start again."""
    pending = request.session.get(PENDING_KEY)
    user = None
    if pending and time.time() - pending["at"] <= PENDING_SECONDS:
        user = signing_in_user(pending["uid"])
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.warning(request, _("The sign-in took too long. Please enter your password again."))
    return user


def _complete(request: HttpRequest, user: User, *, with_otp: bool) -> HttpResponse:
    target = safe_next(
        request,
        reverse("core:home"),
        candidate=request.session.get(PENDING_KEY, {}).get("next") or request.POST.get("next") or "",
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[LAST_SEEN_KEY] = time.time()
    if with_otp:
        device = confirmed_device(user)
        if device is not None:
            otp_login(request, device)
    signin_succeeded(user=user, second_factor=with_otp, address=client_ip(request))
    return redirect(target)


def _captcha_newly_asked(request: HttpRequest, form: SigninForm) -> bool:
    # The picture is asked for on this answer for the first time (the name's count reached its
    # threshold): the password typed was not looked at and must be typed again with the sum.
    return "captcha" in form.errors and "captcha_0" not in request.POST


@never_cache
@sensitive_post_parameters("password")
def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    address = client_ip(request)
    with_captcha = signin_needs_captcha(username=request.POST.get("username", ""), address=address)
    form = SigninForm(request.POST or None, with_captcha=with_captcha)
    if request.method == "POST" and not form.is_valid() and _captcha_newly_asked(request, form):
        form.add_error(None, _("Enter the answer to the sum in the picture, then your password again."))
    elif request.method == "POST" and form.is_valid():
        result = signin_check_password(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            address=address,
            captcha_solved="captcha" in form.cleaned_data,
        )
        user = result.user
        if result.outcome == Outcome.OK and user is not None:
            return _complete(request, user, with_otp=False)
        if result.outcome in (Outcome.NEEDS_OTP, Outcome.NEEDS_ENROLMENT) and user is not None:
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "uid": user.pk,
                "at": time.time(),
                "next": request.POST.get("next", ""),
            }
            step = "org:signin_otp" if result.outcome == Outcome.NEEDS_OTP else "org:signin_enrol"
            return redirect(step)
        if result.outcome == Outcome.INACTIVE:
            form.add_error(None, _("This account has been deactivated. Ask your system administrator."))
        elif result.outcome == Outcome.THROTTLED:
            form.add_error(None, throttled_message())
        elif result.outcome == Outcome.NAME_THROTTLED:
            form.add_error(None, name_throttled_message())
        elif result.outcome == Outcome.NEEDS_CAPTCHA:
            form.add_error(None, _("Enter the answer to the sum in the picture, then your password again."))
        else:
            # The same words for an unknown name and a wrong password: the page tells no one
            # which names exist.
            form.add_error(None, _("Wrong user name or password."))
    # This failure may be the one past the threshold: the next try shows the picture.
    username = request.POST.get("username", "")
    asked = "captcha" in form.fields
    if request.method == "POST" and not asked and signin_needs_captcha(username=username, address=address):
        form.ask_captcha()
    return render(request, "org/signin.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
def signin_otp(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("org:signin")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = signin_check_otp(user=user, token=form.cleaned_data["token"], address=client_ip(request))
        if result.outcome == Outcome.OK:
            return _complete(request, user, with_otp=True)
        if result.outcome == Outcome.NAME_THROTTLED:
            request.session.pop(PENDING_KEY, None)
            messages.error(request, name_throttled_message())
            return redirect("org:signin")
        form.add_error(
            "token",
            _("The code is not correct. %(count)d attempts left from this address.")
            % {"count": result.remaining or 0},
        )
    return render(request, "org/signin_otp.html", {"form": form, "person": user})


def _enrolment_context(user: User) -> dict[str, object]:
    device = totp_enrolment_device(user=user)
    uri = device.config_url
    secret = uri.split("secret=")[1].split("&")[0]
    return {"qr_svg": segno.make(uri, micro=False).svg_inline(scale=4), "secret": secret, "person": user}


@never_cache
def signin_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of an administrator: set up the authenticator before anything else."""
    user = _pending_user(request)
    if user is None:
        return redirect("org:signin")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_confirm(user=user, token=form.cleaned_data["token"])
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            return _complete(request, user, with_otp=True)
    return render(request, "org/signin_enrol.html", {"form": form, **_enrolment_context(user)})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        signout_recorded(user=request.user, reason="user")
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("org:signin")


@login_required
@sensitive_post_parameters()
def password_change_view(request: StaffRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("org:security")
    return render(request, "org/password_change.html", {"form": form})


@login_required
def security(request: StaffRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {
        "device": confirmed_device(user),
        "otp_required": requires_second_factor(user.role),
        "signins": own_signins(actor=user)[:10],
    }
    return render(request, "org/security.html", context)


@login_required
def otp_setup(request: StaffRequest) -> HttpResponse:
    """Any person may add a second factor from their security page."""
    user = request.user
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_confirm(user=user, token=form.cleaned_data["token"])
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            otp_login(request, device)
            messages.success(
                request, _("Your authenticator is set up. You will be asked for a code at each sign-in.")
            )
            return redirect("org:security")
    return render(request, "org/otp_setup.html", {"form": form, **_enrolment_context(user)})


@login_required
@require_POST
def otp_remove(request: StaffRequest) -> HttpResponse:
    try:
        totp_remove(user=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your authenticator has been removed."))
    return redirect("org:security")
