"""Sign-in: password, throttling, second factor, and the audit rows of each step.

No failure ever locks an account for everyone: a stranger who knows a chief's user name must not
be able to keep the chief out. Failures are counted in the shared cache under three keys, all
made from the name as typed (never from whether it exists), so that an unknown name and a wrong
password are treated alike, step for step:

- per client address (any names): past `SIGNIN_CAPTCHA_AFTER` the page asks for the image sum,
  past `SIGNIN_ADDRESS_MAX_FAILURES` the address is refused for the rest of its window;
- per name and address: past `SIGNIN_MAX_FAILURES` that name is refused from that address for
  `SIGNIN_LOCKOUT_MINUTES` — the owner at another address is not touched;
- per name, from anywhere (guessing spread over many addresses): past
  `SIGNIN_ACCOUNT_CAPTCHA_AFTER` every sign-in to that name needs the image sum. That only slows:
  the right password with the sum solved always signs in.

The token endpoint cannot show a picture, so where the page would ask for the sum it answers
"throttled". Wrong one-time codes count like wrong passwords.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service
from jingmin.org.codes import AuditAction, ErrorCode
from jingmin.org.models import User
from jingmin.org.roles import requires_second_factor


class Outcome(StrEnum):
    OK = "ok"
    NEEDS_OTP = "needs_otp"
    NEEDS_ENROLMENT = "needs_enrolment"
    BAD_CREDENTIALS = "bad_credentials"
    INACTIVE = "inactive"
    # Too many failures from this client address: refused before any account is looked at.
    THROTTLED = "throttled"
    # Too many failures for this name from this address: refused there, nowhere else.
    NAME_THROTTLED = "name_throttled"
    # The image sum must be solved before the password is looked at.
    NEEDS_CAPTCHA = "needs_captcha"


@dataclass(frozen=True)
class SigninResult:
    outcome: Outcome
    user: User | None = None
    remaining: int | None = None


def _name_digest(username: str) -> str:
    # A digest keeps arbitrary typed text out of cache keys (length, spaces, characters).
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _address_key(address: str) -> str:
    return f"signin-failures:{address}"


def _account_key(username: str) -> str:
    return f"signin-account:{_name_digest(username)}"


def _generation_key(username: str) -> str:
    return f"signin-generation:{_name_digest(username)}"


def _pair_key(username: str, address: str) -> str:
    # The generation lets the security administrator clear this name's counts at every address at
    # once, without listing the cache's keys.
    generation = cache.get(_generation_key(username), 0)
    return f"signin-pair:{generation}:{_name_digest(username)}:{address}"


def _count(key: str, minutes: int) -> None:
    """Add one failure under `key`, in a window that starts at the first failure."""
    if cache.add(key, 1, timeout=minutes * 60):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=minutes * 60)


def _address_throttled(address: str) -> bool:
    return bool(address) and cache.get(_address_key(address), 0) >= settings.SIGNIN_ADDRESS_MAX_FAILURES


def _name_throttled(username: str, address: str) -> bool:
    return bool(address) and cache.get(_pair_key(username, address), 0) >= settings.SIGNIN_MAX_FAILURES


def _failures_left(username: str, address: str) -> int:
    return max(0, settings.SIGNIN_MAX_FAILURES - cache.get(_pair_key(username, address), 0))


def _failed(username: str, address: str) -> None:
    """Count one failure (unknown name, wrong password or wrong code) under all three keys."""
    if address:
        _count(_address_key(address), settings.SIGNIN_ADDRESS_WINDOW_MINUTES)
        _count(_pair_key(username, address), settings.SIGNIN_LOCKOUT_MINUTES)
    _count(_account_key(username), settings.SIGNIN_LOCKOUT_MINUTES)


def signin_needs_captcha(*, username: str = "", address: str) -> bool:
    """Whether the sign-in must carry the solved image sum: after a few failures from this
    address, or after many for this name from anywhere. Without a name (the empty page) only the
    address is asked."""
    if address and cache.get(_address_key(address), 0) >= settings.SIGNIN_CAPTCHA_AFTER:
        return True
    return bool(username) and cache.get(_account_key(username), 0) >= settings.SIGNIN_ACCOUNT_CAPTCHA_AFTER


@write_service
def signin_counts_clear(*, username: str, address: str | None) -> None:
    """Forget the failures for a name at one address, after its owner signed in there; or, with
    `address=None`, at every address and from anywhere, when the security administrator clears the
    account. An owner's sign-in leaves the count from anywhere running to the end of its window,
    so that guessing spread over many addresses is not given a fresh start by each of them."""
    if address is not None:
        cache.delete(_pair_key(username, address))
        return
    cache.delete(_account_key(username))
    if not cache.add(_generation_key(username), 1, timeout=None):
        cache.incr(_generation_key(username))


def _register_failure(user: User, reason: str, address: str) -> SigninResult:
    _failed(user.username, address)
    with transaction.atomic():
        # Kept on the account for the security administrator to see; it locks nothing.
        User.objects.filter(pk=user.pk).update(failed_signins=F("failed_signins") + 1)
        audit_record(actor=user, action=AuditAction.SIGNIN_FAIL, target=user, detail={"reason": reason})
    return SigninResult(Outcome.BAD_CREDENTIALS, user, remaining=_failures_left(user.username, address))


def throttled_message() -> str:
    return _("Too many failed sign-ins from this address. Try again in %(minutes)d minutes.") % {
        "minutes": settings.SIGNIN_ADDRESS_WINDOW_MINUTES
    }


def name_throttled_message() -> str:
    return _(
        "Too many failed sign-ins to this account from this address. Try again in %(minutes)d minutes, "
        "or ask your security administrator."
    ) % {"minutes": settings.SIGNIN_LOCKOUT_MINUTES}


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@write_service
def signin_check_password(
    *, username: str, password: str, address: str = "", captcha_solved: bool = False
) -> SigninResult:
    """The first step. Nothing is logged in yet; the view completes the sign-in.

    An unknown name and a wrong password get the same answer, after the same work, and count the
    same; see the module's docstring for the limits. `captcha_solved` says the request carried the
    right image sum (the page's form checked it)."""
    if _address_throttled(address):
        audit_record(
            actor=None,
            actor_username=username,
            action=AuditAction.SIGNIN_FAIL,
            detail={"reason": "throttled"},
        )
        return SigninResult(Outcome.THROTTLED)
    if _name_throttled(username, address):
        audit_record(
            actor=None,
            actor_username=username,
            action=AuditAction.SIGNIN_FAIL,
            detail={"reason": "throttled"},
        )
        return SigninResult(Outcome.NAME_THROTTLED)
    if not captcha_solved and signin_needs_captcha(username=username, address=address):
        # Not a failure: the password was not looked at, and nothing is counted.
        return SigninResult(Outcome.NEEDS_CAPTCHA)
    user = User.objects.select_related("unit").filter(username=username).first()
    if user is None:
        # Spend the same time as a real check, so that timing does not tell which names exist.
        User().set_password(password)
        _failed(username, address)
        audit_record(
            actor=None, actor_username=username, action=AuditAction.SIGNIN_FAIL, detail={"reason": "unknown"}
        )
        return SigninResult(Outcome.BAD_CREDENTIALS)
    if not user.check_password(password):
        return _register_failure(user, "password", address)
    if not user.is_active:
        audit_record(actor=user, action=AuditAction.SIGNIN_FAIL, target=user, detail={"reason": "inactive"})
        return SigninResult(Outcome.INACTIVE, user)
    if confirmed_device(user) is not None:
        return SigninResult(Outcome.NEEDS_OTP, user)
    if requires_second_factor(user.role):
        return SigninResult(Outcome.NEEDS_ENROLMENT, user)
    return SigninResult(Outcome.OK, user)


@write_service
def signin_check_otp(*, user: User, token: str, address: str = "") -> SigninResult:
    if _name_throttled(user.username, address):
        return SigninResult(Outcome.NAME_THROTTLED, user)
    device = confirmed_device(user)
    if device is None or not device.verify_token(token.strip()):
        result = _register_failure(user, "otp", address)
        if _name_throttled(user.username, address):
            return SigninResult(Outcome.NAME_THROTTLED, user)
        return result
    return SigninResult(Outcome.OK, user)


@write_service
def signin_succeeded(*, user: User, second_factor: bool, via: str = "", address: str = "") -> None:
    """Clear the failure counts and write the "signed in" row; `via` names a channel other than the
    pages (the API), so that the log tells a token handed to a program from a browser session."""
    signin_counts_clear(username=user.username, address=address)
    User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
    detail: dict[str, object] = {"otp": second_factor}
    if via:
        detail["via"] = via
    audit_record(actor=user, action=AuditAction.USER_SIGNIN, target=user, detail=detail)


@write_service
def signout_recorded(*, user: User, reason: str) -> None:
    audit_record(actor=user, action=AuditAction.USER_SIGNOUT, target=user, detail={"reason": reason})


@write_service
def totp_enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a person is setting up, created once and reused on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@write_service
def totp_confirm(*, user: User, token: str) -> TOTPDevice:
    """Confirm the device being set up with a code from it; only then does it count."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ServiceError(
            _("Start the set-up again: no authenticator is waiting to be confirmed."), field="token"
        )
    if not device.verify_token(token.strip()):
        raise ServiceError(
            _("The code does not match. Check the time on your phone and enter the newest six-digit code."),
            code=CommonError.BAD_OTP,
            field="token",
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=AuditAction.OTP_ENROL, target=user)
    return device


@write_service
def totp_remove(*, user: User) -> None:
    if requires_second_factor(user.role):
        raise ServiceError(_("Administrators must keep a second factor."), code=CommonError.REQUIRED)
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action=AuditAction.OTP_REMOVE, target=user)


@write_service
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ServiceError(
            _("Your current password is not correct."), code=ErrorCode.BAD_PASSWORD, field="old_password"
        )
    if old_password == new_password:
        raise ServiceError(_("Choose a password different from the current one."), field="new_password1")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ServiceError(
            " ".join(exc.messages), code=ErrorCode.WEAK_PASSWORD, field="new_password1"
        ) from exc
    user.set_password(new_password)
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])
    audit_record(actor=user, action=AuditAction.PASSWORD_CHANGE, target=user)
