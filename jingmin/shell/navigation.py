"""The navigation, by capability: a person sees only the entries they can use."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingmin.org.roles import Cap


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    cap: Cap | None


NAV_ITEMS = [
    NavItem("core:home", _("Home"), None),
    NavItem("appeals:mine", _("My work"), Cap.APPEAL_HANDLE),
    NavItem("visits:today", _("Today's plan"), Cap.VISIT_RECORD),
    NavItem("field:app", _("Field app"), Cap.VISIT_RECORD),
    NavItem("appeals:queue", _("Appeals"), Cap.APPEAL_VIEW),
    NavItem("appeals:supervision", _("Supervision"), Cap.APPEAL_SUPERVISE),
    NavItem("ledger:index", _("Ledger"), Cap.LEDGER_VIEW),
    NavItem("visits:coverage", _("Visit coverage"), Cap.LEDGER_VIEW),
    NavItem("metrics:dashboard", _("Indicators"), Cap.METRICS_VIEW),
    NavItem("evaluation:events", _("Open-door events"), Cap.EVALUATION_VIEW),
    NavItem("evaluation:surveys", _("Surveys"), Cap.EVALUATION_VIEW),
    NavItem("disputes:list", _("Disputes"), Cap.DISPUTE_VIEW),
    NavItem("warnings:list", _("Early warning"), Cap.SIGNAL_VIEW),
    NavItem("cases:index", _("Help and persuasion"), Cap.CASE_RECORD),
    NavItem("notify:inbox", _("Notifications"), None),
    NavItem("org:units", _("Units"), Cap.VIEW_ORG),
    NavItem("org:staff", _("Staff"), Cap.VIEW_STAFF),
    NavItem("visits:plans", _("Visit plans"), Cap.VISIT_PLAN),
    NavItem("ledger:imports", _("Ledger import"), Cap.LEDGER_IMPORT),
    NavItem("portal:notice_manage", _("Portal notices"), Cap.PUBLISH_NOTICES),
    NavItem("routing:index", _("Routing"), Cap.ROUTING_VIEW),
    NavItem("audit:log", _("Audit log"), Cap.VIEW_AUDIT),
    NavItem("worktime:calendar", _("Calendar"), Cap.MANAGE_CALENDAR),
    NavItem("appeals:settings", _("Appeal settings"), Cap.MANAGE_APPEAL_SETTINGS),
    NavItem("warnings:words", _("Risk words"), Cap.MANAGE_WARNING_SETTINGS),
    NavItem("open311:services", _("Open311 services"), Cap.MANAGE_APPEAL_SETTINGS),
    NavItem("open311:partners", _("Open311 partners"), Cap.MANAGE_OPEN311),
    NavItem("org:security", _("My account"), None),
]
