"""What open-door evaluation contributes to the indicators: two sources of satisfaction ratings
and the count of events held.

Imported by the metrics app at start-up (see `jingmin/metrics/registry.py`). The ratings are this
domain's rating store (`selectors.rating_rows`): the answers to survey questions on the 1–5 scale
marked as measuring satisfaction, and the ratings attendees gave at events, of the station or of
a named officer. Each source is a figure of its own; whether they also count in the combined
satisfaction rate, beside the follow-ups of appeals, is the settings' `satisfaction_sources`.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingmin.evaluation.codes import RatingSource
from jingmin.evaluation.selectors import events_held, rating_rows
from jingmin.metrics.registry import (
    Context,
    Measure,
    MeasureUnit,
    Rating,
    indicator,
    measure_of,
    rating_source,
    register_record_type,
)

SURVEY = "evaluation.survey"
EVENT = "evaluation.event"

register_record_type(SURVEY, _("Survey"), lambda pk: reverse("evaluation:survey", args=[pk]))
register_record_type(EVENT, _("Open-door event"), lambda pk: reverse("evaluation:event", args=[pk]))


def _ratings(ctx: Context, source: str, record_type: str) -> Iterator[Rating]:
    # A rating is reached through the survey or the event it was given in: the record id is theirs.
    # Both sources come from one read of the rating store, shared by the figures of a request.
    rows = ctx.cached(
        "evaluation:rating_rows",
        lambda: rating_rows(scope=ctx.scope, period=ctx.period.dates, officer_id=ctx.officer_id),
    )
    for row in rows:
        if row.source != source:
            continue
        yield Rating(
            record_type=record_type,
            record_id=row.parent_id,
            unit_path=row.unit_path,
            officer_id=row.officer_id,
            date=row.on,
            score=row.level,
            label=f"#{row.id}",
        )


@rating_source(key="survey", label=_("Survey answers on satisfaction"), record_type=SURVEY)
def survey_ratings(ctx: Context) -> Iterator[Rating]:
    return _ratings(ctx, RatingSource.SURVEY, SURVEY)


@rating_source(key="open_door", label=_("Open-door evaluation ratings"), record_type=EVENT)
def open_door_ratings(ctx: Context) -> Iterator[Rating]:
    return _ratings(ctx, RatingSource.EVENT, EVENT)


@indicator(
    key="open_door_events",
    label=_("Open-door events held"),
    unit=MeasureUnit.COUNT,
    formula=_("open-door evaluations, forums and talks held in the period (at least one per station a year)"),
    record_type=EVENT,
    order=400,
    for_officers=False,
)
def open_door_events(ctx: Context) -> Measure:
    m = measure_of(
        ctx,
        events_held(scope=ctx.scope, bounds=ctx.period.bounds),
        denominator=Q(),
        numerator=Q(),
        record_type=EVENT,
        label_field="title",
        date_field="starts_at",
    )
    m.denominator = None
    return m
