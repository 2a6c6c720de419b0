"""Writes of the shell's pages that compose domains which do not know each other.

The clerk's intake page registers through the appeals domain and records what routing suggested
on it; routing learns from appeals, so appeals cannot call routing, and the page's one service
lives here, above both.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from jingmin.appeals.models import Appeal
from jingmin.appeals.services import AppealInput, appeal_register_and_dispatch
from jingmin.core.writes import write_service
from jingmin.org.models import Unit, User
from jingmin.routing.services import Shown, suggestion_record


@write_service
def intake_register(
    *,
    actor: User,
    data: AppealInput,
    dispatch_to: Unit | int | None = None,
    submission_key: str | None = None,
    files: Sequence[UploadedFile] = (),
    shown: Shown | None = None,
) -> tuple[Appeal, bool]:
    """The intake page's registration: `appeal_register_and_dispatch`, and beside a new appeal,
    in the same transaction, what the routing suggestion showed (`shown`) and whether the clerk
    took it. A repeated `submission_key` returns the first appeal and records nothing again."""
    appeal, created = appeal_register_and_dispatch(
        actor=actor, data=data, dispatch_to=dispatch_to, submission_key=submission_key, files=files
    )
    if created:
        dispatched = appeal.unit if dispatch_to is not None else None
        suggestion_record(actor=actor, appeal=appeal, shown=shown, dispatched_to=dispatched)
    return appeal, created
