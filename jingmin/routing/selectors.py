"""Reads of the routing page: model versions, their evaluation, and the figures of suggestions.

The figures are counts, never people; a person sees those of suggestions made in their own unit's
subtree (the bureau sees all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.appeals.models import Action, AppealEvent, Category
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap
from jingmin.org.scope import Scope
from jingmin.org.selectors import require
from jingmin.routing.learning import Evaluation
from jingmin.routing.models import RoutingModel, Suggestion
from jingmin.routing.training import INTAKE_UNIT, OWN_DISTRICT
from jingmin.worktime.calendar import SHANGHAI


def model_list(*, actor: User) -> QuerySet[RoutingModel]:
    require(actor, Cap.ROUTING_VIEW)
    return (
        RoutingModel.objects.defer("payload")
        .select_related("created_by", "activated_by")
        .order_by("-version")
    )


def model_get(*, actor: User, version: int) -> RoutingModel:
    row = model_list(actor=actor).filter(version=version).first()
    if row is None:
        raise Http404
    return row


def active_model(*, actor: User) -> RoutingModel | None:
    return model_list(actor=actor).filter(is_active=True).first()


@dataclass(frozen=True)
class LabelRow:
    code: str
    name: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EvaluationView:
    """An evaluation with its labels named as people know them (category and unit names)."""

    evaluation: Evaluation
    rows: list[LabelRow]
    names: list[str]


def evaluation_view(data: dict | None, *, kind: str) -> EvaluationView | None:
    if not data:
        return None
    evaluation = Evaluation.from_dict(data)
    codes = evaluation.labels
    if kind == "unit":
        known = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
        known[OWN_DISTRICT] = str(_("The appeal's own police district"))
        known[INTAKE_UNIT] = str(_("The unit that took it in"))
    else:
        known = dict(Category.objects.filter(code__in=codes).values_list("code", "name"))
    names = [known.get(code, code) for code in codes]
    rows = [
        LabelRow(s.label, name, s.precision, s.recall, s.f1, s.support)
        for s, name in zip(evaluation.per_label, names, strict=True)
    ]
    return EvaluationView(evaluation=evaluation, rows=rows, names=names)


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def rate(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class MonthFigures:
    month: date
    suggestions: int
    category_taken: Share
    unit_taken: Share
    # Appeals returned (退单) at least once, among those whose suggestion the clerk took or not.
    returned_after_unit_taken: Share
    returned_after_unit_overridden: Share
    returned_after_category_taken: Share
    returned_after_category_overridden: Share


def suggestion_scope(actor: User) -> QuerySet[Suggestion]:
    require(actor, Cap.ROUTING_VIEW)
    return Scope.of(actor).filter(Suggestion.objects.all(), "unit_path")


def figures_by_month(*, actor: User, months: int = 12, now: datetime | None = None) -> list[MonthFigures]:
    """The last `months` calendar months (Beijing time), newest first; months without any
    suggestion are left out."""
    now = timezone.localtime(now or timezone.now(), SHANGHAI)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _i in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    returned = Exists(AppealEvent.objects.filter(appeal=OuterRef("appeal_id"), action=Action.RETURN))
    rows = (
        suggestion_scope(actor)
        .filter(at__gte=start)
        .annotate(month=TruncMonth("at", tzinfo=SHANGHAI))
        .values("month")
        .annotate(
            n=Count("id"),
            category_shown=Count("id", filter=Q(category_taken__isnull=False)),
            category_took=Count("id", filter=Q(category_taken=True)),
            unit_shown=Count("id", filter=Q(unit_taken__isnull=False)),
            unit_took=Count("id", filter=Q(unit_taken=True)),
            ret_unit_taken=Count("id", filter=Q(returned, unit_taken=True)),
            ret_unit_overridden=Count("id", filter=Q(returned, unit_taken=False)),
            ret_category_taken=Count("id", filter=Q(returned, category_taken=True)),
            ret_category_overridden=Count("id", filter=Q(returned, category_taken=False)),
        )
        .order_by("-month")
    )
    out = []
    for r in rows:
        month = r["month"]
        out.append(
            MonthFigures(
                month=month.date() if isinstance(month, datetime) else month,
                suggestions=r["n"],
                category_taken=Share(r["category_took"], r["category_shown"]),
                unit_taken=Share(r["unit_took"], r["unit_shown"]),
                returned_after_unit_taken=Share(r["ret_unit_taken"], r["unit_took"]),
                returned_after_unit_overridden=Share(
                    r["ret_unit_overridden"], r["unit_shown"] - r["unit_took"]
                ),
                returned_after_category_taken=Share(r["ret_category_taken"], r["category_took"]),
                returned_after_category_overridden=Share(
                    r["ret_category_overridden"], r["category_shown"] - r["category_took"]
                ),
            )
        )
    return out
