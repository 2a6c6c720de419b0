"""The calendar page: a year's holidays and working weekends, and the forms that change them."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.core.http import StaffRequest
from jingmin.org.roles import Cap
from jingmin.org.selectors import require
from jingmin.worktime import services
from jingmin.worktime.calendar import SHANGHAI, uncovered_years, weekend_rule
from jingmin.worktime.forms import DaySetForm, YearChoiceForm, YearPublishForm, lines_initial
from jingmin.worktime.selectors import calendar_overview


def _year_url(year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('worktime:calendar')}?year={year}")


def _chosen_year(request: StaffRequest) -> int:
    form = YearChoiceForm(request.GET)
    if form.is_valid():
        return int(form.cleaned_data["year"])
    return timezone.now().astimezone(SHANGHAI).date().year


@login_required
def calendar(request: StaffRequest) -> HttpResponse:
    actor = request.user
    require(actor, Cap.MANAGE_CALENDAR)
    year = _chosen_year(request)
    day_form = DaySetForm(prefix="day")
    publish_form: YearPublishForm | None = None
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "day":
            day_form = DaySetForm(request.POST, prefix="day")
            if day_form.is_valid():
                day: date = day_form.cleaned_data["day"]
                try:
                    services.calendar_day_set(actor=actor, **day_form.service_args())
                except ServiceError as exc:
                    form_add_service_error(day_form, exc)
                else:
                    messages.success(request, _("%(day)s saved.") % {"day": day.isoformat()})
                    return _year_url(day.year)
                year = day.year
        elif which == "publish":
            publish_form = YearPublishForm(request.POST, prefix="publish")
            if publish_form.is_valid():
                response = _publish(request, publish_form)
                if response is not None:
                    return response
        else:
            return HttpResponseBadRequest()
    overview = calendar_overview(actor=actor, year=year)
    if publish_form is None:
        publish_form = YearPublishForm(
            prefix="publish",
            initial={
                "year": year,
                "note": overview.schedule.published_note if overview.schedule else "",
                "lines": lines_initial(overview.days),
            },
        )
    missing = uncovered_years()
    if overview.schedule is None and year not in missing:
        missing = sorted([*missing, year])
    context = {
        "overview": overview,
        "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        "day_form": day_form,
        "publish_form": publish_form,
        "uncovered_years": missing,
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "worktime/calendar.html", context)


def _publish(request: StaffRequest, form: YearPublishForm) -> HttpResponse | None:
    year: int = form.cleaned_data["year"]
    days = form.cleaned_data["days"]
    try:
        services.calendar_year_publish(
            actor=request.user, year=year, days=days, note=form.cleaned_data["note"]
        )
    except ServiceError as exc:
        form_add_service_error(form, exc)
        return None
    holidays = sum(1 for day, is_workday, _name in days if not is_workday and weekend_rule(day))
    workdays = sum(1 for day, is_workday, _name in days if is_workday and not weekend_rule(day))
    messages.success(
        request,
        _(
            "The schedule for %(year)s is saved: %(holidays)d holidays on weekdays and %(workdays)d working weekends."
        )
        % {"year": str(year), "holidays": holidays, "workdays": workdays},
    )
    repeated = len(days) - holidays - workdays
    if repeated:
        messages.info(
            request,
            ngettext(
                "%(count)d line repeated the weekend rule and was not stored.",
                "%(count)d lines repeated the weekend rule and were not stored.",
                repeated,
            )
            % {"count": repeated},
        )
    return _year_url(year)
