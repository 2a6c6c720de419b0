"""Sign-in: password, lock-out, second factor, and the audit rows of each step.

Lock-out is kept on the account itself (a counter and a time), written with the failure's audit
row in one transaction, so that the security administrator's page, the sign-in page and the log
always agree. Wrong one-time codes count like wrong passwords.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.org.codes import AuditAction, ErrorCode
from jingmin.org.models import User
from jingmin.org.roles import requires_second_factor


class Outcome(StrEnum):
    OK = "ok"
    NEEDS_OTP = "needs_otp"
    NEEDS_ENROLMENT = "needs_enrolment"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    INACTIVE = "inactive"
    # Too many failures from this client address: refused before any account is looked at.
    THROTTLED = "throttled"


@dataclass(frozen=True)
class SigninResult:
    outcome: Outcome
    user: User | None = None
    remaining: int | None = None
    locked_until: datetime | None = None


def _register_failure(user: User, reason: str) -> SigninResult:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_signins=F("failed_signins") + 1)
        user.refresh_from_db(fields=["failed_signins", "locked_until"])
        audit_record(actor=user, action=AuditAction.SIGNIN_FAIL, target=user, detail={"reason": reason})
        if user.failed_signins >= settings.SIGNIN_MAX_FAILURES:
            user.locked_until = timezone.now() + timedelta(minutes=settings.SIGNIN_LOCKOUT_MINUTES)
            user.failed_signins = 0
            user.save(update_fields=["locked_until", "failed_signins"])
            audit_record(
                actor=user,
                action=AuditAction.USER_LOCK,
                target=user,
                detail={"until": user.locked_until.isoformat()},
            )
            return SigninResult(Outcome.LOCKED, user, locked_until=user.locked_until)
    return SigninResult(
        Outcome.BAD_CREDENTIALS, user, remaining=settings.SIGNIN_MAX_FAILURES - user.failed_signins
    )


def _address_key(address: str) -> str:
    return f"signin-failures:{address}"


def _address_throttled(address: str) -> bool:
    return bool(address) and cache.get(_address_key(address), 0) >= settings.SIGNIN_ADDRESS_MAX_FAILURES


def _address_failed(address: str) -> None:
    """Count a failure against the client's address, in the shared cache, for a window that starts
    at the first failure (unknown names and wrong passwords alike)."""
    if not address:
        return
    key = _address_key(address)
    if cache.add(key, 1, timeout=settings.SIGNIN_ADDRESS_WINDOW_MINUTES * 60):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=settings.SIGNIN_ADDRESS_WINDOW_MINUTES * 60)


def throttled_message() -> str:
    return _("Too many failed sign-ins from this address. Try again in %(minutes)d minutes.") % {
        "minutes": settings.SIGNIN_ADDRESS_WINDOW_MINUTES
    }


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def signin_check_password(*, username: str, password: str, address: str = "") -> SigninResult:
    """The first step. Nothing is logged in yet; the view completes the sign-in.

    An unknown name and a wrong password get the same answer, after the same work; `address` (the
    client's) is refused outright after too many failures from it, whatever the name."""
    if _address_throttled(address):
        audit_record(
            actor=None, actor_username=username, action="auth.signin_failed", detail={"reason": "throttled"}
        )
        return SigninResult(Outcome.THROTTLED)
    user = User.objects.select_related("unit").filter(username=username).first()
    if user is None:
        # Spend the same time as a real check, so that timing does not tell which names exist.
        User().set_password(password)
        _address_failed(address)
        audit_record(
            actor=None, actor_username=username, action=AuditAction.SIGNIN_FAIL, detail={"reason": "unknown"}
        )
        return SigninResult(Outcome.BAD_CREDENTIALS)
    if user.is_locked():
        # A locked account is refused whatever the password, so the lock cannot be used to test one.
        audit_record(actor=user, action=AuditAction.SIGNIN_FAIL, target=user, detail={"reason": "locked"})
        return SigninResult(Outcome.LOCKED, user, locked_until=user.locked_until)
    if not user.check_password(password):
        _address_failed(address)
        return _register_failure(user, "password")
    if not user.is_active:
        audit_record(actor=user, action=AuditAction.SIGNIN_FAIL, target=user, detail={"reason": "inactive"})
        return SigninResult(Outcome.INACTIVE, user)
    if confirmed_device(user) is not None:
        return SigninResult(Outcome.NEEDS_OTP, user)
    if requires_second_factor(user.role):
        return SigninResult(Outcome.NEEDS_ENROLMENT, user)
    return SigninResult(Outcome.OK, user)


def signin_check_otp(*, user: User, token: str) -> SigninResult:
    if user.is_locked():
        return SigninResult(Outcome.LOCKED, user, locked_until=user.locked_until)
    device = confirmed_device(user)
    if device is None or not device.verify_token(token.strip()):
        return _register_failure(user, "otp")
    return SigninResult(Outcome.OK, user)


def signin_succeeded(*, user: User, second_factor: bool, via: str = "") -> None:
    """Clear the failure count and write the "signed in" row; `via` names a channel other than the
    pages (the API), so that the log tells a token handed to a program from a browser session."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        detail: dict[str, object] = {"otp": second_factor}
        if via:
            detail["via"] = via
        audit_record(actor=user, action=AuditAction.USER_SIGNIN, target=user, detail=detail)


def signout_recorded(*, user: User, reason: str) -> None:
    audit_record(actor=user, action=AuditAction.USER_SIGNOUT, target=user, detail={"reason": reason})


def totp_enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a person is setting up, created once and reused on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


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
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action=AuditAction.OTP_ENROL, target=user)
    return device


def totp_remove(*, user: User) -> None:
    if requires_second_factor(user.role):
        raise ServiceError(_("Administrators must keep a second factor."), code=CommonError.REQUIRED)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(actor=user, action=AuditAction.OTP_REMOVE, target=user)


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
    with transaction.atomic():
        user.set_password(new_password)
        user.password_change_required = False
        user.save(update_fields=["password", "password_change_required"])
        audit_record(actor=user, action=AuditAction.PASSWORD_CHANGE, target=user)
