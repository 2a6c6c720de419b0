"""Every change to early-warning signals and the bureau's risk words.

The rules' side (`signals_scan_record`, `signals_sweep`) runs as the system, from the on-commit
task and the nightly sweep; both apply the same rules' findings through `signals.apply`. The
people's side (acknowledge, act, close, and the word lists) checks the capability and the scope,
appends the signal's event and writes the audit row last.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service, write_steps
from jingmin.org.models import User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.warnings import rules, signals
from jingmin.warnings.codes import AuditAction, ErrorCode
from jingmin.warnings.models import Action, RiskWord, Signal, State, Theme
from jingmin.warnings.words import current_matcher

NOTE_MAX = 2000


@write_service
def signals_scan_record(*, record_type: str, record_id: int, now: datetime) -> int:
    """Apply the rules to one record just written; returns how many signals changed."""
    matcher = current_matcher()
    changed = 0
    for finding in rules.for_record(record_type, record_id, now, matcher):
        if finding is not None and signals.apply(finding, now):
            changed += 1
    return changed


@dataclass
class SweepResult:
    findings: int
    outcomes: Counter[str]


@write_steps
def signals_sweep(*, now: datetime | None = None, since: datetime | None = None) -> SweepResult:
    """Apply every rule to everything in its window: what a missed task left unseen is raised
    now; what was already raised changes nothing."""
    now = now or timezone.now()
    matcher = current_matcher()
    outcomes: Counter[str] = Counter()
    findings = 0
    for finding in rules.sweep_findings(now, matcher, since=since):
        if finding is None:
            continue
        findings += 1
        outcome = signals.apply(finding, now)
        if outcome:
            outcomes[outcome] += 1
    return SweepResult(findings, outcomes)


# ---------------------------------------------------------------------------------------------
# People's steps

STEPS: dict[str, tuple[frozenset[str], str, str]] = {
    # step: (states it starts from, state it leads to, audit action)
    Action.ACKNOWLEDGE: (frozenset({State.OPEN}), State.ACKNOWLEDGED, AuditAction.SIGNAL_ACKNOWLEDGE),
    Action.ACT: (
        frozenset({State.OPEN, State.ACKNOWLEDGED, State.ACTED}),
        State.ACTED,
        AuditAction.SIGNAL_ACT,
    ),
    Action.CLOSE: (
        frozenset({State.OPEN, State.ACKNOWLEDGED, State.ACTED}),
        State.CLOSED,
        AuditAction.SIGNAL_CLOSE,
    ),
}


def _lock(actor: User, signal_id: int) -> Signal:
    visible = (
        Scope.of(actor)
        .filter(Signal.objects.filter(pk=signal_id), "unit_path")
        .values_list("pk", flat=True)
        .first()
    )
    if visible is None:
        raise Http404
    return Signal.objects.select_for_update().get(pk=visible)


@write_service
def signal_step(*, actor: User, signal_id: int, step: str, note: str = "") -> Signal:
    """Acknowledge a signal, record what was done about it, or close it; acting and closing need
    a note."""
    if not can(actor, Cap.SIGNAL_HANDLE):
        raise PermissionDenied
    if step not in STEPS:
        raise Http404
    note = (note or "").strip()
    if step != Action.ACKNOWLEDGE and not note:
        raise ServiceError(_("Say what was done."), code=CommonError.REQUIRED, field="note")
    if len(note) > NOTE_MAX:
        raise ServiceError(
            _("At most %(count)d characters.") % {"count": NOTE_MAX}, code=CommonError.TOO_LONG, field="note"
        )
    sources, target, audit_action = STEPS[step]
    signal = _lock(actor, signal_id)
    if signal.state not in sources:
        raise ServiceError(
            _("This step is not possible while the signal is %(state)s.")
            % {"state": signal.get_state_display()},
            code=ErrorCode.SIGNAL_STATE,
            field="state",
        )
    before = signal.state
    now = timezone.now()
    signal.state = target
    signal.updated_at = now
    if target == State.CLOSED:
        signal.closed_at = now
    if signal.assignee_id is None and step != Action.CLOSE:
        signal.assignee = actor
    signal.save()
    signals.event_append(signal, step, now, actor=actor, note=note)
    audit_record(actor=actor, action=audit_action, target=signal, detail={"from": before, "to": target})
    return signal


# ---------------------------------------------------------------------------------------------
# The bureau's risk words


@write_service
def risk_word_add(*, actor: User, theme: str, word: str) -> RiskWord:
    if not can(actor, Cap.MANAGE_WARNING_SETTINGS):
        raise PermissionDenied
    if theme not in Theme.values:
        raise ServiceError(_("Choose the theme."), field="theme")
    word = "".join((word or "").split())
    if not word or len(word) > 30:
        raise ServiceError(_("A risk word has 1 to 30 characters."), field="word")
    row = RiskWord.objects.select_for_update().filter(theme=theme, word=word).first()
    if row is not None and row.is_active:
        raise ServiceError(_("This word is already on the list."), code=ErrorCode.WORD_EXISTS, field="word")
    now = timezone.now()
    if row is None:
        row = RiskWord.objects.create(theme=theme, word=word, changed_at=now)
    else:
        row.is_active, row.changed_at = True, now
        row.save(update_fields=["is_active", "changed_at"])
    audit_record(actor=actor, action=AuditAction.WORD_ADD, target=row, detail={"theme": theme, "word": word})
    return row


@write_service
def risk_word_remove(*, actor: User, word_id: int) -> RiskWord:
    if not can(actor, Cap.MANAGE_WARNING_SETTINGS):
        raise PermissionDenied
    row = RiskWord.objects.select_for_update().filter(pk=word_id, is_active=True).first()
    if row is None:
        raise Http404
    row.is_active, row.changed_at = False, timezone.now()
    row.save(update_fields=["is_active", "changed_at"])
    audit_record(
        actor=actor,
        action=AuditAction.WORD_REMOVE,
        target=row,
        detail={"theme": row.theme, "word": row.word},
    )
    return row
