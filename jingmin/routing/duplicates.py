"""Likely duplicates at intake: open appeals of the same police district (or, without one, of the
clerk's own unit) received in the last weeks, whose words are much like the new appeal's.

Two steps, so that it stays fast however many appeals are open. The database narrows first:
open appeals of the district or unit received since the cut-off (by their indexes), that share
character bigrams with the new title, at most MAX_CANDIDATES of them. On PostgreSQL those sharing
the most bigrams come first, counted on each row's stored bigram vector (`search_vector`, see
`core.search`); matching the title's bigrams through the GIN index instead would read their
posting lists over the whole table, which for common bigrams costs more than checking the few
thousand open appeals of a station. SQLite finds them through its FTS5 index, newest first.
Python then scores the candidates by the similarity of their bigram sets (the `search_tokens`
each appeal already carries), each shared bigram weighted by how rare it is among the candidates,
so that a shared 漏水 counts and a shared 希望 hardly does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from jingmin.appeals.models import Appeal, State
from jingmin.appeals.selectors import appeal_scope
from jingmin.core.search import bigram_statistics, tokens
from jingmin.org.models import Unit, User

MAX_CANDIDATES = 150
# Bigrams of the title (or of the content's start, without a title) the candidates must share one of.
MAX_QUERY_TERMS = 16
PG_QUERY_TERMS = 6


@dataclass(frozen=True)
class Duplicate:
    """What the clerk's list shows of a likely duplicate (no personal data)."""

    pk: int
    tracking_code: str
    title: str
    state: str
    unit_name: str
    received_at: datetime
    similarity: float

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


# Read with the candidates, so that showing them costs no further query.
_SHOWN = ("tracking_code", "title", "state", "unit__name", "received_at")


def _quote(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "") + "'"


def _sharing_terms(queryset: QuerySet[Appeal], terms: list[str]) -> QuerySet[Appeal]:
    """Rows sharing at least one of `terms`, those sharing the most first (PostgreSQL)."""
    table = Appeal._meta.db_table
    if connection.vendor == "postgresql":
        # The rarest few bigrams of the title (by the statistics the appeals' search keeps): the
        # index reads their short posting lists, not those of 希望 or 小区 over the whole table.
        frequencies, _rows = bigram_statistics(table)
        terms = sorted(terms, key=lambda t: frequencies.get(t, 0.0))[:PG_QUERY_TERMS]
        query = " | ".join(_quote(t) for t in terms)
        # The table name is the model's own; the terms travel as parameters. ts_rank over a
        # vector without positions grows with the number of the query's bigrams a row holds.
        match = RawSQL(  # noqa: S611
            f"{table}.search_vector @@ to_tsquery('simple'::regconfig, %s)",
            (query,),
            output_field=BooleanField(),
        )
        rank = RawSQL(  # noqa: S611
            f"ts_rank({table}.search_vector, to_tsquery('simple'::regconfig, %s))",
            (query,),
            output_field=FloatField(),
        )
        return (
            queryset.alias(_match=match, _rank=rank)
            .filter(_match=True)
            .order_by("-_rank", "-received_at", "-id")
        )
    if connection.vendor == "sqlite":
        query = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        match = RawSQL(  # noqa: S611
            f"{table}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s)",  # noqa: S608
            (query,),
            output_field=BooleanField(),
        )
        queryset = queryset.alias(_shares=match).filter(_shares=True)
    return queryset.order_by("-received_at", "-id")


def _query_terms(title: str, content: str) -> list[str]:
    terms = [t for t in dict.fromkeys(tokens(title)) if len(t) >= 2]
    if not terms:
        terms = [t for t in dict.fromkeys(tokens(content[:60])) if len(t) >= 2]
    return terms[:MAX_QUERY_TERMS]


def candidates(
    *, actor: User, title: str, content: str, district: Unit | None, exclude: int | None = None
) -> QuerySet[Appeal]:
    """The open appeals worth scoring, narrowed by indexes, within the clerk's scope (without a
    district, the scope is the search: the appeals their unit holds or took in)."""
    terms = _query_terms(title, content)
    if not terms:
        return Appeal.objects.none()
    since = timezone.now() - timedelta(weeks=settings.ROUTING_DUPLICATE_WEEKS)
    qs = appeal_scope(actor).filter(is_open=True, received_at__gte=since)
    if district is not None:
        qs = qs.filter(district=district)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return _sharing_terms(qs, terms)


def similarity_scores(query: Iterable[str], others: dict[int, set[str]]) -> dict[int, float]:
    """Weighted Jaccard similarity of bigram sets: shared weight over the weight of the union.

    A bigram's weight is its inverse document frequency among the candidates themselves (how rare
    it is here); bigrams the new appeal does not have count at the median weight of its own.
    """
    mine = set(query)
    if not mine or not others:
        return {}
    n = len(others)
    df = dict.fromkeys(mine, 0)
    shared: dict[int, set[str]] = {}
    for pk, theirs in others.items():
        common = mine & theirs
        shared[pk] = common
        for t in common:
            df[t] += 1
    weight = {t: math.log((n + 1) / (df[t] + 1)) + 1.0 for t in mine}
    ordered = sorted(weight.values())
    typical = ordered[len(ordered) // 2]
    mine_total = sum(weight.values())
    scores: dict[int, float] = {}
    for pk, common in shared.items():
        if not common:
            continue
        together = sum(weight[t] for t in common)
        union = mine_total + (len(others[pk]) - len(common)) * typical
        scores[pk] = together / union if union else 0.0
    return scores


def likely_duplicates(
    *,
    actor: User,
    title: str,
    content: str,
    address: str = "",
    district: Unit | None = None,
    exclude: int | None = None,
    limit: int | None = None,
    min_similarity: float | None = None,
) -> list[Duplicate]:
    """The most similar open appeals, most similar first, only those the clerk may see."""
    limit = settings.ROUTING_DUPLICATE_LIMIT if limit is None else limit
    floor = settings.ROUTING_DUPLICATE_MIN_SIMILARITY if min_similarity is None else min_similarity
    rows = list(
        candidates(actor=actor, title=title, content=content, district=district, exclude=exclude).values_list(
            "pk", "search_tokens", *_SHOWN
        )[:MAX_CANDIDATES]
    )
    if not rows:
        return []
    scores = similarity_scores(
        tokens(f"{title} {content} {address}"), {row[0]: set(row[1].split()) for row in rows}
    )
    best = sorted(((s, pk) for pk, s in scores.items() if s >= floor), reverse=True)
    if not best:
        return []
    shown = {pk: (code, words, state, unit, at) for pk, _tokens, code, words, state, unit, at in rows}
    out = []
    for s, pk in best[:limit]:
        code, words, state, unit, at = shown[pk]
        out.append(Duplicate(pk, code, words, state, unit, at, similarity=round(s, 3)))
    return out


def duplicates_of(*, actor: User, appeal: Appeal) -> list[Duplicate]:
    """Likely duplicates of an appeal already registered (itself excluded); none once it is closed
    or merged: nothing is left to merge."""
    if not appeal.is_open:
        return []
    return likely_duplicates(
        actor=actor,
        title=appeal.title,
        content=appeal.content,
        address=appeal.address,
        district=appeal.district,
        exclude=appeal.pk,
    )
