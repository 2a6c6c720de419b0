"""The indicators made of other sources: satisfaction over the rating sources and the composite.

Satisfaction = (satisfied + k × basic) / valid ratings, where a rating is valid unless an
exclusion switched on in the settings applies to it. Scores 1–5 become levels by the settings
(5 and 4 satisfied, 3 basic, 2 and 1 dissatisfied by default). The satisfaction rate counts the
sources the settings list; each source is also shown on its own as `satisfaction_<key>`.
"""

from __future__ import annotations

import functools
from collections import Counter
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from jingmin.metrics.registry import (
    Context,
    Level,
    Measure,
    MeasureUnit,
    RatingSource,
    RecordList,
    RecordRef,
    Settings,
    exclusion_label,
    get_indicator,
    get_rating_source,
    indicator,
    measure_value,
    weight_note,
)

SATISFACTION_FORMULA = _("(very satisfied + satisfied + k × fairly satisfied) / valid ratings")


def _level(ctx: Context, score_or_level: int | str) -> str:
    return ctx.settings.level_of(score_or_level) if isinstance(score_or_level, int) else score_or_level


def satisfaction_of(ctx: Context, sources: list[RatingSource]) -> Measure:
    """The rate over `sources`. A source that counts in the database (`counts`) is counted there,
    on a drill-down too, and lists its records a page at a time (`records`) with those counts as
    the lists' totals; a source that only yields rows (a small register) is read row by row, and
    grouped by the unit path of each row when a dashboard compares units."""
    k = ctx.settings.k
    levels: Counter[str] = Counter()
    by_path: dict[str, Counter[str]] = {}
    numerators: list[RecordList] = []
    counted: list[RecordList] = []
    left_out: list[RecordList] = []
    for source in sources:
        if source.counts is not None and (not ctx.detail or source.records is not None):
            tally: Counter[str] = Counter()
            excluded = 0
            # The satisfaction rate and the source's own figure count the same rows: once a request.
            counts: dict[tuple[int | str, str, str], int] = ctx.cached(
                f"rating_counts:{source.key}", functools.partial(source.counts, ctx)
            )
            for (value, excluded_by, path), n in counts.items():
                if excluded_by and excluded_by in ctx.settings.excludes:
                    excluded += n
                    continue
                level = _level(ctx, value)
                tally[level] += n
                by_path.setdefault(path, Counter())[level] += n
            levels.update(tally)
            if ctx.detail and source.records is not None:
                lists = source.records(ctx)
                numerators.append(lists.numerator.with_total(tally[Level.SATISFIED] + tally[Level.BASIC]))
                counted.append(lists.counted.with_total(sum(tally.values())))
                left_out.append(lists.excluded.with_total(excluded))
            continue
        numerator_refs: list[RecordRef] = []
        counted_refs: list[RecordRef] = []
        excluded_refs: list[RecordRef] = []
        for row in source.rows(ctx):
            level = row.level or ctx.settings.level_of(row.score or 0)
            ref = RecordRef(row.record_type, row.record_id, row.label, row.date)
            if row.excluded_by and row.excluded_by in ctx.settings.excludes:
                if ctx.detail:
                    excluded_refs.append(
                        RecordRef(
                            ref.record_type,
                            ref.record_id,
                            ref.label,
                            ref.date,
                            exclusion_label(row.excluded_by),
                        )
                    )
                continue
            levels[level] += 1
            if ctx.grouped:
                group = ctx.month_of(row.date) if ctx.months else row.unit_path
                by_path.setdefault(group, Counter())[level] += 1
            if ctx.detail:
                counted_refs.append(ref)
                if level != Level.DISSATISFIED:
                    note = weight_note(k) if level == Level.BASIC else ""
                    numerator_refs.append(
                        RecordRef(ref.record_type, ref.record_id, ref.label, ref.date, note)
                    )
        if ctx.detail:
            numerators.append(RecordList.of(numerator_refs))
            counted.append(RecordList.of(counted_refs))
            left_out.append(RecordList.of(excluded_refs))
    measure = Measure(
        numerator=Decimal(levels[Level.SATISFIED]) + k * levels[Level.BASIC], denominator=sum(levels.values())
    )
    if ctx.detail and sources:
        measure.numerator_records = RecordList.chain(numerators)
        measure.denominator_records = RecordList.chain(counted)
        measure.excluded = RecordList.chain(left_out)
    if ctx.grouped:
        measure.groups = {
            path: Measure(Decimal(c[Level.SATISFIED]) + k * c[Level.BASIC], sum(c.values()))
            for path, c in by_path.items()
        }
    return measure


@indicator(
    key="satisfaction",
    label=_("Satisfaction rate"),
    unit=MeasureUnit.PERCENT,
    formula=SATISFACTION_FORMULA,
    record_type="appeals.follow_up",
    order=30,
)
def satisfaction(ctx: Context) -> Measure:
    sources = [s for key in ctx.settings.satisfaction_sources if (s := get_rating_source(key)) is not None]
    return satisfaction_of(ctx, sources)


@indicator(
    key="composite",
    label=_("Composite score"),
    unit=MeasureUnit.SCORE,
    formula=_("weighted sum of the response, resolution and satisfaction rates (weights in the settings)"),
    order=5,
)
def composite(ctx: Context) -> Measure:
    """Σ weight × rate / Σ weight over the parts that have a value (a unit with no follow-ups is
    scored on its response rate alone, and says so in its parts)."""
    parts: dict[str, Measure] = {}
    for key in ctx.settings.weights:
        part = get_indicator(key)
        if part is None or part.key == "composite":
            continue
        parts[key] = ctx.cached(f"measure:{key}", lambda part=part: part.compute(ctx))  # type: ignore[misc]
    # Grouped, a composite is not a sum: metrics makes it per unit from the parts (`composite_of`).
    return composite_of(ctx.settings, parts)


def composite_of(settings: Settings, parts: dict[str, Measure]) -> Measure:
    total = Decimal(0)
    weights = 0
    for key, m in parts.items():
        part = get_indicator(key)
        weight = settings.weights.get(key, 0)
        value = measure_value(part.unit, m) if part is not None else None
        if value is None or not weight:
            continue
        total += Decimal(weight) * value
        weights += weight
    if not weights:
        # No part has a value: no score (its parts are still shown with the figure).
        return Measure(numerator=Decimal(0), denominator=None, parts=parts)
    return Measure(numerator=total / weights, denominator=None, parts=parts)
