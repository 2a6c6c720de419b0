"""Records made on a phone, arriving through the sync endpoint: the domains' own services, with
the client's id as their submission key and the field app's two rules on top.

Every record carries an id the phone made (a UUID) when the officer saved it. It becomes the
submission key of the visit, of the appeal or of the appeal's step, which the domains keep under a
unique constraint: a record sent again (its answer was lost on the way) returns what the first
sending created. The rules the field app adds:

- persuasion visits (规劝) are never recorded from the phone, whose queue would hold them;
- a visit whose family news concerns the members of a household is recorded only against the
  version of the household the officer saw; if the household changed since, the officer is shown
  how it is now and decides (`HouseholdChanged`, answered 409).

Everything else (what a visit, an appeal or a step must say, scope, capability, the transitions
table) is decided by the same services as on the pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from jingmin.appeals import services as appeals
from jingmin.appeals.models import Action, Appeal, Channel
from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service
from jingmin.field.codes import AuditAction, ErrorCode
from jingmin.field.selectors import MEMBER_NEWS, household_now
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap
from jingmin.org.selectors import require
from jingmin.visits import selectors as visits
from jingmin.visits import services as visit_services
from jingmin.visits.models import RESTRICTED_KINDS, Visit


class HouseholdChanged(ServiceError):
    """The household changed since the copy the officer worked from; `current` is how it is now."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            _(
                "This household changed in the ledger after your phone copied it. Check the news "
                "against how it is now, then send the visit again or change it."
            ),
            code=ErrorCode.HOUSEHOLD_CHANGED,
            field="household",
        )
        self.current = current


def client_key(actor: User, client_id: UUID) -> str:
    """The submission key of a record made on a phone: per person, so that one officer's id can
    never name another's record."""
    return f"field:{actor.pk}:{client_id}"


def touches_members(data: visit_services.VisitInput) -> bool:
    return any(item.kind in MEMBER_NEWS or item.person is not None for item in data.items)


@write_service
def field_visit_record(
    *,
    actor: User,
    data: visit_services.VisitInput,
    client_id: UUID,
    seen_version: str,
    photos: Sequence[UploadedFile] = (),
) -> tuple[Visit, bool]:
    """Record a visit made on the phone; returns it and whether it is new."""
    require(actor, Cap.VISIT_RECORD)
    if data.kind in RESTRICTED_KINDS:
        raise ServiceError(
            _("Persuasion visits are recorded on the pages only, never from the field app."),
            code=ErrorCode.RESTRICTED_KIND,
            field="kind",
        )
    key = client_key(actor, client_id)
    sent_before = visits.visit_scope(actor).filter(submission_key=key, officer=actor).first()
    if sent_before is not None:
        # Answered before the household is looked at again: what was recorded stays recorded.
        return sent_before, False
    if data.household is not None and touches_members(data):
        current = household_now(actor=actor, household_id=data.household)
        if current["version"] != seen_version:
            raise HouseholdChanged(current)
    return visit_services.visit_record(actor=actor, data=data, submission_key=key, photos=photos)


@write_service
def field_appeal_register(
    *, actor: User, data: appeals.AppealInput, client_id: UUID, files: Sequence[UploadedFile] = ()
) -> tuple[Appeal, bool]:
    """Register what a citizen asked the officer in the field (the channel "visit")."""
    if data.channel != Channel.VISIT:
        raise ServiceError(_("Choose how the appeal came in."), code=CommonError.INVALID, field="channel")
    return appeals.appeal_register(
        actor=actor, data=data, submission_key=client_key(actor, client_id), files=files
    )


@write_service
def field_step(*, actor: User, appeal_id: int, step: str, data: dict[str, Any], client_id: UUID) -> Appeal:
    """Take a step of "my work" queued on the phone. An appeal that moved on meanwhile answers
    with the transitions table's refusal (`TransitionNotAllowed`), never a forced step."""
    key = client_key(actor, client_id)
    if step == Action.SIGN:
        return appeals.appeal_sign(actor=actor, appeal_id=appeal_id, submission_key=key)
    if step == Action.CONTACT:
        return appeals.appeal_contact(actor=actor, appeal_id=appeal_id, note=data["note"], submission_key=key)
    if step == Action.CONCLUDE:
        return appeals.appeal_conclude(
            actor=actor,
            appeal_id=appeal_id,
            result=data["result"],
            note=data["note"],
            files=data.get("files") or (),
            submission_key=key,
        )
    raise ServiceError(_("The field app cannot take this step."), code=ErrorCode.UNKNOWN_RECORD, field="step")


@write_service
def copy_taken(*, actor: User, district: Unit, copy: dict[str, Any]) -> None:
    """A district copied to a phone: one audit row per copy (not one per person, whose names it
    holds masked), so that the log tells who took which district's households out, and when."""
    audit_record(
        actor=actor,
        action=AuditAction.CACHE_FETCH,
        target=district,
        detail={"households": len(copy["households"]), "work": len(copy["work"])},
    )
