from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.appeals.selectors import home_figures
from jingmin.audit.actions import action_q
from jingmin.auditor.selectors import audit_search
from jingmin.core.http import StaffRequest
from jingmin.disputes.selectors import open_urgent
from jingmin.metrics.selectors import shows_home_figures
from jingmin.org.codes import AuditAction as OrgAudit
from jingmin.org.models import UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import locked_accounts, previous_signin, staff_list, unit_ancestors, unit_list

HOME_URGENT_LIMIT = 10


@login_required
def home(request: StaffRequest) -> HttpResponse:
    """The signed-in home page: what this person's scope holds and what needs their attention."""
    actor = request.user
    cards: list[dict[str, object]] = []
    if can(actor, Cap.VIEW_ORG):
        units = unit_list(actor=actor)
        for kind in (UnitKind.STATION, UnitKind.DISTRICT):
            cards.append({"label": kind.label, "value": units.filter(kind=kind).count(), "url": "org:units"})
        cards.append(
            {
                "label": User._meta.verbose_name_plural,
                "value": staff_list(actor=actor, active=True).count(),
                "url": "org:staff",
            }
        )
    if can(actor, Cap.SECURE_ACCOUNTS):
        cards.append(
            {"label": _("Locked accounts"), "value": locked_accounts(actor=actor).count(), "url": "org:staff"}
        )
    if can(actor, Cap.VIEW_AUDIT):
        since = timezone.now() - timedelta(days=1)
        recent = audit_search(actor=actor).filter(at__gte=since)
        cards.append(
            {"label": _("Audit rows in the last 24 hours"), "value": recent.count(), "url": "audit:log"}
        )
        cards.append(
            {
                "label": _("Failed sign-ins in the last 24 hours"),
                "value": recent.filter(action_q(OrgAudit.SIGNIN_FAIL)).count(),
                "url": "audit:log",
            }
        )
    if can(actor, Cap.APPEAL_VIEW):
        cards += [
            {"label": f.label, "value": f.value, "url": f.url, "tone": f.tone}
            for f in home_figures(actor=actor)
        ]
    # The open red and orange disputes of the scope, nearest deadline first: what a chief must not
    # lose sight of.
    urgent = list(open_urgent(actor)[:HOME_URGENT_LIMIT]) if can(actor, Cap.DISPUTE_VIEW) else []
    previous = previous_signin(actor=actor)
    ancestors = unit_ancestors(actor.unit)
    return render(
        request,
        "core/home.html",
        {
            "cards": cards,
            "previous_signin": previous,
            "ancestors": ancestors,
            # Fetched by the page itself (metrics:home_panel): the indicators are what this page
            # waited for longest, and the rest need not wait for them.
            "metrics": shows_home_figures(actor),
            "urgent_disputes": urgent,
            "now": timezone.now(),
        },
    )
