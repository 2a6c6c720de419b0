"""Roles and what each may do.

One role per account: the three administrators are kept apart (三员分立), so that no one account
can both change the system and read or clean up the record of that change. Business roles see the
business data of their own unit's subtree; what they may do is listed here, in one place, and the
views and services ask `can(user, Cap.X)` instead of testing roles themselves.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from jingmin.org.models import User


class Role(models.TextChoices):
    CLERK = "clerk", _("Intake clerk")
    OFFICER = "officer", _("Community officer")
    CHIEF = "chief", _("Station chief")
    LEADER = "leader", _("Bureau leader")
    INSPECTOR = "inspector", _("Inspector")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)


class Cap(StrEnum):
    VIEW_ORG = "org.view"  # the unit tree of one's scope
    VIEW_STAFF = "org.view_staff"  # the staff directory of one's scope
    MANAGE_UNITS = "org.manage_units"
    MANAGE_ACCOUNTS = "org.manage_accounts"  # create accounts, edit profiles, deactivate
    ASSIGN_ROLES = "org.assign_roles"  # change roles, including the administrators'
    SECURE_ACCOUNTS = "org.secure_accounts"  # unlock, reset password and second factor
    VIEW_AUDIT = "audit.view"
    EXPORT_AUDIT = "audit.export"
    MANAGE_CALENDAR = "worktime.manage"  # holidays and adjusted working days
    MANAGE_APPEAL_SETTINGS = "appeals.configure"  # categories and deadline clocks
    APPEAL_VIEW = "appeals.view"
    APPEAL_INTAKE = "appeals.intake"  # register, accept, reject, dispatch, merge
    APPEAL_HANDLE = "appeals.handle"  # sign, contact, transfer, return, conclude
    APPEAL_FOLLOW_UP = "appeals.follow_up"  # record the citizen's answer
    APPEAL_REVIEW = "appeals.review"  # reasonableness review (合理性审核)
    APPEAL_SUPERVISE = "appeals.supervise"  # supervision (督办) and reopening
    MANAGE_OPEN311 = "open311.manage"  # issue and revoke partners' API keys
    PUBLISH_NOTICES = "portal.notices"  # notices (宣传) on the public portal
    ROUTING_VIEW = "routing.view"  # the routing page: suggestions accepted, returns after them
    ROUTING_MANAGE = "routing.manage"  # train and publish routing models
    LEDGER_VIEW = "ledger.view"  # addresses, houses, persons, organisations of one's scope (masked)
    LEDGER_EDIT = "ledger.edit"
    LEDGER_REVEAL = "ledger.reveal"  # show a full ID number or phone (audited)
    LEDGER_IMPORT = "ledger.import"  # Excel import of legacy ledgers
    VISIT_RECORD = "visits.record"
    VISIT_PLAN = "visits.plan"  # visit plans and the coverage of a district
    METRICS_VIEW = "metrics.view"  # indicators and dashboards of one's scope, with their records
    METRICS_CONFIGURE = "metrics.configure"  # indicator settings (k, weights, exclusions)
    EVALUATION_VIEW = "evaluation.view"  # open-door events, surveys and their results in scope
    EVALUATION_MANAGE = "evaluation.manage"  # plan events, record them, build and close surveys
    DISPUTE_VIEW = "disputes.view"  # the dispute register of one's scope, its monthly report
    DISPUTE_HANDLE = "disputes.handle"  # register, mediate, re-grade, resolve, hand over, contain
    SIGNAL_VIEW = "warnings.view"  # early-warning signals of one's scope
    SIGNAL_HANDLE = "warnings.handle"  # acknowledge, act on and close a signal
    MANAGE_WARNING_SETTINGS = "warnings.configure"  # the bureau's lists of risk words
    CASE_RECORD = "cases.record"  # open help and persuasion cases, record acts of help and contacts
    # Read every help and persuasion case in one's scope (the chain of command above the assigned
    # officers); an officer reads only the cases assigned to them.
    CASE_SUPERVISE = "cases.supervise"


_BUSINESS = {
    Cap.VIEW_ORG,
    Cap.VIEW_STAFF,
    Cap.APPEAL_VIEW,
    Cap.LEDGER_VIEW,
    Cap.METRICS_VIEW,
    Cap.EVALUATION_VIEW,
    Cap.DISPUTE_VIEW,
    Cap.SIGNAL_VIEW,
}

CAPABILITIES: dict[str, frozenset[Cap]] = {
    Role.CLERK: frozenset(_BUSINESS | {Cap.APPEAL_INTAKE, Cap.APPEAL_FOLLOW_UP}),
    Role.OFFICER: frozenset(
        _BUSINESS
        | {
            Cap.APPEAL_HANDLE,
            Cap.APPEAL_FOLLOW_UP,
            Cap.LEDGER_EDIT,
            Cap.VISIT_RECORD,
            Cap.DISPUTE_HANDLE,
            Cap.SIGNAL_HANDLE,
            Cap.CASE_RECORD,
        }
    ),
    Role.CHIEF: frozenset(
        _BUSINESS
        | {
            Cap.APPEAL_INTAKE,
            Cap.APPEAL_HANDLE,
            Cap.APPEAL_FOLLOW_UP,
            Cap.APPEAL_SUPERVISE,
            Cap.PUBLISH_NOTICES,
            Cap.ROUTING_VIEW,
            Cap.LEDGER_EDIT,
            Cap.LEDGER_REVEAL,
            Cap.LEDGER_IMPORT,
            Cap.VISIT_RECORD,
            Cap.VISIT_PLAN,
            Cap.EVALUATION_MANAGE,
            Cap.DISPUTE_HANDLE,
            Cap.SIGNAL_HANDLE,
            Cap.CASE_RECORD,
            Cap.CASE_SUPERVISE,
        }
    ),
    Role.LEADER: frozenset(
        _BUSINESS
        | {
            Cap.APPEAL_SUPERVISE,
            Cap.APPEAL_REVIEW,
            Cap.PUBLISH_NOTICES,
            Cap.ROUTING_VIEW,
            Cap.METRICS_CONFIGURE,
            Cap.SIGNAL_HANDLE,
            Cap.CASE_SUPERVISE,
        }
    ),
    Role.INSPECTOR: frozenset(
        _BUSINESS | {Cap.APPEAL_SUPERVISE, Cap.APPEAL_REVIEW, Cap.ROUTING_VIEW, Cap.LEDGER_REVEAL}
    ),
    Role.SYSADMIN: frozenset(
        {
            Cap.VIEW_ORG,
            Cap.VIEW_STAFF,
            Cap.MANAGE_UNITS,
            Cap.MANAGE_ACCOUNTS,
            Cap.MANAGE_CALENDAR,
            Cap.MANAGE_APPEAL_SETTINGS,
            Cap.MANAGE_OPEN311,
            Cap.MANAGE_WARNING_SETTINGS,
            Cap.ROUTING_VIEW,
            Cap.ROUTING_MANAGE,
        }
    ),
    Role.SECADMIN: frozenset({Cap.VIEW_ORG, Cap.VIEW_STAFF, Cap.ASSIGN_ROLES, Cap.SECURE_ACCOUNTS}),
    Role.AUDITOR: frozenset({Cap.VIEW_AUDIT, Cap.EXPORT_AUDIT}),
}


def can(user: User | AnonymousUser, cap: Cap) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return cap in CAPABILITIES.get(user.role, frozenset())


def requires_second_factor(role: str) -> bool:
    return role in ADMIN_ROLES
