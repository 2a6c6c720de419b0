from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.actions import action_label
from jingmin.auditor.exports import EXPORT_LIMIT, audit_export_xlsx
from jingmin.auditor.forms import AuditFilterForm
from jingmin.auditor.selectors import audit_search
from jingmin.core.http import StaffRequest
from jingmin.core.paging import bounded_count
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require

PAGE_SIZE = 50


def _filters(form: AuditFilterForm) -> dict[str, Any]:
    if not form.is_valid():
        return {}
    return {name: value for name, value in form.cleaned_data.items() if value}


@login_required
def audit_log(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    rows = audit_search(actor=actor, **_filters(form))
    # Keyset paging by the order rows were written in (rows not sealed yet have no number): the
    # log only grows, and OFFSET would slow with its size.
    before = request.GET.get("before", "")
    if before.isdigit():
        rows = rows.filter(pk__lt=int(before))
    page = list(rows[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    context = {
        "form": form,
        "rows": [(row, action_label(row.action, row.target_type)) for row in page],
        "next_before": page[-1].pk if more and page else None,
        "can_export": can(actor, Cap.EXPORT_AUDIT),
        "total": bounded_count(audit_search(actor=actor, **_filters(form))),
    }
    template = "auditor/_rows.html" if request.headers.get("HX-Request") else "auditor/log.html"
    return render(request, template, context)


@login_required
def audit_export(request: StaffRequest) -> HttpResponseBase:
    actor = request.user
    require(actor, Cap.EXPORT_AUDIT)
    form = AuditFilterForm(request.GET or None)
    filters = _filters(form)
    rows = audit_search(actor=actor, **filters)
    if rows[EXPORT_LIMIT : EXPORT_LIMIT + 1].exists():
        messages.error(
            request,
            _("More than %(limit)d rows match. Narrow the dates or filters and export again.")
            % {"limit": EXPORT_LIMIT},
        )
        return redirect(f"{request.path.rsplit('/export', 1)[0]}/?{request.GET.urlencode()}")
    stream = audit_export_xlsx(actor=actor, rows=rows, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        stream, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response
