"""Chinese full-text search, shared by the domains that search text: an appeal's title, content
and address, a ledger address's name; routing's duplicate finder reads the same bigrams.

Most everyday Chinese words are two characters (路灯, 噪音, 漏水), which trigram indexes cannot
serve. Each searchable row therefore carries its text as overlapping character bigrams (plus whole
Latin/number words, `search_tokens`), indexed by PostgreSQL's GIN over a stored `simple` tsvector
(an appeal's `search_vector` column) and by an SQLite FTS5 table; a query is the AND of its
own bigrams, and an exact substring match re-checks the rows the index found, so a bigram pair
that straddles two fields never gives a false hit.

A query is cut into words first (`jingmin.core.words.query_words`: 烧烤店噪音 is 烧烤店 and 噪音),
and each word must appear, anywhere: people type a topic, not a phrase copied from the appeal.
The bigrams of each word go to the index; none that straddles two words does.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from typing import TypeVar

from django.db import connection
from django.db.models import BooleanField, Model, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import GreaterThan

from jingmin.core.words import query_words

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

M = TypeVar("M", bound=Model)


def tokens(text: str) -> list[str]:
    """Bigrams of each run of Chinese characters (a lone character stands alone); Latin and
    number runs as lower-case words."""
    out: list[str] = []
    for run in _RUN.findall(text):
        if _CJK.match(run):
            out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
        else:
            out.append(run.lower())
    return out


def index_text(*parts: str) -> str:
    return " ".join(tokens(" ".join(parts)))


def _query_tokens(words: list[str]) -> list[str]:
    # A single character cannot use a bigram index; it is left to the substring check.
    found = (t for word in words for t in tokens(word))
    return [t for t in dict.fromkeys(found) if len(t) >= 2 or not _CJK.match(t)]


def search_filter(
    queryset: QuerySet[M],
    query: str,
    *,
    fields: tuple[str, ...],
    newest: str = "received_at",
    split_words: bool = True,
    within: Sequence[str] = (),
) -> QuerySet[M]:
    """Rows whose fields contain every word of the query, found through the bigram index where
    it can serve.

    `newest` is the field lists are ordered by (newest first); PostgreSQL uses it to decide how
    to find the rows (see `_pg_search`). `split_words=False` keeps what was typed between spaces
    whole (an address: 幸福路3栋 must not match a 3 anywhere).

    `within`: lexemes every row's `search_vector` must also hold (the scope tokens of the
    appeals, `org.scope.scope_tokens`), looked up in the same GIN index as the words. Only
    PostgreSQL's vector holds them: on SQLite the caller filters on the scope instead.
    """
    query = " ".join(query.split())[:100]
    words = query_words(query) if split_words else [w for w in query.split(" ") if w]
    if not words:
        return queryset
    terms = _query_tokens(words)
    if connection.vendor == "postgresql":
        return _pg_search(queryset, words, terms, fields=fields, newest=newest, within=list(within))
    if within:
        raise ValueError("Only PostgreSQL's search vector holds scope tokens; filter on the scope instead.")
    recheck = Q()
    for word in words:
        recheck &= Q(_or_fields(fields, word))
    if not terms:
        return queryset.filter(recheck)
    table = queryset.model._meta.db_table
    fts = " AND ".join('"' + t.replace('"', "") + '"' for t in terms)
    match = RawSQL(
        f"{table}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s)",
        (fts,),
        output_field=BooleanField(),
    )
    return queryset.alias(_match=match).filter(_match=True).filter(recheck)


# PostgreSQL: how many of the newest rows the probe reads, and at how many matches it stops.
RECENT_ROWS = 4000
COMMON_HITS = 10
# The cost model's unit costs, measured at a million appeals (docs/benchmarks.md): a row read
# while walking newest first; an entry of the bigram's GIN posting list; a matching row fetched
# by the index path (twice: to check it, then to show it).
WALK_ROW_US = 3.5
POSTING_US = 0.4
MATCH_ROW_US = 12.0
PAGE = 20


def _pg_search(
    queryset: QuerySet[M],
    words: list[str],
    terms: list[str],
    *,
    fields: tuple[str, ...],
    newest: str,
    within: list[str],
) -> QuerySet[M]:
    """The same rows either way; two ways to find them, chosen by a probe of the newest rows (for
    a lone two-character word over the whole table, by ANALYZE's count of it instead).

    The planner's estimates for bigram queries are wrong both ways at a million rows: a bigram it
    has no statistics for counts as common, and the bigrams of a phrase count as independent
    (they are not). Guessing wrong costs seconds: walking every row for an absent word, or
    fetching a hundred thousand rows to keep the newest twenty. So the probe counts matches
    among the newest RECENT_ROWS rows (within the queryset's own filters: scope, state...), and
    the cheaper of two ways is taken, by a cost model with unit costs measured at a million rows:

    - walking: the term is matched by a function call the index cannot serve, so PostgreSQL
      walks the rows newest first and stops at the page's end; it reads about PAGE / density
      rows, few when the term is common in the scope;
    - the index: the `@@` operator, so the GIN index (with the scope's own indexes, in one
      BitmapAnd) finds the matching rows, which are then sorted; it costs the rarest bigram's
      posting list plus the matches in scope, little when the term is rare or the scope small.
      (Forcing this way with an id array kept the planner from walking instead, but fetched
      every match twice and measured slower, so the planner keeps the last word here.)

    The exact-substring re-check is `strpos` rather than `LIKE '%…%'`: the planner guesses that
    LIKE keeps almost no rows, and then joins the related tables by nested loops over thousands.

    The lexemes of `within` (a scope's token) join the words in both ways: the walk checks them
    on each row, and the index intersects their posting list with the rarest bigram's, so the
    index path reads only the matches in scope instead of the whole table's.
    """
    table = queryset.model._meta.db_table
    # Whether anything but the words (and the scope's tokens) limits the rows.
    filtered = bool(queryset.query.where)
    recheck = Q()
    for word in words:
        recheck &= _pg_contains(fields, word)
    queryset = queryset.filter(recheck)
    if not terms:
        if not within:
            return queryset
        # Only one-character words: the scope alone goes to the index, the re-check does the rest.
        return queryset.alias(_match=_pg_match(table, [], within)).filter(_match=True)
    walked = _pg_match(table, terms, within, indexed=False)
    frequencies, rows = bigram_statistics(table)
    rarest = min(terms, key=lambda t: frequencies.get(t, 0.0))
    if len(terms) == 1 and rows >= RECENT_ROWS and not filtered:
        # One bigram (a two-character word) among the whole table's rows: its share is what
        # ANALYZE counted, and a scope's token is as independent of the words as an appeal's
        # station is of its text; the probe's two round trips are saved (they cost more than the
        # search itself on a busy server). A phrase's bigrams are not independent, and other
        # filters are not in the statistics: those are probed.
        density = math.prod(frequencies.get(t, 0.0) for t in [*terms, *within])
        walkable = True
    else:
        density, walkable = _probe(queryset, walked, newest)
    # Expected cost of each way, from the density and the index's posting lists (GIN drives an
    # AND from its shortest list and skips through the longer ones).
    walk_us = PAGE / max(density, 0.5 / RECENT_ROWS) * WALK_ROW_US
    shortest = min(frequencies.get(t, 0.0) for t in [rarest, *within])
    index_us = shortest * rows * POSTING_US + density * rows * MATCH_ROW_US
    if walkable and walk_us <= index_us:
        return queryset.alias(_match=walked).filter(_match=True)
    # The index is given the rarest bigram alone (with the scope): its posting list is the
    # shortest, and the planner estimates one bigram well (the bigrams of a phrase badly).
    return queryset.alias(_match=_pg_match(table, [rarest], within)).filter(_match=True)


def _probe(queryset: QuerySet[M], walked: RawSQL, newest: str) -> tuple[float, bool]:
    """The share of matches among the newest RECENT_ROWS rows of the table (within the queryset's
    own filters), and whether the table has that many rows at all (else the index serves)."""
    # The cutoff as a value, not a sub-select: the planner then knows the range is the newest
    # rows and reads it from the index, instead of guessing a third of the table.
    newest_first = queryset.model._default_manager.order_by(f"-{newest}")
    cutoff = newest_first.values_list(newest, flat=True)[RECENT_ROWS - 1 : RECENT_ROWS].first()
    if cutoff is None:
        return 0.0, False
    recent = (
        queryset.alias(_match=walked)
        .filter(_match=True, **{f"{newest}__gte": cutoff})
        .order_by(f"-{newest}")
        .values_list("pk", flat=True)
    )
    return len(recent[:COMMON_HITS]) / RECENT_ROWS, True


def _pg_match(table: str, terms: list[str], within: list[str], *, indexed: bool = True) -> RawSQL:
    """The stored vector holds every term and every lexeme of `within`: with `@@`, which the GIN
    index serves, or (`indexed=False`) with the same match as a function call, which it cannot.

    The terms go through the `simple` configuration as the vector's text did; scope tokens are
    lexemes already (the parser would drop their mark), so they are cast as they are."""
    parts, params = [], []
    if terms:
        parts.append("to_tsquery('simple'::regconfig, %s)")
        params.append(" & ".join(_pg_quote(t) for t in terms))
    if within:
        parts.append("%s::tsquery")
        params.append(" & ".join(_pg_quote(t) for t in within))
    query = " && ".join(parts)
    sql = f"{table}.search_vector @@ ({query})" if indexed else f"ts_match_vq({table}.search_vector, {query})"
    return RawSQL(sql, tuple(params), output_field=BooleanField())


_STATISTICS_SECONDS = 600.0
_statistics: dict[str, tuple[float, dict[str, float], float]] = {}


def bigram_statistics(table: str) -> tuple[dict[str, float], float]:
    """The share of rows holding each common bigram and the table's row count, as ANALYZE last
    counted them (pg_stats, pg_class); a bigram it did not keep is rarer than all of these.
    Read again every ten minutes."""
    now = time.monotonic()
    cached = _statistics.get(table)
    if cached is not None and now - cached[0] < _STATISTICS_SECONDS:
        return cached[1], cached[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'search_vector'",
            [table],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        size = cursor.fetchone()
    # The frequency array ends with three summary figures after one entry per element.
    frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    rows = max(float(size[0]), 0.0) if size else 0.0
    _statistics[table] = (now, frequencies, rows)
    return frequencies, rows


def _pg_contains(fields: tuple[str, ...], term: str) -> Q:
    # icontains, spelled so that the planner estimates it sensibly (see `_pg_search`).
    q = Q()
    for field in fields:
        q |= Q(GreaterThan(StrIndex(Upper(field), Upper(Value(term))), 0))
    return q


def _or_fields(fields: tuple[str, ...], term: str) -> Q:
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__icontains": term})
    return q


def _pg_quote(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "") + "'"


# The index itself, created by the app's migration for the database in use.
def create_index_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, search_tokens))"
        ]
    if vendor == "sqlite":
        # An external-content FTS5 table kept in step by triggers: the tokens live once, in the
        # appeal row; the FTS table holds only the inverted index.
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts USING fts5("
            f"search_tokens, content='{table}', content_rowid='id', tokenize='unicode61')",
            f"CREATE TRIGGER IF NOT EXISTS {table}_fts_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {table}_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_fts_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {table}_fts({table}_fts, rowid, search_tokens) "
            f"VALUES ('delete', old.id, old.search_tokens); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_fts_au AFTER UPDATE OF search_tokens ON {table} BEGIN "
            f"INSERT INTO {table}_fts({table}_fts, rowid, search_tokens) "
            f"VALUES ('delete', old.id, old.search_tokens); "
            f"INSERT INTO {table}_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
        ]
    return []


def drop_index_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP INDEX IF EXISTS {table}_search_gin"]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_fts_ai",
            f"DROP TRIGGER IF EXISTS {table}_fts_ad",
            f"DROP TRIGGER IF EXISTS {table}_fts_au",
            f"DROP TABLE IF EXISTS {table}_fts",
        ]
    return []
