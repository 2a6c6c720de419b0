"""What one visit contributes to the roll-ups (`jingmin/metrics/rollup.py`), stated once: a
counting visit (not withdrawn, not persuasion) is `visits` 1 on the day it was made, in its
police district, for its officer. The services add a visit's facts when it is recorded and
take them away when it is withdrawn, in the same transaction; the full rebuild reads them all.

Household coverage is not rolled up: households visited at least once in a period are not a sum
over its days, and it is counted from the records (`indicators.coverage`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from django.db.models import Q

from jingmin.metrics.rollup import Fact, Facts, local_date, tally_source
from jingmin.visits.models import RESTRICTED_KINDS, Visit

KINDS = ("visits",)
COUNTING = Q(withdrawn=False) & ~Q(kind__in=sorted(RESTRICTED_KINDS))


def facts_of(visits: Q) -> Facts:
    out: Facts = Counter()
    rows = Visit.objects.filter(visits & COUNTING).order_by()
    for visited_at, path, officer_id in rows.values_list("visited_at", "district_path", "officer_id"):
        out[Fact("visits", local_date(visited_at), path, officer_id or 0)] += 1
    return out


def visit_facts(visit_id: int) -> Facts:
    return facts_of(Q(pk=visit_id))


@tally_source(key="visits", kinds=KINDS)
def rebuild_visits() -> Iterator[Facts]:
    last = 0
    while True:
        ids = list(Visit.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:20000])
        if not ids:
            return
        yield facts_of(Q(pk__gte=ids[0], pk__lte=ids[-1]))
        last = ids[-1]
