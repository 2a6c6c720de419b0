"""Every change the public portal makes: verification codes, citizens' appeals, notices.

Citizens have no account, so the appeal services are called with `actor=None` and the portal's
own rules come first: the hard rate limits (counted inside the transaction of the act, so that a
refused or failed act is not counted and nothing is half-saved), the SMS code that proves a phone
number, and the consent to the privacy notice.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jingmin.appeals.models import Appeal, AppealType, Category, Channel
from jingmin.appeals.services import AppealInput, appeal_register, normalise_phone
from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.crypto import lookup_hash
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service, write_steps
from jingmin.evaluation.models import Response as SurveyResponse
from jingmin.evaluation.models import Survey
from jingmin.evaluation.services import survey_answer
from jingmin.notify.services import public_link, sms_notify
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.portal import limits
from jingmin.portal.codes import AuditAction, ErrorCode
from jingmin.portal.models import Notice, NoticeKind, NoticeRevision, NoticeState, PhoneCode

# A mainland mobile number: the code goes by SMS, which a landline cannot receive.
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
TITLE_FROM_TEXT = 30


class RateLimited(ServiceError):
    """A hard limit is reached; the message says until when (the pages answer 429)."""

    def __init__(self, message: str, retry_at: datetime) -> None:
        super().__init__(message, code=ErrorCode.RATE_LIMITED)
        self.retry_at = retry_at


def local_time(value: datetime) -> str:
    """2026年11月29日 14:30 in Chinese, the page language's own format otherwise."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


_LIMIT_MESSAGES = {
    "submit-ip": lambda: _(
        "Many appeals have been submitted from your network in a short time. You can submit again "
        "after %(time)s. In an emergency, call 110."
    ),
    "submit-phone": lambda: _(
        "This phone number has submitted the most appeals allowed in one day. You can submit again "
        "after %(time)s. In an emergency, call 110."
    ),
    "code-ip": lambda: _(
        "Many codes have been requested from your network in a short time. You can ask for a code "
        "again after %(time)s."
    ),
    "code-phone": lambda: _(
        "This phone number has received the most codes allowed in one day. You can ask for a code "
        "again after %(time)s."
    ),
    "survey-ip": lambda: _(
        "Many surveys have been answered from your network in a short time. You can answer again "
        "after %(time)s."
    ),
    "survey-device": lambda: _(
        "This phone has answered the most surveys allowed in one day. You can answer again after %(time)s."
    ),
    "track-miss-ip": lambda: _(
        "Too many tracking codes that do not exist were tried from your network. You can look up "
        "again after %(time)s."
    ),
}


def rate_limited(error: limits.LimitReached) -> RateLimited:
    message = _LIMIT_MESSAGES[error.count.limit.scope]() % {"time": local_time(error.retry_at)}
    return RateLimited(message, error.retry_at)


def normalise_mobile(raw: str) -> str:
    phone = normalise_phone(raw)
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix):
            phone = phone[len(prefix) :]
    return phone


def check_mobile(raw: str, field: str = "citizen_phone") -> str:
    phone = normalise_mobile(raw)
    if not _MOBILE.match(phone):
        raise ServiceError(
            _("Enter a mobile number of 11 digits starting with 1: the code is sent to it by SMS."),
            code=ErrorCode.INVALID_PHONE,
            field=field,
        )
    return phone


# ---------------------------------------------------------------------------------------------
# The SMS verification code


def _code_hash(phone: str, code: str) -> str:
    return lookup_hash(f"portal-code:{phone}:{code}")


@write_service
def portal_code_send(*, phone: str, client: str) -> PhoneCode:
    """Send a new six-digit code to `phone`; it replaces any earlier one of that number."""
    phone = check_mobile(phone)
    phone_hash = lookup_hash(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    try:
        with transaction.atomic():
            limits.hit_within("code-ip", client)
            # Counted before the cool-down is checked: the counter's row lock makes two taps at
            # once wait for each other, and the second then sees the first one's code.
            limits.hit_within("code-phone", phone)
            now = timezone.now()
            latest = PhoneCode.objects.filter(phone_hash=phone_hash).order_by("-created_at").first()
            wait = timedelta(seconds=settings.PORTAL_CODE_RESEND_SECONDS)
            if latest is not None and latest.used_at is None and now < latest.created_at + wait:
                seconds = int((latest.created_at + wait - now).total_seconds()) + 1
                raise ServiceError(
                    _("A code was sent a moment ago. You can ask for a new one in %(seconds)d seconds.")
                    % {"seconds": seconds},
                    code=ErrorCode.COOLDOWN,
                    field="citizen_phone",
                )
            row = PhoneCode.objects.create(
                phone_hash=phone_hash,
                code_hash=_code_hash(phone, code),
                created_at=now,
                expires_at=now + timedelta(minutes=settings.PORTAL_CODE_MINUTES),
            )
            sms_notify(
                phone=phone,
                text=_(
                    "[Jingmin] Your verification code is %(code)s, valid for %(minutes)d minutes. "
                    "Do not tell it to anyone: the police never ask for it."
                )
                % {"code": code, "minutes": settings.PORTAL_CODE_MINUTES},
            )
    except limits.LimitReached as exc:
        raise rate_limited(exc) from exc
    return row


def _code_error(message: str, code: str) -> ServiceError:
    return ServiceError(message, code=code, field="code")


def _check_code(*, phone: str, code: str, submission_key: str) -> PhoneCode:
    """The phone's newest code, if `code` is it; a wrong try is counted and stays counted."""
    code = re.sub(r"\s", "", code or "")
    row = PhoneCode.objects.filter(phone_hash=lookup_hash(phone)).order_by("-created_at").first()
    if row is None:
        raise _code_error(
            _("Tap “Send code” and enter the code you receive by SMS."), ErrorCode.CODE_REQUIRED
        )
    if not code:
        raise _code_error(_("Enter the code you received by SMS."), ErrorCode.CODE_REQUIRED)
    if row.used_at is not None and row.used_for != submission_key:
        raise _code_error(_("This code has been used already. Ask for a new one."), ErrorCode.CODE_USED)
    if row.expires_at <= timezone.now():
        raise _code_error(_("The code has expired. Ask for a new one."), ErrorCode.CODE_EXPIRED)
    if row.attempts >= settings.PORTAL_CODE_MAX_ATTEMPTS:
        raise _code_error(
            _("The code was entered wrongly too many times. Ask for a new one."), ErrorCode.CODE_LOCKED
        )
    if not secrets.compare_digest(row.code_hash, _code_hash(phone, code)):
        # Counted in its own statement, outside the submission's transaction: a wrong try must
        # stay counted although the submission fails.
        PhoneCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        left = settings.PORTAL_CODE_MAX_ATTEMPTS - row.attempts - 1
        if left <= 0:
            raise _code_error(
                _("The code was entered wrongly too many times. Ask for a new one."), ErrorCode.CODE_LOCKED
            )
        raise _code_error(
            _("The code is not right. You can try %(count)d more times.") % {"count": left},
            ErrorCode.CODE_WRONG,
        )
    return row


def _use_code(row: PhoneCode, submission_key: str, now: datetime) -> None:
    locked = PhoneCode.objects.select_for_update().get(pk=row.pk)
    if locked.used_at is not None and locked.used_for != submission_key:
        raise _code_error(_("This code has been used already. Ask for a new one."), ErrorCode.CODE_USED)
    locked.used_at = locked.used_at or now
    locked.used_for = submission_key
    locked.save(update_fields=["used_at", "used_for"])


# ---------------------------------------------------------------------------------------------
# The citizen's appeal


@dataclass(frozen=True)
class PortalSubmission:
    submission_key: str
    type: str
    category: Category | None
    content: str
    title: str = ""
    address: str = ""
    latitude: Any = None
    longitude: Any = None
    station: Unit | None = None
    anonymous: bool = False
    citizen_name: str = ""
    citizen_phone: str = ""
    code: str = ""
    consent: bool = False
    photos: Sequence[UploadedFile] = ()
    in_danger: bool = False
    urgent: bool = False


def title_from_text(text: str) -> str:
    """A short title from the citizen's own words: the first line, cut at a readable length."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= TITLE_FROM_TEXT else first[: TITLE_FROM_TEXT - 1] + "…"


def portal_intake_unit(station: Unit | None) -> Unit | None:
    """The station the citizen chose, or the portal's receiving unit, or the root of the tree
    (which `appeal_register` hands to the intake desk, the command centre)."""
    if station is not None:
        return station
    if settings.PORTAL_INTAKE_UNIT:
        unit = Unit.objects.filter(code=settings.PORTAL_INTAKE_UNIT, is_active=True).first()
        if unit is not None:
            return unit
    return Unit.objects.filter(parent__isnull=True).first()


class _AlreadyThere(Exception):
    """A twin submission committed first: roll back what this one counted, answer with the twin's."""

    def __init__(self, appeal: Appeal) -> None:
        super().__init__(appeal.pk)
        self.appeal = appeal


@write_steps
def portal_appeal_submit(*, submission: PortalSubmission, client: str) -> tuple[Appeal, bool]:
    """Register a citizen's appeal from the portal; returns it and whether it was created now.

    A repeated `submission_key` (a second tap, a reload of the post) returns the first appeal and
    counts nothing. Nothing is saved unless everything is accepted: the limits, the code, the
    appeal's fields and every photo; but a wrong code, counted on its own before the submission's
    transaction, stays counted (so this service commits in two steps).
    """
    s = submission
    key = s.submission_key
    existing = Appeal.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, False
    if s.type not in AppealType.values:
        raise ServiceError(_("Choose what kind of request this is."), code=CommonError.REQUIRED, field="type")
    if s.station is not None and (s.station.kind != UnitKind.STATION or not s.station.is_active):
        raise ServiceError(
            _("Choose one of the police stations listed."), code=CommonError.INVALID, field="station"
        )
    if not s.consent:
        raise ServiceError(
            _(
                "Please read the privacy notice and tick the box to agree; we cannot accept the appeal without it."
            ),
            code=CommonError.CONSENT_REQUIRED,
            field="consent",
        )
    name = (s.citizen_name or "").strip()
    phone = normalise_mobile(s.citizen_phone)
    if s.anonymous and (name or phone):
        raise ServiceError(
            _("An anonymous appeal carries no name and no phone number. Clear them, or untick “anonymous”."),
            code=ErrorCode.ANONYMOUS_WITH_IDENTITY,
            field="anonymous",
        )
    if len(s.photos) > settings.PORTAL_MAX_PHOTOS:
        raise ServiceError(
            _("At most %(count)d photos can be attached.") % {"count": settings.PORTAL_MAX_PHOTOS},
            code=CommonError.TOO_MANY_FILES,
            field="photos",
        )
    code_row = None
    if phone:
        phone = check_mobile(phone)
        code_row = _check_code(phone=phone, code=s.code, submission_key=key)
    content = (s.content or "").strip()
    title = (s.title or "").strip() or title_from_text(content)
    data = AppealInput(
        channel=Channel.WEB,
        type=s.type,
        category=s.category,
        title=title,
        content=content,
        address=s.address,
        latitude=s.latitude,
        longitude=s.longitude,
        anonymous=s.anonymous,
        citizen_name=name,
        citizen_phone=phone,
        phone_verified=code_row is not None,
        consent_at=timezone.now(),
        in_danger=s.in_danger,
        citizen_urgent=s.urgent,
    )
    try:
        with transaction.atomic():
            limits.hit_within("submit-ip", client)
            if phone:
                limits.hit_within("submit-phone", phone)
            if code_row is not None:
                _use_code(code_row, key, timezone.now())
            appeal, created = appeal_register(
                actor=None,
                data=data,
                intake_unit=portal_intake_unit(s.station),
                submission_key=key,
                files=list(s.photos),
            )
            if not created:
                raise _AlreadyThere(appeal)
            if appeal.phone_verified:
                # The receipt: the code to read out and the page to follow it on, to the phone
                # the citizen just confirmed (queued, sent once the appeal is committed).
                sms_notify(
                    phone=appeal.citizen_phone,
                    text=_(
                        "[Jingmin] Your appeal is registered. Tracking code %(code)s; follow it at %(link)s"
                    )
                    % {
                        "code": appeal.tracking_code,
                        "link": public_link(reverse("portal:track_detail", args=[appeal.tracking_code])),
                    },
                )
    except limits.LimitReached as exc:
        raise rate_limited(exc) from exc
    except _AlreadyThere as twin:
        return twin.appeal, False
    except ServiceError as exc:
        # The appeal service names its own field for the attachments; the portal calls them photos.
        if exc.field == "files":
            exc.field = "photos"
        raise
    return appeal, True


# ---------------------------------------------------------------------------------------------
# Notices (宣传)


def _notice_text(kind: str, title: str, body: str) -> tuple[str, str, str]:
    if kind not in NoticeKind.values:
        raise ServiceError(_("Choose the kind of notice."), code=CommonError.REQUIRED, field="kind")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ServiceError(_("The title is required."), code=CommonError.REQUIRED, field="title")
    if len(title) > 120:
        raise ServiceError(
            _("The title is at most 120 characters."), code=CommonError.TOO_LONG, field="title"
        )
    if not body:
        raise ServiceError(_("Write the text of the notice."), code=CommonError.REQUIRED, field="body")
    if len(body) > 10000:
        raise ServiceError(
            _("The text is at most 10,000 characters."), code=CommonError.TOO_LONG, field="body"
        )
    return kind, title, body


def _revision(notice: Notice, action: str, actor: User, now: datetime, reason: str = "") -> None:
    NoticeRevision.objects.create(
        notice=notice,
        version=notice.version,
        action=action,
        kind=notice.kind,
        title=notice.title,
        body=notice.body,
        reason=reason,
        at=now,
        actor=actor,
        actor_name=actor.full_name,
    )


def _locked_notice(actor: User, notice_id: int) -> Notice:
    if not can(actor, Cap.PUBLISH_NOTICES):
        raise PermissionDenied
    notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
    if notice is None or not Scope.of(actor).contains(notice.unit_path):
        raise Http404
    return notice


@write_service
def notice_publish(*, actor: User, kind: str, title: str, body: str) -> Notice:
    """Publish a notice in the name of the actor's own unit."""
    if not can(actor, Cap.PUBLISH_NOTICES):
        raise PermissionDenied
    kind, title, body = _notice_text(kind, title, body)
    now = timezone.now()
    notice = Notice.objects.create(
        unit=actor.unit,
        unit_path=actor.unit.path,
        kind=kind,
        title=title,
        body=body,
        published_at=now,
        updated_at=now,
        created_by=actor,
    )
    _revision(notice, NoticeRevision.Action.PUBLISH, actor, now)
    audit_record(actor=actor, action=AuditAction.NOTICE_PUBLISH, target=notice, detail={"version": 1})
    return notice


@write_service
def notice_edit(*, actor: User, notice_id: int, kind: str, title: str, body: str) -> Notice:
    kind, title, body = _notice_text(kind, title, body)
    notice = _locked_notice(actor, notice_id)
    if notice.state != NoticeState.PUBLISHED:
        raise ServiceError(
            _("A withdrawn notice cannot be edited; publish a new one."),
            code=CommonError.WITHDRAWN,
            field=None,
        )
    if (notice.kind, notice.title, notice.body) == (kind, title, body):
        raise ServiceError(_("Nothing was changed."), code=ErrorCode.UNCHANGED)
    changed = [f for f, v in (("kind", kind), ("title", title), ("body", body)) if getattr(notice, f) != v]
    now = timezone.now()
    notice.kind, notice.title, notice.body = kind, title, body
    notice.version += 1
    notice.updated_at = now
    notice.save()
    _revision(notice, NoticeRevision.Action.EDIT, actor, now)
    audit_record(
        actor=actor,
        action=AuditAction.NOTICE_EDIT,
        target=notice,
        detail={"version": notice.version, "changed": changed},
    )
    return notice


@write_service
def notice_withdraw(*, actor: User, notice_id: int, reason: str = "") -> Notice:
    """Take a notice off the portal; it stays, with its history, on the staff page."""
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ServiceError(
            _("The reason is at most 200 characters."), code=CommonError.TOO_LONG, field="reason"
        )
    notice = _locked_notice(actor, notice_id)
    if notice.state != NoticeState.PUBLISHED:
        raise ServiceError(_("This notice is already withdrawn."), code=CommonError.WITHDRAWN)
    now = timezone.now()
    notice.state = NoticeState.WITHDRAWN
    notice.withdrawn_at = now
    notice.version += 1
    notice.updated_at = now
    notice.save()
    _revision(notice, NoticeRevision.Action.WITHDRAW, actor, now, reason=reason)
    audit_record(
        actor=actor,
        action=AuditAction.NOTICE_WITHDRAW,
        target=notice,
        detail={"version": notice.version, "reason": reason},
    )
    return notice


@write_service
def purge_expired(*, now: datetime | None = None) -> tuple[int, int]:
    """Delete rate counters and codes nobody needs any more; returns how many of each."""
    now = now or timezone.now()
    counters = limits.purge()
    codes, _ = PhoneCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return counters, codes


# ---------------------------------------------------------------------------------------------
# Surveys (问卷)


@write_service
def portal_survey_answer(
    *, survey: Survey, answers: dict[int, Any], submission_key: str, client: str, device: str
) -> tuple[SurveyResponse, bool]:
    """Record an anonymous answer sheet, counted against the limits per address and per device
    in the same transaction: a refused or invalid sheet is not counted. A repeated submission
    key returns the first sheet and counts nothing."""
    existing = SurveyResponse.objects.filter(submission_key=submission_key, survey=survey).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            limits.hit_within("survey-ip", client)
            if device:
                limits.hit_within("survey-device", device)
            return survey_answer(survey=survey, answers=answers, submission_key=submission_key)
    except limits.LimitReached as exc:
        raise rate_limited(exc) from exc
