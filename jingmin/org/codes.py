"""Names the org domain writes into rows and answers, declared once (audit actions:
`<domain>.<entity>_<verb>`, labelled as the audit page shows them; error codes, each member named
by its code in capitals, the codes other packages share being `jingmin.core.codes.CommonError`)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    USER_SIGNIN = "org.user_signin", _("Signed in")
    SIGNIN_FAIL = "org.signin_fail", _("Failed sign-in")
    USER_LOCK = "org.user_lock", _("Account locked")
    USER_UNLOCK = "org.user_unlock", _("Account unlocked")
    USER_SIGNOUT = "org.user_signout", _("Signed out")
    PASSWORD_CHANGE = "org.password_change", _("Password changed")
    PASSWORD_RESET = "org.password_reset", _("Password reset")
    OTP_ENROL = "org.otp_enrol", _("Second factor set up")
    OTP_REMOVE = "org.otp_remove", _("Second factor removed")
    OTP_RESET = "org.otp_reset", _("Second factor reset")
    UNIT_CREATE = "org.unit_create", _("Unit created")
    USER_CREATE = "org.user_create", _("Account created")
    USER_UPDATE = "org.user_update", _("Account changed")
    ROLE_CHANGE = "org.role_change", _("Role changed")
    UNIT_INTAKE_DESK = "org.unit_intake_desk", _("Command centre made the intake desk")


class ErrorCode(StrEnum):
    WEAK_PASSWORD = "weak_password"
    FORBIDDEN_ROLE = "forbidden_role"
    SELF = "self"
    BAD_PASSWORD = "bad_password"
    PASSWORD_TOO_SIMPLE = "password_too_simple"
