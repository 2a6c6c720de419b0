"""Every audit action of the project, with its label, and the names rows were stored under before.

Each domain declares its actions once, as `AuditAction` in `jingmin/<domain>/codes.py` (values
`<domain>.<entity>_<verb>`). The audit pages find them through the installed apps, the way the
admin finds `admin.py` modules, so the audit package depends on no domain.

Rows are never rewritten: the hash chain covers each row's action, so rows written before the
names were unified keep their old names. `LEGACY_ACTIONS` maps each old name to the current one
(docs/architecture.md lists it); the page shows an old row under the current label, and filtering
by an action finds the rows stored under either name.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache

from django.apps import apps
from django.db.models import Q
from django.utils.functional import Promise

# Old stored name → current name. "create" was written for units and accounts alike; the
# record's type tells them apart (`LEGACY_BY_TARGET`).
LEGACY_ACTIONS: dict[str, str] = {
    "auth.signin": "org.user_signin",
    "auth.signin_failed": "org.signin_fail",
    "auth.locked": "org.user_lock",
    "auth.unlock": "org.user_unlock",
    "auth.signout": "org.user_signout",
    "auth.password_change": "org.password_change",
    "auth.password_reset": "org.password_reset",
    "auth.otp_enrolled": "org.otp_enrol",
    "auth.otp_removed": "org.otp_remove",
    "auth.otp_reset": "org.otp_reset",
    "update": "org.user_update",
    "read": "audit.record_read",
    "audit.export": "audit.log_export",
    "audit.purge": "audit.log_purge",
    "appeal.export": "appeals.appeal_export",
    "appeal.register": "appeals.appeal_register",
    "appeal.accept": "appeals.appeal_accept",
    "appeal.reject": "appeals.appeal_reject",
    "appeal.dispatch": "appeals.appeal_dispatch",
    "appeal.sign": "appeals.appeal_sign",
    "appeal.contact": "appeals.appeal_contact",
    "appeal.transfer": "appeals.appeal_transfer",
    "appeal.return": "appeals.appeal_return",
    "appeal.conclude": "appeals.appeal_conclude",
    "appeal.follow-up": "appeals.appeal_follow_up",
    "appeal.review": "appeals.appeal_review",
    "appeal.reopen": "appeals.appeal_reopen",
    "appeal.supervise": "appeals.appeal_supervise",
    "appeal.merge": "appeals.appeal_merge",
    "appeal.archive": "appeals.appeal_archive",
    "appeal.attach": "appeals.appeal_attach",
    "ledger.export": "ledger.records_export",
    "ledger.reveal": "ledger.identifier_reveal",
    "ledger.import": "ledger.import_apply",
    "visit.record": "visits.visit_record",
    "visit.amend": "visits.visit_amend",
    "visit.withdraw": "visits.visit_withdraw",
    "visit.task_done": "visits.task_done",
    "visit.task_undone": "visits.task_undone",
    "visit.plan_set": "visits.plan_set",
    "visit.outline_set": "visits.outline_set",
    "notice.publish": "portal.notice_publish",
    "notice.edit": "portal.notice_edit",
    "notice.withdraw": "portal.notice_withdraw",
    "open311.read": "open311.request_read",
    "metrics.export": "metrics.figures_export",
}
LEGACY_BY_TARGET: dict[tuple[str, str], str] = {
    ("create", "org.unit"): "org.unit_create",
    ("create", "org.user"): "org.user_create",
}


@cache
def all_actions() -> dict[str, Promise]:
    """Every declared action and its label, by app and in each enum's order."""
    out: dict[str, Promise] = {}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.codes"
        if not config.name.startswith("jingmin.") or importlib.util.find_spec(module_name) is None:
            continue
        declared = getattr(importlib.import_module(module_name), "AuditAction", None)
        if declared is not None:
            out.update({member.value: member.label for member in declared})
    return out


def current_action(action: str, target_type: str = "") -> str:
    """The current name of an action as stored in a row."""
    return LEGACY_BY_TARGET.get((action, target_type)) or LEGACY_ACTIONS.get(action, action)


def action_label(action: str, target_type: str = "") -> str | Promise:
    """What the audit page shows for a row's action: the current action's label."""
    name = current_action(action, target_type)
    return all_actions().get(name, name)


def action_q(action: str) -> Q:
    """The rows recorded under `action`, by its current name or a former one."""
    names = [action, *(old for old, new in LEGACY_ACTIONS.items() if new == action)]
    q = Q(action__in=names)
    for (old, target_type), new in LEGACY_BY_TARGET.items():
        if new == action:
            q |= Q(action=old, target_type=target_type)
    return q


def actions_q(actions: list[str]) -> Q:
    q = Q(pk__in=[])
    for action in actions:
        q |= action_q(action)
    return q
