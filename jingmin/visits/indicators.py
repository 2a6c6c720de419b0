"""What visits contribute to the indicators (imported by metrics at start-up, see
`jingmin/metrics/registry.py`): visits made and household visit coverage over a period.

A visit counts unless withdrawn; persuasion (规劝) stays out, as it does from coverage, because its
records are shown only to the officers assigned. Coverage over a period: active households of the
scope visited at least once in the period (by a counting visit) / active households of the scope;
an officer's is over the households of their district visited by them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingmin.ledger.models import Household
from jingmin.metrics.registry import (
    Context,
    Measure,
    MeasureUnit,
    indicator,
    measure_of,
    register_record_type,
)
from jingmin.metrics.rollup import read, use_rollup
from jingmin.visits import tallies
from jingmin.visits.models import RESTRICTED_KINDS, Visit

register_record_type("visits.visit", _("Visit"), lambda pk: reverse("visits:detail", args=[pk]))
register_record_type("ledger.household", _("Household"), lambda pk: reverse("visits:household", args=[pk]))


def counting_visits(ctx: Context) -> QuerySet[Visit]:
    qs = Visit.objects.filter(visited_at__range=ctx.period.bounds, withdrawn=False).exclude(
        kind__in=sorted(RESTRICTED_KINDS)
    )
    qs = ctx.scope.filter(qs, "district_path")
    if ctx.officer_id is not None:
        qs = qs.filter(officer_id=ctx.officer_id)
    return qs


@indicator(
    key="visits",
    label=_("Visits"),
    unit=MeasureUnit.COUNT,
    formula=_("visits recorded in the period, withdrawn ones and persuasion left out"),
    record_type="visits.visit",
    order=110,
    per_residents=True,
)
def visits(ctx: Context) -> Measure:
    if use_rollup(ctx):
        rows = ctx.cached("tally:visits", lambda: read(ctx, tallies.KINDS))
        total = Decimal(sum(r["total"] for r in rows))
        m = Measure(numerator=total, denominator=None)
        if ctx.grouped:
            m.groups = {r["group"]: Measure(Decimal(r["total"]), None) for r in rows}
        return m
    m = measure_of(
        ctx,
        counting_visits(ctx),
        denominator=Q(),
        numerator=Q(),
        record_type="visits.visit",
        label_field="summary",
        date_field="visited_at",
        path_field="district_path",
    )
    m.denominator = None
    return m


@indicator(
    key="coverage",
    label=_("Household visit coverage"),
    unit=MeasureUnit.PERCENT,
    formula=_("households visited at least once in the period / households of the scope"),
    record_type="ledger.household",
    order=100,
)
def coverage(ctx: Context) -> Measure:
    households = ctx.scope.filter(Household.objects.filter(is_active=True), "district_path")
    visited = counting_visits(ctx).filter(household_id=OuterRef("pk"))
    return measure_of(
        ctx,
        households,
        denominator=Q(),
        numerator=Q(Exists(visited)),
        record_type="ledger.household",
        label_field="house__address__full_name",
        date_field="created_at",
        path_field="district_path",
    )
