"""Reads of events, opinions and surveys, scoped by `jingmin.org.scope`; the public reads the
portal shows (nothing personal); the survey results; the compliance view; and the rating rows
this domain gives to the satisfaction figures."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jingmin.evaluation.codes import RatingSource
from jingmin.evaluation.models import (
    CHOICE_KINDS,
    OPEN_OPINION_STATES,
    SCALE_LEVELS,
    Answer,
    Event,
    EventFile,
    EventRating,
    EventState,
    Opinion,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyState,
)
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope


def _require(actor: User, cap: Cap) -> None:
    if not can(actor, cap):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Staff


def event_list(*, actor: User) -> QuerySet[Event]:
    _require(actor, Cap.EVALUATION_VIEW)
    return (
        Scope.of(actor)
        .filter(Event.objects.select_related("unit"), "unit_path")
        .annotate(open_opinions=Count("opinions", filter=Q(opinions__state__in=OPEN_OPINION_STATES)))
    )


def scope_or_owned(actor: User, owned: Q) -> Q:
    """The scope's condition, widened to what the person owns: an officer of a district owns the
    opinions of a station-wide event given to them to answer."""
    scope = Scope.of(actor)
    # The bureau's scope is no condition at all, and `Q() | x` would be `x` alone.
    return Q() if scope.is_everything else scope.q("unit_path") | owned


def visible_opinions(actor: User) -> QuerySet[Opinion]:
    return Opinion.objects.filter(scope_or_owned(actor, Q(owner=actor)))


def visible_events(actor: User) -> QuerySet[Event]:
    owned = Opinion.objects.filter(event=OuterRef("pk"), owner=actor)
    return Event.objects.filter(scope_or_owned(actor, Q(Exists(owned))))


def event_get(*, actor: User, pk: int) -> Event:
    _require(actor, Cap.EVALUATION_VIEW)
    row = visible_events(actor).select_related("unit").filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def opinion_get(*, actor: User, pk: int) -> Opinion:
    _require(actor, Cap.EVALUATION_VIEW)
    row = visible_opinions(actor).select_related("event", "event__unit").filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def event_file_get(*, actor: User, pk: int) -> EventFile:
    _require(actor, Cap.EVALUATION_VIEW)
    row = EventFile.objects.filter(pk=pk, event__in=visible_events(actor)).first()
    if row is None:
        raise Http404
    return row


@dataclass(frozen=True)
class RatingSummary:
    officer: User | None
    counts: list[tuple[int, int]]  # (level, count), 5 first
    total: int


def event_rating_summary(*, event: Event) -> list[RatingSummary]:
    """The ratings of an event: the station's first, then each named officer's."""
    grouped: dict[int | None, Counter[int]] = {}
    for officer, level, n in (
        EventRating.objects.filter(event=event)
        .values("officer", "level")
        .annotate(n=Count("id"))
        .values_list("officer", "level", "n")
    ):
        grouped.setdefault(officer, Counter())[level] = n
    people = {u.pk: u for u in User.objects.filter(pk__in=[k for k in grouped if k is not None])}
    order = sorted(grouped, key=lambda k: (k is not None, people[k].full_name if k is not None else ""))
    return [
        RatingSummary(
            officer=people.get(k) if k is not None else None,
            counts=[(level, grouped[k].get(level, 0)) for level in reversed(SCALE_LEVELS)],
            total=sum(grouped[k].values()),
        )
        for k in order
    ]


def stations_for(*, actor: User) -> QuerySet[Unit]:
    """The stations an event may be planned for."""
    return Scope.of(actor).units().filter(kind=UnitKind.STATION, is_active=True)


def survey_units_for(*, actor: User) -> QuerySet[Unit]:
    """The stations and police districts a survey may be tied to."""
    return Scope.of(actor).units().filter(kind__in=[UnitKind.STATION, UnitKind.DISTRICT], is_active=True)


def station_staff(*, unit: Unit) -> QuerySet[User]:
    """The active staff of a station and its districts: owners of opinions, officers to rate."""
    return Scope.under(unit).filter(User.objects.filter(is_active=True), "unit__path").order_by("full_name")


def my_open_opinions(*, actor: User) -> QuerySet[Opinion]:
    """Opinions this person owns whose outcome is still to be reported."""
    return Opinion.objects.filter(owner=actor, state__in=OPEN_OPINION_STATES).select_related("event")


def survey_list(*, actor: User) -> QuerySet[Survey]:
    _require(actor, Cap.EVALUATION_VIEW)
    return (
        Scope.of(actor)
        .filter(Survey.objects.select_related("unit"), "unit_path")
        .annotate(answers=Count("responses"))
    )


def survey_get(*, actor: User, pk: int) -> Survey:
    row = survey_list(actor=actor).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@dataclass(frozen=True)
class Compliance:
    year: int
    stations_without_event: list[Unit]
    events_with_open_opinions: list[Event]


def compliance(*, actor: User, year: int | None = None) -> Compliance:
    """Stations of the scope with no event held or planned this year, and events whose opinions
    still wait for an answer."""
    _require(actor, Cap.EVALUATION_VIEW)
    year = year or timezone.localdate().year
    scope = Scope.of(actor)
    events_this_year = Event.objects.filter(unit=OuterRef("pk"), starts_at__year=year)
    stations: list[Unit] = list(
        scope.units()
        .filter(kind=UnitKind.STATION, is_active=True)
        .annotate(has_event=Exists(events_this_year))
        .filter(has_event=False)
        .order_by("path")
    )
    open_events = list(
        event_list(actor=actor)
        .filter(Exists(Opinion.objects.filter(event=OuterRef("pk"), state__in=OPEN_OPINION_STATES)))
        .order_by("starts_at")
    )
    return Compliance(year=year, stations_without_event=stations, events_with_open_opinions=open_events)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    # (label, count) in the order the question offers them: options, or levels 1–5.
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    mean: float | None = None

    @property
    def chart_json(self) -> str:
        return json.dumps(self.chart(), ensure_ascii=False)

    def chart(self) -> dict[str, Any]:
        """What the static chart script draws: labels and counts, nothing else."""
        return {
            "type": "bar",
            "title": self.question.text,
            "labels": [label for label, _n in self.counts],
            "values": [n for _label, n in self.counts],
        }


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    questions: list[QuestionResult]


TEXTS_SHOWN = 50


def survey_results(*, survey: Survey) -> SurveyResults:
    """Per question: how many answered it, and the counts per option or per level 1–5.

    Counted by the database, one grouped query per kind, so a survey with many answers costs as
    much as one with few. `survey` comes from a scoped selector (`survey_get`)."""
    questions = list(survey.questions.prefetch_related("options"))
    responses = Response.objects.filter(survey=survey).count()
    answers = Answer.objects.filter(response__survey=survey)
    answered = dict(
        answers.values("question").annotate(n=Count("response", distinct=True)).values_list("question", "n")
    )
    by_option = Counter(
        dict(
            answers.filter(option__isnull=False)
            .values("option")
            .annotate(n=Count("id"))
            .values_list("option", "n")
        )
    )
    by_level: Counter[tuple[int, int | None]] = Counter(
        {
            (q, v): n
            for q, v, n in answers.filter(value__isnull=False)
            .values("question", "value")
            .annotate(n=Count("id"))
            .values_list("question", "value", "n")
        }
    )
    results = []
    for q in questions:
        result = QuestionResult(question=q, answered=answered.get(q.pk, 0))
        if q.kind in CHOICE_KINDS:
            result.counts = [(o.text, by_option.get(o.pk, 0)) for o in q.options.all()]
        elif q.kind == QuestionKind.SCALE:
            result.counts = [(str(level), by_level.get((q.pk, level), 0)) for level in SCALE_LEVELS]
            total = sum(n for _l, n in result.counts)
            if total:
                result.mean = round(sum(int(label) * n for label, n in result.counts) / total, 2)
        else:
            result.texts = list(
                answers.filter(question=q)
                .exclude(text="")
                .order_by("-response__submitted_at")
                .values_list("text", flat=True)[:TEXTS_SHOWN]
            )
        results.append(result)
    return SurveyResults(survey=survey, responses=responses, questions=results)


def survey_answer_sheets(
    *, survey: Survey
) -> tuple[list[Question], list[tuple[Response, dict[int, list[Answer]]]]]:
    """Every sheet with its answers by question, for the Excel export."""
    questions = list(survey.questions.all())
    sheets: dict[int, tuple[Response, dict[int, list[Answer]]]] = {}
    for response in Response.objects.filter(survey=survey).order_by("submitted_at", "id"):
        sheets[response.pk] = (response, {})
    for answer in Answer.objects.filter(response__survey=survey).select_related("option").order_by("id"):
        sheets[answer.response_id][1].setdefault(answer.question_id, []).append(answer)
    return questions, list(sheets.values())


# ---------------------------------------------------------------------------------------------
# Public (the portal): nothing personal


def public_events() -> QuerySet[Event]:
    """Events of the past year and to come, as the portal shows them: no names, no opinions."""
    since = timezone.now() - timedelta(days=365)
    return (
        Event.objects.filter(starts_at__gte=since)
        .select_related("unit")
        .only("pk", "kind", "title", "place", "starts_at", "description", "state", "unit__name")
    )


def public_event(*, pk: int) -> Event:
    row = public_events().filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def public_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(state=SurveyState.OPEN, closes_at__gt=timezone.now()).select_related("unit")


def public_survey(*, code: str) -> Survey:
    """An open, closed or archived survey by its public code (a draft is not public)."""
    row = Survey.objects.filter(code=code).exclude(state=SurveyState.DRAFT).select_related("unit").first()
    if row is None:
        raise Http404
    return row


# ---------------------------------------------------------------------------------------------
# The rating store


@dataclass(frozen=True)
class RatingRow:
    """One rating of the rating store: where it comes from, whose unit, whose officer, when, and
    the level on the 5-point scale (5 = very satisfied)."""

    source: str
    id: int
    # The survey or the event the rating was given in: where the record opens.
    parent_id: int
    unit_path: str
    officer_id: int | None
    on: date
    level: int


def rating_rows(
    *,
    actor: User | None = None,
    scope: Scope | None = None,
    period: tuple[date, date] | None = None,
    officer_id: int | None = None,
) -> list[RatingRow]:
    """The ratings of this domain: answers to the 1–5 questions marked as measuring satisfaction,
    and the ratings given at events (of the station, or of a named officer). Scoped by the actor,
    or by a given scope (the indicators compute the figures of a chosen unit)."""
    if scope is None:
        scope = Scope.of(actor)
    survey_answers = scope.filter(
        Answer.objects.filter(question__satisfaction=True, value__isnull=False), "response__unit_path"
    )
    event_ratings = scope.filter(EventRating.objects.all(), "unit_path")
    if period is not None:
        # The sheet's time within the local days of the period; an event's rating by its day.
        first, last = period
        survey_answers = survey_answers.filter(
            response__submitted_at__range=(
                datetime.combine(first, time.min, tzinfo=timezone.get_current_timezone()),
                datetime.combine(last, time.max, tzinfo=timezone.get_current_timezone()),
            )
        )
        event_ratings = event_ratings.filter(rated_on__range=period)
    if officer_id is not None:
        # An officer's figure: only ratings that name them (a survey names nobody).
        survey_answers = survey_answers.none()
        event_ratings = event_ratings.filter(officer_id=officer_id)
    rows = [
        RatingRow(RatingSource.SURVEY, pk, survey, path, None, timezone.localdate(at), value or 0)
        for pk, survey, path, at, value in survey_answers.values_list(
            "pk", "response__survey_id", "response__unit_path", "response__submitted_at", "value"
        ).iterator()
    ]
    rows.extend(
        RatingRow(RatingSource.EVENT, pk, event, path, officer, on, level)
        for pk, event, path, officer, on, level in event_ratings.values_list(
            "pk", "event_id", "unit_path", "officer_id", "rated_on", "level"
        ).iterator()
    )
    return rows


def events_held(*, scope: Scope, bounds: tuple[datetime, datetime]) -> QuerySet[Event]:
    """Events held in a period (by the time they began), for the "open-door events held" figure."""
    return scope.filter(Event.objects.filter(state=EventState.HELD, starts_at__range=bounds), "unit_path")
