"""The notification inbox of the signed-in user, and marking notifications read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from jingmin.core.http import StaffRequest
from jingmin.notify.selectors import notification_list
from jingmin.notify.services import notification_mark_read

PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request: StaffRequest) -> HttpResponse:
    page = Paginator(notification_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request: StaffRequest) -> HttpResponse:
    # "all" marks every unread notification, including those that arrived after the page was
    # shown; otherwise only the listed ids, and ids that are not numbers are no ids at all.
    ids = None if request.POST.get("all") else [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    count = notification_mark_read(actor=request.user, ids=ids)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
            % {"count": count},
        )
    # Back to the page the button was on, so that marking one item read does not lose the place.
    page = request.POST.get("page", "")
    inbox_url = reverse("notify:inbox")
    return redirect(f"{inbox_url}?page={page}" if page.isdigit() and page != "1" else inbox_url)
