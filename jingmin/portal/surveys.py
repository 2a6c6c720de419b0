"""The public pages of open-door evaluation: events announced by the stations and surveys
answered anonymously, on a cheap phone, without script.

A survey sheet counts against the portal's limits per address and per device (a random cookie of
the browser, nothing else about the phone), and asks for the portal's image captcha past the
soft threshold, as appeal submission does. Nothing personal is shown or kept: the events carry no
names and no opinions; a sheet keeps only its answers and when it came.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from jingmin.core.errors import ServiceError
from jingmin.core.forms import form_add_service_error
from jingmin.evaluation import selectors as evaluation
from jingmin.evaluation.models import Question, QuestionKind, Survey
from jingmin.portal import limits, services
from jingmin.portal.forms import captcha_field
from jingmin.portal.views import _needs_captcha, _remember_captcha, _render

DEVICE_COOKIE = "jm_device"
DEVICE_MAX_AGE = 365 * 24 * 3600


class SurveyAnswerForm(forms.Form):
    """One field per question, named after the question's id (`q12`) like the service's errors."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args: Any, survey: Survey, with_captcha: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.prefetch_related("options"))
        for q in self.questions:
            self.fields[f"q{q.pk}"] = _field(q)
        if with_captcha:
            self.fields["captcha"] = captcha_field()

    def rows(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[f"q{q.pk}"]) for q in self.questions]

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


def _field(q: Question) -> forms.Field:
    label = f"{q.position}. {q.text}"
    # Required questions are checked by the service, so that its message is the one shown.
    if q.kind == QuestionKind.SINGLE:
        return forms.TypedChoiceField(
            label=label,
            required=False,
            coerce=int,
            widget=forms.RadioSelect,
            choices=[(o.pk, o.text) for o in q.options.all()],
        )
    if q.kind == QuestionKind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            label=label,
            required=False,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            choices=[(o.pk, o.text) for o in q.options.all()],
        )
    if q.kind == QuestionKind.SCALE:
        return forms.TypedChoiceField(
            label=label,
            required=False,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            choices=[
                (5, _("5 Very satisfied")),
                (4, _("4 Satisfied")),
                (3, _("3 Fairly satisfied")),
                (2, _("2 Dissatisfied")),
                (1, _("1 Very dissatisfied")),
            ],
        )
    return forms.CharField(
        label=label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _device(request: HttpRequest) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if 16 <= len(value) <= 64 and value.isalnum() else ""


@require_GET
def evaluation_home(request: HttpRequest) -> HttpResponse:
    """Open surveys and the stations' events, upcoming first."""
    return _render(
        request,
        "portal/evaluation.html",
        {"surveys": list(evaluation.public_surveys()[:20]), "events": list(evaluation.public_events()[:30])},
    )


@require_GET
def event(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, "portal/event.html", {"event": evaluation.public_event(pk=pk)})


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    row = evaluation.public_survey(code=code)
    if not row.accepts_answers():
        return _render(request, "portal/survey_closed.html", {"survey": row})
    client = limits.client_address(request)
    device = _device(request)
    counters = [("survey-ip", client), ("survey-device", device)]
    with_captcha = _needs_captcha(request, counters)
    status = 200
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, survey=row, with_captcha=with_captcha)
        status = 400
        valid = form.is_valid()
        _remember_captcha(request, form)
        if valid:
            try:
                services.portal_survey_answer(
                    survey=row,
                    answers=form.answers(),
                    submission_key=form.cleaned_data["submission_key"],
                    client=client,
                    device=device,
                )
            except services.RateLimited as exc:
                return _render(request, "portal/limited.html", {"message": exc.message}, status=429)
            except ServiceError as exc:
                form_add_service_error(form, exc)
            else:
                return redirect("portal:survey_done", code=row.code)
    else:
        form = SurveyAnswerForm(survey=row, with_captcha=with_captcha)
    response = _render(request, "portal/survey.html", {"survey": row, "form": form}, status=status)
    if not device:
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(16),
            max_age=DEVICE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


@require_GET
def survey_done(request: HttpRequest, code: str) -> HttpResponse:
    row = evaluation.public_survey(code=code)
    return _render(request, "portal/survey_done.html", {"survey": row})
