"""What the dispute register contributes to the indicators (imported by metrics at start-up, see
`jingmin/metrics/registry.py`): disputes resolved.

Disputes resolved = disputes resolved by mediation / disputes closed in the period (resolved,
handed over or contained), by the day they were closed; an officer's are the disputes they were
responsible for.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingmin.disputes.models import Dispute, State
from jingmin.metrics.registry import (
    Context,
    Measure,
    MeasureUnit,
    indicator,
    measure_of,
    register_record_type,
)

register_record_type("disputes.dispute", _("Dispute"), lambda pk: reverse("disputes:detail", args=[pk]))


@indicator(
    key="disputes_resolved",
    label=_("Disputes resolved"),
    unit=MeasureUnit.PERCENT,
    formula=_(
        "disputes resolved by mediation / disputes closed in the period (resolved, handed over, contained)"
    ),
    record_type="disputes.dispute",
    order=200,
)
def disputes_resolved(ctx: Context) -> Measure:
    qs = ctx.scope.filter(Dispute.objects.filter(closed_at__range=ctx.period.bounds), "district_path")
    if ctx.officer_id is not None:
        qs = qs.filter(officer_id=ctx.officer_id)
    return measure_of(
        ctx,
        qs,
        denominator=Q(),
        numerator=Q(state=State.RESOLVED),
        record_type="disputes.dispute",
        label_field="title",
        date_field="closed_at",
        path_field="district_path",
    )
