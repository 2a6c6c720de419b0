"""What the ledger contributes to the indicators: the residents of a scope, for rates per 1,000
residents (imported by metrics at start-up, see `jingmin/metrics/registry.py`). Residents are the
active persons of the real-population ledger (实有人口) whose district lies in the scope."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from jingmin.ledger.models import Person
from jingmin.metrics.registry import population
from jingmin.org.scope import Scope


def _living(scope: Scope) -> QuerySet[Person]:
    return scope.filter(Person.objects.filter(is_active=True), "district_path")


@population
def residents_by_path(scope: Scope) -> dict[str, int]:
    rows = _living(scope).order_by().values_list("district_path").annotate(n=Count("pk"))
    return dict(rows)
