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
    NavItem("appeals:queue", _("Appeals"), Cap.APPEAL_VIEW),
    NavItem("appeals:supervision", _("Supervision"), Cap.APPEAL_SUPERVISE),
    NavItem("notify:inbox", _("Notifications"), None),
    NavItem("org:units", _("Units"), Cap.VIEW_ORG),
    NavItem("org:staff", _("Staff"), Cap.VIEW_STAFF),
    NavItem("audit:log", _("Audit log"), Cap.VIEW_AUDIT),
    NavItem("worktime:calendar", _("Calendar"), Cap.MANAGE_CALENDAR),
    NavItem("appeals:settings", _("Appeal settings"), Cap.MANAGE_APPEAL_SETTINGS),
    NavItem("org:security", _("My account"), None),
]
