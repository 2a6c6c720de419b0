"""Names the api adapter gives programs, declared once (error codes of its answers)."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # DRF refused the request with several codes at once (a throttle, a content negotiation).
    ERROR = "error"
    BAD_CREDENTIALS = "bad_credentials"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    LOCKED = "locked"
    OTP_ENROLMENT_REQUIRED = "otp_enrolment_required"
    OTP_REQUIRED = "otp_required"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"
    THROTTLED = "throttled"
