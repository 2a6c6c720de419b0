"""Pages of the appeals domain.

Views read through `selectors` (which scope every query to the acting user: an appeal outside
the scope is a 404) and write through `services` (which check the capability again and apply
the transitions table). A refused step comes back as a `ServiceError`, shown beside the field it
names; a step the appeal's state no longer allows is a `TransitionNotAllowed`, answered 409 to
htmx. Every successful post redirects (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from jingmin.appeals import clocks, selectors, services
from jingmin.appeals.codes import AuditAction
from jingmin.appeals.forms import (
    AttachForm,
    BatchForm,
    CategoryCreateForm,
    CategoryUpdateForm,
    CitizenFollowUpForm,
    ConcludeForm,
    ContactForm,
    DeadlinePolicyForm,
    DispatchForm,
    FollowUpForm,
    MergeForm,
    OptionalNoteForm,
    QueueFilterForm,
    ReasonForm,
    ReviewForm,
    SignForm,
    SuperviseForm,
    SupervisionFilterForm,
    TransferForm,
    UrgencyForm,
    month_ranges,
)
from jingmin.appeals.models import (
    Action,
    Appeal,
    Clock,
)
from jingmin.appeals.services import TransitionNotAllowed
from jingmin.appeals.services_settings import category_create, category_update, deadline_policy_set
from jingmin.appeals.transitions import TRANSITIONS
from jingmin.audit.services import audit_read, audit_record
from jingmin.core.codes import CommonError
from jingmin.core.crypto import lookup_hash
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest, safe_next
from jingmin.core.paging import Order, bounded_count, export_query, request_page
from jingmin.core.sheets import Sheets
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import handling_units, require, unit_list

PAGE_SIZE = 30
# Worklists are read on a phone: past this many rows a person filters the queue instead.
LIST_LIMIT = 200
EXPORT_LIMIT = 50_000
WORK_ITEM = "work-item"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _handling_units() -> QuerySet[Unit]:
    # Dispatch and transfer cross the tree (属地不符: the appeal belongs to another station), so
    # every open unit that handles appeals is offered, not only the actor's subtree; unit names
    # are not personal data. The bureau itself handles nothing (the service refuses it).
    return handling_units()


# ---------------------------------------------------------------------------------------------
# Worklists


@login_required
def mine(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.APPEAL_HANDLE)
    work = selectors.my_work(actor=actor)
    rows = list(work[: LIST_LIMIT + 1])
    return render(
        request,
        "appeals/mine.html",
        {
            "appeals": rows[:LIST_LIMIT],
            "truncated": len(rows) > LIST_LIMIT,
            "can_handle": True,
            "total": bounded_count(work),
        },
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _cursor(appeal: Appeal) -> str:
    # Whole microseconds and the id: exact, and free of characters that need escaping in a URL.
    micros = (appeal.received_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{appeal.pk}"


def _parse_cursor(raw: str) -> tuple[datetime, int] | None:
    try:
        micros, pk = raw.split(".", 1)
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


# Lists of appeals run newest received first; (received_at, id) is indexed for each scope.
NEWEST_RECEIVED = Order(fields=("received_at", "id"), cursor=_cursor, parse=_parse_cursor)


def _queue_filters(request: HttpRequest, actor: User) -> tuple[QueueFilterForm, selectors.AppealFilters]:
    form = QueueFilterForm(
        request.GET or None,
        units=unit_list(actor=actor),
        categories=selectors.category_list(),
    )
    return form, selectors.AppealFilters(**form.filters())


@login_required
def queue(request: StaffRequest) -> HttpResponse:
    actor = request.user
    form, filters = _queue_filters(request, actor)
    page = request_page(
        request, selectors.unit_queue(actor=actor, filters=filters), NEWEST_RECEIVED, size=PAGE_SIZE
    )
    context = {
        "form": form,
        "page": page,
        "export_query": export_query(request),
        "can_intake": can(actor, Cap.APPEAL_INTAKE),
        "batch": can(actor, Cap.APPEAL_INTAKE)
        or can(actor, Cap.APPEAL_SUPERVISE)
        or can(actor, Cap.APPEAL_HANDLE),
        "can_follow_up": can(actor, Cap.APPEAL_FOLLOW_UP),
        "can_review": can(actor, Cap.APPEAL_REVIEW),
        "filtered": any(v not in ("", None) for v in form.filters().values()),
        "ranges": month_ranges(timezone.localdate()),
    }
    if _is_htmx(request):
        return render(request, "appeals/_queue_table.html", context)
    context["batch_dispatch"] = can(actor, Cap.APPEAL_INTAKE)
    context["batch_supervise"] = can(actor, Cap.APPEAL_SUPERVISE)
    context["batch_sign"] = can(actor, Cap.APPEAL_HANDLE)
    context["batch_units"] = _handling_units() if context["batch_dispatch"] else []
    # Above the list, only on the full page: what waits at the person's own desk.
    # One bounded read, no count: the queue never counts (a million rows).
    desk = list(selectors.desk_waiting(actor=actor)[: selectors.DESK_LIMIT + 1])
    context["desk"] = desk[: selectors.DESK_LIMIT]
    context["desk_count"] = min(len(desk), selectors.DESK_LIMIT)
    context["desk_more"] = len(desk) > selectors.DESK_LIMIT
    return render(request, "appeals/queue.html", context)


@login_required
@require_POST
def batch(request: StaffRequest, action: str) -> HttpResponse:
    """Dispatch, supervise or sign for the appeals ticked on the queue, and show each row's result."""
    actor = request.user
    if action not in services.BATCH_ACTIONS:
        raise Http404
    # The capability first: a person who may never take this step learns nothing from the form.
    if not any(can(actor, cap) for cap in TRANSITIONS[action].caps):
        raise PermissionDenied
    form = BatchForm(request.POST)
    results: list[services.BatchResult] = []
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            results = services.appeal_batch(
                actor=actor, action=action, appeal_ids=data["ids"], unit=data["unit"], note=data["note"]
            )
        except ServiceError as exc:
            error = exc.message
    else:
        error = _("Select the appeals from the list.")
    context = {
        "action_label": BUTTONS[action],
        "results": results,
        "done": sum(1 for r in results if r.ok),
        "error": error,
    }
    return render(request, "appeals/batch_result.html", context, status=200 if not error else 400)


@login_required
def export(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered queue as an Excel workbook, phones masked; the export is audited."""
    actor = request.user
    form, filters = _queue_filters(request, actor)
    rows = selectors.unit_queue(actor=actor, filters=filters)
    return _export(request, rows, "appeals:queue", "appeals", form.filters())


@login_required
def supervision_export(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    """What the supervision view lists, with the same window and dates, as a workbook."""
    actor = request.user
    form = SupervisionFilterForm(request.GET or None)
    hours = form.window_hours()
    rows = selectors.supervision_list(actor=actor, within=timedelta(hours=hours), **form.received_range())
    return _export(
        request, rows, "appeals:supervision", "supervision", {"hours": hours, **form.received_range()}
    )


@login_required
def follow_ups_print(request: StaffRequest) -> HttpResponse:
    """The follow-ups owed as a sheet to print and fill in by hand while calling (phones masked:
    the number is revealed, audited, on the appeal's page)."""
    rows = list(selectors.follow_up_list(actor=request.user)[:LIST_LIMIT])
    return render(request, "appeals/follow_up_sheet.html", {"rows": rows, "printed_at": timezone.localtime()})


@login_required
def follow_ups_export(request: StaffRequest) -> HttpResponse | StreamingHttpResponse:
    """The appeals whose follow-up is owed, oldest due first, as a workbook to call from."""
    rows = selectors.follow_up_owed_appeals(actor=request.user)
    return _export(request, rows, "appeals:follow_ups", "follow-ups", {})


def _export(
    request: StaffRequest, rows: QuerySet[Appeal], back: str, name: str, filters: dict[str, Any]
) -> HttpResponse | StreamingHttpResponse:
    """One audited workbook of a list. The audit row keeps the list, its filters and how many rows
    left the building."""
    # A bounded count: it stops at the limit instead of counting a million rows.
    count = rows[: EXPORT_LIMIT + 1].count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            _("More than %(limit)d appeals match. Narrow the filters and export again.")
            % {"limit": EXPORT_LIMIT},
        )
        return redirect(f"{reverse(back)}?{request.GET.urlencode()}")
    audit_record(
        actor=request.user,
        action=AuditAction.APPEAL_EXPORT,
        detail={
            "list": name,
            "filters": {k: str(v) for k, v in filters.items() if v not in ("", None)},
            "rows": count,
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        _workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def _workbook(rows: QuerySet[Appeal]) -> Iterator[bytes]:
    workbook = Sheets()
    sheet = workbook.sheet(_("Appeals"))
    sheet.append(
        [
            _("Tracking code"),
            _("Received at"),
            _("Channel"),
            _("Type"),
            _("Category"),
            _("Urgency"),
            _("Title"),
            _("Content"),
            pgettext("street address", "Address"),
            _("Citizen's name"),
            _("Citizen's phone"),
            _("State"),
            _("Unit"),
            _("Due"),
            _("Result"),
            _("Handling notes"),
            _("Hand-offs"),
            _("Supervised"),
        ]
    )

    def local(value: datetime | None) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    # Each appeal's steps with a note, in order: who did what, when, and what they wrote.
    with_notes = rows.prefetch_related(
        Prefetch("events", queryset=selectors.noted_events(), to_attr="noted_events")
    )
    for appeal in with_notes.iterator(chunk_size=500):
        notes = "\n".join(f"{local(e.at)} {e.get_action_display()}：{e.note}" for e in appeal.noted_events)
        sheet.append(
            [
                appeal.tracking_code,
                local(appeal.received_at),
                appeal.get_channel_display(),
                appeal.get_type_display(),
                appeal.category.name,
                appeal.get_urgency_display(),
                appeal.title,
                appeal.content,
                appeal.address,
                appeal.citizen_name_masked,
                appeal.citizen_phone_masked,
                appeal.get_state_display(),
                appeal.unit.name,
                local(appeal.due_at),
                appeal.get_result_display(),
                notes,
                appeal.handoffs,
                _("Yes") if appeal.supervised else "",
            ]
        )
    yield from workbook.stream()


@login_required
def supervision(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.APPEAL_SUPERVISE)
    form = SupervisionFilterForm(request.GET or None)
    hours = form.window_hours()
    listed = selectors.supervision_list(actor=actor, within=timedelta(hours=hours), **form.received_range())
    found = list(listed[: LIST_LIMIT + 1])
    rows = found[:LIST_LIMIT]
    context = {
        # One form per row, each with its own ids, so that a label never points at another row.
        "items": [(a, SuperviseForm(prefix=Action.SUPERVISE, auto_id=f"sv{a.pk}_%s")) for a in rows],
        "truncated": len(found) > LIST_LIMIT,
        "total": bounded_count(listed),
        "form": form,
        "ranges": month_ranges(timezone.localdate()),
        "hours": hours,
        "counts": selectors.supervision_counts(actor=actor),
    }
    return render(request, "appeals/supervision.html", context)


@login_required
def reviews(request: StaffRequest) -> HttpResponse:
    actor = request.user
    listed = selectors.review_list(actor=actor)
    rows = list(listed[: LIST_LIMIT + 1])
    return render(
        request,
        "appeals/reviews.html",
        {
            "items": [
                (f, ReviewForm(prefix=Action.REVIEW, auto_id=f"rv{f.pk}_%s")) for f in rows[:LIST_LIMIT]
            ],
            "truncated": len(rows) > LIST_LIMIT,
            "total": bounded_count(listed),
        },
    )


@login_required
def follow_ups(request: StaffRequest) -> HttpResponse:
    actor = request.user
    listed = selectors.follow_up_list(actor=actor)
    rows = list(listed[: LIST_LIMIT + 1])
    return render(
        request,
        "appeals/follow_ups.html",
        {
            "items": [
                (f, FollowUpForm(prefix=Action.FOLLOW_UP, auto_id=f"fu{f.pk}_%s")) for f in rows[:LIST_LIMIT]
            ],
            "truncated": len(rows) > LIST_LIMIT,
            "total": bounded_count(listed),
            "now": timezone.now(),
        },
    )


# ---------------------------------------------------------------------------------------------
# Intake


@login_required
@require_POST
def merge_into(request: StaffRequest, pk: int) -> HttpResponse:
    """Merge into from the intake form's likely duplicates (htmx): the contact the clerk is
    taking down joins appeal `pk`'s history and nothing is registered; the form's key makes a
    second tap do nothing twice. On success the browser goes to a fresh form."""
    actor = request.user
    contact = services.RepeatContact(
        channel=request.POST.get("channel", ""),
        title=request.POST.get("title", "")[:120],
        content=request.POST.get("content", "")[:5000],
        citizen_phone=request.POST.get("citizen_phone", "")[:40],
        address=request.POST.get("address", "")[:200],
    )
    try:
        appeal = services.appeal_merge_contact(
            actor=actor,
            appeal_id=pk,
            contact=contact,
            submission_key=request.POST.get("submission_key", "")[:80] or None,
        )
    except ServiceError as exc:
        return render(request, "appeals/_merge_error.html", {"message": exc.message}, status=400)
    messages.success(
        request,
        _("Added to the appeal %(code)s as the citizen's new contact; nothing new was registered.")
        % {"code": appeal.tracking_code},
    )
    response = HttpResponse(status=204)
    response["HX-Redirect"] = f"{reverse('appeals:detail', args=[appeal.pk])}"
    return response


@login_required
@require_POST
def same_caller(request: StaffRequest) -> HttpResponse:
    """The caller's open appeals, while the clerk types the number (POST: a phone number does not
    belong in a URL or an access log)."""
    actor = request.user
    require(actor, Cap.APPEAL_INTAKE)
    phone = services.normalise_phone(request.POST.get("citizen_phone", ""))
    rows: list[Appeal] = []
    if len(phone) >= 7:
        rows = list(
            selectors.same_caller_open(actor=actor, phone_hash=lookup_hash(phone))
            .select_related("unit")
            .order_by("-received_at")[:5]
        )
    return render(request, "appeals/_same_caller.html", {"appeals": rows})


# ---------------------------------------------------------------------------------------------
# One appeal


ACTION_FORMS: dict[str, type[forms.Form]] = {
    Action.ACCEPT: OptionalNoteForm,
    Action.REJECT: ReasonForm,
    Action.DISPATCH: DispatchForm,
    Action.SIGN: SignForm,
    Action.CONTACT: ContactForm,
    Action.TRANSFER: TransferForm,
    Action.RETURN: ReasonForm,
    Action.CONCLUDE: ConcludeForm,
    Action.FOLLOW_UP: FollowUpForm,
    Action.REVIEW: ReviewForm,
    Action.REOPEN: ReasonForm,
    Action.SUPERVISE: SuperviseForm,
    Action.MERGE: MergeForm,
    Action.ARCHIVE: OptionalNoteForm,
    Action.ATTACH: AttachForm,
    Action.URGENCY: UrgencyForm,
}

BUTTONS: dict[str, Any] = {
    Action.ACCEPT: gettext_lazy("Accept"),
    Action.REJECT: gettext_lazy("Do not accept"),
    Action.DISPATCH: gettext_lazy("Dispatch"),
    Action.SIGN: gettext_lazy("Sign for"),
    Action.CONTACT: gettext_lazy("Record contact"),
    Action.TRANSFER: gettext_lazy("Transfer"),
    Action.RETURN: gettext_lazy("Return to the dispatcher"),
    Action.CONCLUDE: gettext_lazy("Conclude"),
    Action.FOLLOW_UP: gettext_lazy("Record the follow-up"),
    Action.REVIEW: gettext_lazy("Record the review"),
    Action.REOPEN: gettext_lazy("Reopen"),
    Action.SUPERVISE: gettext_lazy("Supervise"),
    Action.MERGE: gettext_lazy("Merge"),
    Action.ARCHIVE: gettext_lazy("Archive"),
    Action.ATTACH: gettext_lazy("Attach"),
    Action.URGENCY: gettext_lazy("Decide the urgency"),
}


def _done_message(action: str, data: dict[str, Any]) -> str:
    if action == Action.REVIEW:
        if data.get("reasonable"):
            return _("The review is recorded: the demand is reasonable, so the appeal is reopened.")
        return _("The review is recorded.")
    messages_by_action: dict[str, str] = {
        Action.ACCEPT: _("The appeal is accepted."),
        Action.REJECT: _("The appeal is not accepted; the reason is recorded."),
        Action.DISPATCH: _("The appeal is dispatched."),
        Action.SIGN: _("You signed for the appeal."),
        Action.CONTACT: _("The contact with the citizen is recorded."),
        Action.TRANSFER: _("The appeal is transferred."),
        Action.RETURN: _("The appeal is returned to the dispatcher."),
        Action.CONCLUDE: _("The appeal is concluded; the follow-up is due the next working day."),
        Action.FOLLOW_UP: _("The follow-up is recorded."),
        Action.REOPEN: _("The appeal is reopened."),
        Action.SUPERVISE: _("The appeal is under supervision; the handler is told."),
        Action.MERGE: _("The appeal is merged."),
        Action.ARCHIVE: _("The appeal is archived."),
        Action.ATTACH: _("The files are attached."),
        Action.URGENCY: _("The urgency is decided."),
    }
    return messages_by_action[action]


def action_form(action: str, data: Any = None, files: Any = None) -> forms.Form:
    cls = ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"prefix": action}
    if cls in (DispatchForm, TransferForm):
        kwargs["units"] = _handling_units()
    return cls(data, files, **kwargs)


@dataclass(frozen=True)
class ClockRow:
    label: str
    deadline: datetime | None
    done_at: datetime | None
    running: bool

    @property
    def late(self) -> bool:
        return self.done_at is not None and self.deadline is not None and self.done_at > self.deadline


def _clock_rows(appeal: Appeal) -> list[ClockRow]:
    running = clocks.running(appeal)
    rows = [
        ClockRow(str(Clock.SIGN.label), appeal.sign_by, appeal.signed_at, "sign" in running),
        ClockRow(str(Clock.CONTACT.label), appeal.contact_by, appeal.contacted_at, "contact" in running),
        ClockRow(str(Clock.CONCLUDE.label), appeal.conclude_by, appeal.concluded_at, "conclude" in running),
    ]
    return [row for row in rows if row.deadline is not None or row.done_at is not None]


def _detail_context(
    actor: User, appeal: Appeal, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    actions = selectors.allowed_actions(actor=actor, appeal=appeal)
    return {
        "appeal": appeal,
        "clocks": _clock_rows(appeal),
        "events": selectors.appeal_events(actor=actor, appeal=appeal),
        "attachments": appeal.attachments.all(),
        "assists": appeal.assists.select_related("unit"),
        "follow_ups": appeal.follow_ups.select_related("answered_by", "reviewed_by").order_by("round"),
        "merged": selectors.appeal_scope(actor).filter(merged_into=appeal).order_by("received_at"),
        "merged_into_visible": appeal.merged_into_id is not None
        and selectors.appeal_scope(actor).filter(pk=appeal.merged_into_id).exists(),
        "actions": [
            {"action": a, "button": BUTTONS[a], "form": bound.get(a) or action_form(a), "open": a in bound}
            for a in actions
        ],
    }


@login_required
def detail(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    appeal = selectors.appeal_get(actor=actor, pk=pk)
    return render(request, "appeals/detail.html", _detail_context(actor, appeal))


def _resolve_into(actor: User, text: str) -> int:
    """The appeal a duplicate is merged into, by tracking code or number, within the scope."""
    text = "".join(text.split()).upper()
    scope = selectors.appeal_scope(actor)
    found = scope.filter(pk=int(text)) if text.isdigit() else scope.filter(tracking_code=text)
    pk = found.values_list("pk", flat=True).first()
    if pk is None:
        raise ServiceError(_("No such appeal in your scope."), code=CommonError.NOT_FOUND, field="into")
    return pk


def _run(action: str, actor: User, pk: int, data: dict[str, Any]) -> Appeal:
    match action:
        case Action.ACCEPT:
            return services.appeal_accept(actor=actor, appeal_id=pk, note=data["note"])
        case Action.REJECT:
            return services.appeal_reject(actor=actor, appeal_id=pk, reason=data["reason"])
        case Action.DISPATCH:
            return services.appeal_dispatch(
                actor=actor,
                appeal_id=pk,
                unit=data["unit"],
                assist_units=list(data["assist_units"]),
                note=data["note"],
            )
        case Action.SIGN:
            return services.appeal_sign(actor=actor, appeal_id=pk)
        case Action.CONTACT:
            return services.appeal_contact(actor=actor, appeal_id=pk, note=data["note"])
        case Action.TRANSFER:
            return services.appeal_transfer(
                actor=actor, appeal_id=pk, unit=data["unit"], reason=data["reason"]
            )
        case Action.RETURN:
            return services.appeal_return(actor=actor, appeal_id=pk, reason=data["reason"])
        case Action.CONCLUDE:
            return services.appeal_conclude(
                actor=actor, appeal_id=pk, result=data["result"], note=data["note"], files=data["files"]
            )
        case Action.FOLLOW_UP:
            return services.appeal_follow_up(
                actor=actor,
                appeal_id=pk,
                resolved=data["resolved"],
                satisfaction=data["satisfaction"],
                note=data["note"],
            )
        case Action.REVIEW:
            return services.appeal_review(
                actor=actor, appeal_id=pk, reasonable=data["reasonable"], note=data["note"]
            )
        case Action.REOPEN:
            return services.appeal_reopen(actor=actor, appeal_id=pk, reason=data["reason"])
        case Action.SUPERVISE:
            return services.appeal_supervise(actor=actor, appeal_id=pk, note=data["note"])
        case Action.MERGE:
            return services.appeal_merge(
                actor=actor, appeal_id=pk, into=_resolve_into(actor, data["into"]), note=data["note"]
            )
        case Action.ARCHIVE:
            return services.appeal_archive(actor=actor, appeal_id=pk, note=data["note"])
        case Action.ATTACH:
            return services.appeal_attach(actor=actor, appeal_id=pk, files=data["files"], note=data["note"])
        case Action.URGENCY:
            return services.appeal_urgency_decide(
                actor=actor, appeal_id=pk, confirm=data["confirm"], note=data["note"]
            )
    raise Http404


def _work_item(request: StaffRequest, pk: int, *, error: str = "", status: int = 200) -> HttpResponse:
    """The row of "my work" after a step, as htmx swaps it in place."""
    appeal = selectors.appeal_scope(request.user).select_related("category", "unit").filter(pk=pk).first()
    if appeal is None:
        # The step moved the appeal out of this person's sight: the row goes.
        return HttpResponse("", status=status)
    context = {"appeal": appeal, "error": error, "can_handle": can(request.user, Cap.APPEAL_HANDLE)}
    return render(request, "appeals/_work_item.html", context, status=status)


@login_required
@require_POST
def act(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    actor = request.user
    if action not in ACTION_FORMS:
        raise Http404
    # The capability first: a person who may never take this step learns nothing from a form error.
    if not any(can(actor, cap) for cap in TRANSITIONS[action].caps):
        raise PermissionDenied
    appeal = selectors.appeal_get(actor=actor, pk=pk)
    selectors.require_other_hand(actor=actor, action=action, appeal=appeal)
    fragment = _is_htmx(request) and request.POST.get("fragment") == WORK_ITEM
    form = action_form(action, request.POST, request.FILES)
    if form.is_valid():
        try:
            _run(action, actor, appeal.pk, form.cleaned_data)
        except TransitionNotAllowed as exc:
            # The appeal moved on while the page was open (a colleague signed first): say so and
            # show it as it is now.
            if fragment:
                return _work_item(request, pk, error=exc.message, status=409)
            if _is_htmx(request):
                return HttpResponse(exc.message, status=409)
            messages.error(request, exc.message)
            return redirect(safe_next(request, reverse("appeals:detail", args=[pk])))
        except ServiceError as exc:
            if fragment:
                return _work_item(request, pk, error=exc.message, status=400)
            form_add_service_error(form, exc)
        else:
            if fragment:
                return _work_item(request, pk)
            messages.success(request, _done_message(action, form.cleaned_data))
            if not selectors.appeal_scope(actor).filter(pk=pk).exists():
                # Transferred or returned out of this person's scope: the detail page would be a 404.
                return redirect("appeals:mine" if can(actor, Cap.APPEAL_HANDLE) else "appeals:queue")
            return redirect(safe_next(request, reverse("appeals:detail", args=[pk])))
    elif fragment:
        return _work_item(request, pk, error=_("Check the form and try again."), status=400)
    # The page again, with this form's input and its errors beside the fields.
    appeal = selectors.appeal_get(actor=actor, pk=pk)
    context = _detail_context(actor, appeal, bound={action: form})
    return render(request, "appeals/detail.html", context, status=400)


@login_required
@require_POST
def reveal_phone(request: StaffRequest, pk: int) -> HttpResponse:
    """The citizen's full phone number as a `tel:` link; each reveal is an audited read."""
    actor = request.user
    appeal = selectors.appeal_get(actor=actor, pk=pk)
    if not appeal.citizen_phone:
        raise Http404
    audit_read(actor=actor, target=appeal, what="citizen_phone")
    template = "appeals/_phone.html" if _is_htmx(request) else "appeals/phone.html"
    return render(request, template, {"appeal": appeal, "phone": appeal.citizen_phone})


@login_required
def attachment(request: StaffRequest, pk: int) -> FileResponse:
    """A file of an appeal, only to those who can see the appeal; files have no public URL."""
    actor = request.user
    row = selectors.attachment_get(actor=actor, pk=pk)
    # Evidence files may show people and documents: reading one is recorded like a phone reveal.
    audit_read(actor=actor, target=row, what="attachment")
    response = FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.original_name)
    # Images and PDFs (their bytes were checked at upload) are shown in the browser; nothing else
    # is ever stored.
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Settings


def _settings_forms(
    create: CategoryCreateForm | None = None,
    update: tuple[int, CategoryUpdateForm] | None = None,
    policy_form: DeadlinePolicyForm | None = None,
) -> dict[str, Any]:
    """The settings page's forms, with the one that failed bound to its input."""
    categories = selectors.category_settings()
    tree = []
    for heading in [c for c in categories if c.parent_id is None]:
        for category in [heading, *[c for c in categories if c.parent_id == heading.pk]]:
            failed = update is not None and update[0] == category.pk
            form = (
                update[1]
                if update is not None and failed
                else CategoryUpdateForm(
                    prefix=f"cat{category.pk}",
                    initial={
                        "category": category.pk,
                        "name": category.name,
                        "name_en": category.name_en,
                        "position": category.position,
                        "is_active": category.is_active,
                    },
                )
            )
            tree.append({"category": category, "form": form, "open": failed})
    policies = []
    for policy in selectors.deadline_policies():
        initial: dict[str, Any] = {"urgency": policy.urgency, "type": policy.type}
        for clock in ("sign", "contact", "conclude"):
            initial[f"{clock}_amount"], initial[f"{clock}_unit"] = policy.clock(clock)
        policies.append(
            {"policy": policy, "form": DeadlinePolicyForm(prefix=f"pol{policy.pk}", initial=initial)}
        )
    return {
        "tree": tree,
        "create_form": create or CategoryCreateForm(prefix="new", headings=selectors.category_headings()),
        "policies": policies,
        "policy_form": policy_form or DeadlinePolicyForm(prefix="policy"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.MANAGE_APPEAL_SETTINGS)
    if request.method == "GET":
        return render(request, "appeals/settings.html", _settings_forms())
    which = request.POST.get("form", "")
    headings = selectors.category_headings()
    if which == "category_create":
        create = CategoryCreateForm(request.POST, prefix="new", headings=headings)
        if create.is_valid():
            try:
                row = category_create(actor=actor, **create.cleaned_data)
            except ServiceError as exc:
                form_add_service_error(create, exc)
            else:
                messages.success(request, _("Category %(name)s added.") % {"name": row.name})
                return redirect("appeals:settings")
        return render(request, "appeals/settings.html", _settings_forms(create=create), status=400)
    if which == "category_update":
        prefix = request.POST.get("prefix", "")
        if not prefix.startswith("cat") or not prefix[3:].isdigit():
            return HttpResponseBadRequest()
        update = CategoryUpdateForm(request.POST, prefix=prefix)
        if update.is_valid():
            data = update.cleaned_data
            try:
                row = category_update(
                    actor=actor,
                    category=data["category"],
                    name=data["name"],
                    name_en=data["name_en"],
                    position=data["position"],
                    is_active=data["is_active"],
                )
            except ServiceError as exc:
                form_add_service_error(update, exc)
            else:
                messages.success(request, _("Category %(name)s saved.") % {"name": row.name})
                return redirect("appeals:settings")
        return render(
            request, "appeals/settings.html", _settings_forms(update=(int(prefix[3:]), update)), status=400
        )
    if which == "policy":
        prefix = request.POST.get("prefix", "policy")
        if prefix != "policy" and not (prefix.startswith("pol") and prefix[3:].isdigit()):
            return HttpResponseBadRequest()
        policy = DeadlinePolicyForm(request.POST, prefix=prefix)
        if policy.is_valid():
            try:
                deadline_policy_set(actor=actor, **policy.cleaned_data)
            except ServiceError as exc:
                form_add_service_error(policy, exc)
            else:
                messages.success(request, _("The deadlines are saved; they apply to clocks set from now on."))
                return redirect("appeals:settings")
        return render(request, "appeals/settings.html", _settings_forms(policy_form=policy), status=400)
    return HttpResponseBadRequest()


# ---------------------------------------------------------------------------------------------
# The citizen's follow-up link (public)


@require_http_methods(["GET", "POST"])
def citizen_follow_up(request: HttpRequest, token: str) -> HttpResponse:
    """The page the SMS links to. The token is the only credential, so the page shows nothing
    that identifies anyone: no names, no phone, no staff; only what the citizen already knows."""
    follow_up = services.follow_up_by_token(token)
    if follow_up is None:
        answered = request.GET.get("answered") == "1"
        return render(
            request, "appeals/citizen_closed.html", {"answered": answered}, status=200 if answered else 410
        )
    form = CitizenFollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_follow_up_by_citizen(token=token, **form.cleaned_data)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            return HttpResponseRedirect(f"{request.path}?answered=1")
    appeal = follow_up.appeal
    context = {
        "form": form,
        "tracking_code": appeal.tracking_code,
        "title": appeal.title,
        "result": appeal.get_result_display(),
        "concluded_at": appeal.concluded_at,
    }
    return render(request, "appeals/citizen_follow_up.html", context, status=400 if form.errors else 200)
