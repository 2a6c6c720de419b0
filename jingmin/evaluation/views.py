"""Staff pages of open-door events and surveys.

Thin: each view finds its record through a selector (404 outside the scope), checks the role
(403) before it reads a body, parses a form and calls one service. A refused change comes back
beside its field with 400.
"""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jingmin.appeals.selectors import category_list
from jingmin.audit.services import audit_read
from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.evaluation import exports, selectors, services
from jingmin.evaluation.forms import (
    BLOCKS_DEFAULT,
    BLOCKS_MAX,
    AttendanceForm,
    ConcludeForm,
    EventForm,
    FilesForm,
    HoldForm,
    OpinionForm,
    RatingForm,
    SurveyForm,
    ToAppealForm,
    TrackForm,
)
from jingmin.evaluation.models import Event, Survey, SurveyState
from jingmin.org.roles import Cap, can
from jingmin.org.selectors import require

LIST_LIMIT = 200


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------------------------------------
# Events


@login_required
@require_GET
def events(request: StaffRequest) -> HttpResponse:
    rows = list(selectors.event_list(actor=request.user)[:LIST_LIMIT])
    return render(
        request,
        "evaluation/events.html",
        {"events": rows, "can_manage": can(request.user, Cap.EVALUATION_MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_plan(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.EVALUATION_MANAGE)
    form = EventForm(request.POST or None, stations=selectors.stations_for(actor=actor))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                event = services.event_plan(actor=actor, data=form.to_input())
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("The event is planned and shown on the public portal."))
                return redirect("evaluation:event", pk=event.pk)
    return render(request, "evaluation/event_plan.html", {"form": form}, status=status)


def _event_context(actor: Any, event: Event, **forms_: forms.Form) -> dict[str, Any]:
    staff = selectors.station_staff(unit=event.unit)
    opinions = list(event.opinions.select_related("owner", "appeal"))
    categories = category_list()
    context: dict[str, Any] = {
        "event": event,
        "can_manage": can(actor, Cap.EVALUATION_MANAGE),
        "attendance": list(event.attendance.all()),
        "attendees": list(event.attendees.all()),
        "files": list(event.files.all()),
        "ratings": selectors.event_rating_summary(event=event),
        "opinions": [
            {
                "row": o,
                "appeal_form": ToAppealForm(prefix=f"a{o.pk}", categories=categories),
                "track_form": TrackForm(prefix=f"t{o.pk}", staff=staff),
                "conclude_form": ConcludeForm(prefix=f"c{o.pk}"),
                "may_conclude": o.owner_id == actor.pk or can(actor, Cap.EVALUATION_MANAGE),
            }
            for o in opinions
        ],
        "history": list(event.history.select_related("actor")),
        "hold_form": HoldForm(initial={"minutes": event.minutes}),
        "attendance_form": AttendanceForm(),
        "files_form": FilesForm(),
        "rating_form": RatingForm(staff=staff),
        "opinion_form": OpinionForm(),
    }
    context.update(forms_)
    return context


@login_required
@require_GET
def event(request: StaffRequest, pk: int) -> HttpResponse:
    row = selectors.event_get(actor=request.user, pk=pk)
    return render(request, "evaluation/event.html", _event_context(request.user, row))


def _event_action(request: StaffRequest, pk: int, name: str, make: Any, act: Any, done: str) -> HttpResponse:
    """The shape of every step on an event: find it (404), check the role (403), then the form."""
    actor = request.user
    row = selectors.event_get(actor=actor, pk=pk)
    require(actor, Cap.EVALUATION_MANAGE)
    form = make(row)
    if form.is_valid():
        try:
            act(row, form)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("evaluation:event", pk=row.pk)
    context = _event_context(actor, row, **{name: form})
    return render(request, "evaluation/event.html", context, status=400)


@login_required
@require_POST
def event_hold(request: StaffRequest, pk: int) -> HttpResponse:
    return _event_action(
        request,
        pk,
        "hold_form",
        lambda e: HoldForm(request.POST),
        lambda e, f: services.event_hold(
            actor=request.user, event_id=e.pk, minutes=f.cleaned_data["minutes"]
        ),
        _("The event is recorded as held, with its minutes."),
    )


@login_required
@require_POST
def event_attendance(request: StaffRequest, pk: int) -> HttpResponse:
    return _event_action(
        request,
        pk,
        "attendance_form",
        lambda e: AttendanceForm(request.POST),
        lambda e, f: services.event_attendance_record(
            actor=request.user, event_id=e.pk, counts=f.counts(), named=f.named()
        ),
        _("The attendance is recorded."),
    )


@login_required
@require_POST
def event_files(request: StaffRequest, pk: int) -> HttpResponse:
    return _event_action(
        request,
        pk,
        "files_form",
        lambda e: FilesForm(request.POST, request.FILES),
        lambda e, f: services.event_file_add(
            actor=request.user, event_id=e.pk, files=f.cleaned_data["files"]
        ),
        _("The files are attached."),
    )


@login_required
@require_POST
def event_ratings(request: StaffRequest, pk: int) -> HttpResponse:
    return _event_action(
        request,
        pk,
        "rating_form",
        lambda e: RatingForm(request.POST, staff=selectors.station_staff(unit=e.unit)),
        lambda e, f: services.event_rate(
            actor=request.user, event_id=e.pk, officer=f.cleaned_data["officer"], levels=f.levels()
        ),
        _("The ratings are recorded."),
    )


@login_required
@require_POST
def event_opinion(request: StaffRequest, pk: int) -> HttpResponse:
    return _event_action(
        request,
        pk,
        "opinion_form",
        lambda e: OpinionForm(request.POST),
        lambda e, f: services.opinion_add(actor=request.user, event_id=e.pk, **f.cleaned_data),
        _("The opinion is recorded. Turn it into an appeal or give it an owner."),
    )


def _opinion_action(
    request: StaffRequest, pk: int, make: Any, act: Any, done: str, *, owner_may: bool = False
) -> HttpResponse:
    actor = request.user
    opinion = selectors.opinion_get(actor=actor, pk=pk)
    if not (owner_may and opinion.owner_id == actor.pk):
        require(actor, Cap.EVALUATION_MANAGE)
    form = make(opinion)
    if form.is_valid():
        try:
            act(opinion, form)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("evaluation:event", args=[opinion.event_id]) + f"#opinion-{opinion.pk}")


@login_required
@require_POST
def opinion_appeal(request: StaffRequest, pk: int) -> HttpResponse:
    return _opinion_action(
        request,
        pk,
        lambda o: ToAppealForm(request.POST, prefix=f"a{o.pk}", categories=category_list()),
        lambda o, f: services.opinion_to_appeal(actor=request.user, opinion_id=o.pk, **f.cleaned_data),
        _("The opinion is now an appeal of the station."),
    )


@login_required
@require_POST
def opinion_track(request: StaffRequest, pk: int) -> HttpResponse:
    return _opinion_action(
        request,
        pk,
        lambda o: TrackForm(
            request.POST, prefix=f"t{o.pk}", staff=selectors.station_staff(unit=o.event.unit)
        ),
        lambda o, f: services.opinion_track(actor=request.user, opinion_id=o.pk, **f.cleaned_data),
        _("The opinion has an owner and a deadline."),
    )


@login_required
@require_POST
def opinion_conclude(request: StaffRequest, pk: int) -> HttpResponse:
    return _opinion_action(
        request,
        pk,
        lambda o: ConcludeForm(request.POST, prefix=f"c{o.pk}"),
        lambda o, f: services.opinion_conclude(actor=request.user, opinion_id=o.pk, **f.cleaned_data),
        _("The outcome is recorded and, where a number was left, sent to the person."),
        owner_may=True,
    )


@login_required
@require_GET
def event_file(request: StaffRequest, pk: int) -> FileResponse:
    """A file of an event, only to those who see the event; files have no public address."""
    actor = request.user
    row = selectors.event_file_get(actor=actor, pk=pk)
    audit_read(actor=actor, target=row, what="event_file")
    response = FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.original_name)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def compliance(request: StaffRequest) -> HttpResponse:
    year = _int(request.GET.get("year"), timezone.localdate().year)
    result = selectors.compliance(actor=request.user, year=year)
    return render(request, "evaluation/compliance.html", {"result": result})


@login_required
@require_GET
def my_opinions(request: StaffRequest) -> HttpResponse:
    require(request.user, Cap.EVALUATION_VIEW)
    rows = list(selectors.my_open_opinions(actor=request.user))
    return render(request, "evaluation/my_opinions.html", {"opinions": rows})


# ---------------------------------------------------------------------------------------------
# Surveys


@login_required
@require_GET
def surveys(request: StaffRequest) -> HttpResponse:
    rows = list(selectors.survey_list(actor=request.user)[:LIST_LIMIT])
    return render(
        request,
        "evaluation/surveys.html",
        {"surveys": rows, "can_manage": can(request.user, Cap.EVALUATION_MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_build(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.EVALUATION_MANAGE)
    units = selectors.survey_units_for(actor=actor)
    blocks = max(1, min(_int(request.GET.get("questions"), BLOCKS_DEFAULT), BLOCKS_MAX))
    form = SurveyForm(request.POST or None, units=units, blocks=blocks)
    status = 200
    if request.method == "POST":
        status = 400
        if "more" in request.POST:
            # More blocks, everything typed kept: the same form again with two more blocks.
            data = request.POST.copy()
            data["blocks"] = str(min(form.block_count + 2, BLOCKS_MAX))
            form = SurveyForm(data, units=units)
            form.errors.clear()
            status = 200
        elif form.is_valid():
            built, origin = form.to_input()
            try:
                survey = services.survey_create(actor=actor, data=built)
            except ServiceError as exc:
                field = exc.field or ""
                if field.startswith("q") and "_" in field and field[1:].split("_", 1)[0].isdigit():
                    index, rest = field[1:].split("_", 1)
                    exc.field = f"q{origin[int(index)]}_{rest}"
                form_add_service_error(form, exc)
            else:
                messages.success(request, _("The survey is saved as a draft. Check it, then publish it."))
                return redirect("evaluation:survey", pk=survey.pk)
    return render(request, "evaluation/survey_build.html", {"form": form}, status=status)


@login_required
@require_GET
def survey(request: StaffRequest, pk: int) -> HttpResponse:
    row = selectors.survey_get(actor=request.user, pk=pk)
    results = selectors.survey_results(survey=row)
    return render(
        request,
        "evaluation/survey.html",
        {
            "survey": row,
            "results": results,
            "can_manage": can(request.user, Cap.EVALUATION_MANAGE),
            "public_url": _public_url(request, row),
        },
    )


@login_required
@require_POST
def survey_step(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    row = selectors.survey_get(actor=actor, pk=pk)
    require(actor, Cap.EVALUATION_MANAGE)
    step = request.POST.get("step", "")
    try:
        services.survey_step(actor=actor, survey_id=row.pk, step=step)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The survey is now “%(state)s”.")
            % {"state": Survey.objects.get(pk=row.pk).get_state_display()},
        )
    return redirect("evaluation:survey", pk=row.pk)


@login_required
@require_GET
def survey_export(request: StaffRequest, pk: int) -> HttpResponse:
    actor = request.user
    row = selectors.survey_get(actor=actor, pk=pk)
    content, count = exports.survey_answers_xlsx(survey=row)
    services.survey_export_logged(actor=actor, survey=row, rows=count)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{row.pk}-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


def _public_url(request: StaffRequest, row: Survey) -> str:
    return request.build_absolute_uri(reverse("portal:survey", args=[row.code]))


def survey_qr_svg(url: str) -> bytes:
    """The QR code of a survey's public address, as SVG (sharp at any print size)."""
    from io import BytesIO

    out = BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=2, xmldecl=False)
    return out.getvalue()


@login_required
@require_GET
def survey_qr(request: StaffRequest, pk: int) -> HttpResponse:
    row = selectors.survey_get(actor=request.user, pk=pk)
    if row.state == SurveyState.DRAFT:
        raise Http404
    response = HttpResponse(survey_qr_svg(_public_url(request, row)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def survey_poster(request: StaffRequest, pk: int) -> HttpResponse:
    row = selectors.survey_get(actor=request.user, pk=pk)
    if row.state == SurveyState.DRAFT:
        raise Http404
    return render(request, "evaluation/poster.html", {"survey": row, "public_url": _public_url(request, row)})
