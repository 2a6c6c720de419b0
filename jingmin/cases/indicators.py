"""What help cases contribute to the indicators (imported by metrics at start-up, see
`jingmin/metrics/registry.py`): families helped.

Families helped = households with a help case that had at least one act of help in the period;
an officer's are those they helped themselves. A help case is a restricted record: the figure's
records are listed by their police district only, and opening one goes through the case's own
page, which lets in only the assigned officers and their chain of command.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingmin.cases.models import HelpAct, HelpCase
from jingmin.metrics.registry import (
    Context,
    Measure,
    MeasureUnit,
    indicator,
    measure_of,
    register_record_type,
)

register_record_type("cases.helpcase", _("Help case"), lambda pk: reverse("cases:help_detail", args=[pk]))


@indicator(
    key="families_helped",
    label=_("Families helped"),
    unit=MeasureUnit.COUNT,
    formula=_("households with at least one act of help in the period"),
    record_type="cases.helpcase",
    order=210,
)
def families_helped(ctx: Context) -> Measure:
    acts = HelpAct.objects.filter(case=OuterRef("pk"), at__range=ctx.period.bounds)
    if ctx.officer_id is not None:
        acts = acts.filter(by_id=ctx.officer_id)
    qs = ctx.scope.filter(HelpCase.objects.filter(Exists(acts)), "district_path")
    m = measure_of(
        ctx,
        qs,
        denominator=Q(),
        numerator=Q(),
        record_type="cases.helpcase",
        label_field="district__name",
        date_field="opened_at",
        path_field="district_path",
    )
    m.denominator = None
    return m
