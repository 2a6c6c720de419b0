"""Open-door evaluation feeds the indicators: survey answers on satisfaction and event ratings as
two rating sources, each counted on its own with its records, and the count of events held."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from jingmin.evaluation import services
from jingmin.evaluation.tests.conftest import held_event, open_survey
from jingmin.metrics import registry
from jingmin.metrics.registry import Context, Period, Settings
from jingmin.org.scope import Scope


def _ctx(unit, officer_id=None, detail=False):
    today = timezone.localdate()
    return Context(
        scope=Scope.under(unit),
        period=Period(today - timedelta(days=30), today),
        settings=Settings(),
        officer_id=officer_id,
        detail=detail,
    )


def test_both_sources_are_discovered_and_count_their_own_ratings(persona):
    survey = open_survey(persona)
    scale = survey.questions.get(position=1)
    for n, level in enumerate([5, 4, 2]):
        services.survey_answer(survey=survey, answers={scale.pk: level}, submission_key=f"s{n}")
    event = held_event(persona)
    services.event_rate(actor=persona.chen, event_id=event.pk, officer=None, levels={5: 1, 3: 1})
    services.event_rate(actor=persona.chen, event_id=event.pk, officer=persona.oliver, levels={4: 2})

    survey_source = registry.get_rating_source("survey")
    open_door = registry.get_rating_source("open_door")
    assert survey_source is not None and open_door is not None
    assert survey_source.rows.__module__ == "jingmin.evaluation.indicators"

    station = _ctx(persona.station_a)
    from_surveys = list(survey_source.rows(station))
    assert sorted(r.score or 0 for r in from_surveys) == [2, 4, 5]
    assert {(r.record_type, r.record_id) for r in from_surveys} == {("evaluation.survey", survey.pk)}
    from_events = list(open_door.rows(station))
    assert sorted(r.score or 0 for r in from_events) == [3, 4, 4, 5]
    assert {r.record_id for r in from_events} == {event.pk}

    # An officer's figure: only the ratings that name him.
    olivers = list(open_door.rows(_ctx(persona.station_a, officer_id=persona.oliver.pk)))
    assert [r.score for r in olivers] == [4, 4] and list(
        survey_source.rows(_ctx(persona.station_a, persona.oliver.pk))
    ) == []
    # Another station has none.
    assert (
        list(open_door.rows(_ctx(persona.station_b))) == []
        and list(survey_source.rows(_ctx(persona.station_b))) == []
    )


def test_events_held_are_counted_with_their_records(persona):
    held_event(persona)
    held_event(persona, title="城关派出所恳谈会")
    indicator = registry.get_indicator("open_door_events")
    assert indicator is not None
    measure = indicator.compute(_ctx(persona.station_a, detail=True))
    assert measure.numerator == Decimal(2) and measure.denominator is None
    assert {r.label for r in measure.numerator_records} == {"城关派出所开门评警座谈会", "城关派出所恳谈会"}
    assert indicator.compute(_ctx(persona.station_b)).numerator == 0
