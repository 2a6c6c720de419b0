"""The indicators registry: how a domain adds an indicator or a source of ratings.

Every figure the product shows (home cards, public statistics, dashboards, exports, the API) is
computed by one registered indicator, so that the same name always means the same number. The
metrics app owns the registry, the settings with their history, the periods, the roll-ups and
every page; the domains (appeals, visits, disputes, evaluation ...) own what their indicators
count. A domain never imports the metrics pages and metrics never imports a domain statically:
at start-up `MetricsConfig.ready()` imports `jingmin.<app>.indicators` of every installed app
that has one (as the admin's autodiscover does), and that module registers with the decorators
below.

The contract
------------
An **indicator** is a function of a `Context` returning a `Measure`::

    from django.utils.translation import gettext_lazy as _
    from jingmin.metrics.registry import Context, Measure, MeasureUnit, indicator

    @indicator(
        key="disputes_resolved",             # stable forever: URLs, API, exports, settings
        label=_("Disputes resolved"),         # Chinese-translatable, shown everywhere
        unit=MeasureUnit.PERCENT,             # PERCENT, COUNT, AVERAGE or SCORE
        formula=_("resolved disputes / disputes closed in the period"),
        record_type="disputes.dispute",       # what the drill-down lists (see `record_link`)
        order=200,                            # position in tables
    )
    def disputes_resolved(ctx: Context) -> Measure:
        qs = ctx.scope.filter(Dispute.objects.filter(closed_on__range=ctx.period.bounds), "district_path")
        if ctx.officer_id is not None:
            qs = qs.filter(officer_id=ctx.officer_id)
        qs = qs.exclude(...)  # exclusions named in ctx.settings.excludes
        return Measure.from_querysets(ctx, numerator=qs.filter(state="resolved"), denominator=qs)

- `ctx.scope` is a `jingmin.org.scope.Scope` (the unit chosen, already checked against the
  reader's own scope); filter with `ctx.scope.filter(qs, "<path column>")` only, never compare
  paths. `ctx.officer_id` is set when the figure is an officer's: count only their records.
- `ctx.period` is a `Period` (inclusive dates in Asia/Shanghai; `bounds` gives aware datetimes
  for a `__range` on a timestamp, `dates` the two dates for a date column).
- `ctx.settings` is the `Settings` in force for the period (k, weights, the exclusions switched
  on, free parameters for domains through `settings.param("key", default)`); the figure reports
  its `version`.
- `ctx.detail` is true when the reader opened the figure: the measure must then carry its
  records (`numerator_records`, `denominator_records`, `excluded` with a reason each), each a
  `RecordList`: a lazy list that knows how many records it holds (the figure's own counts where
  they say it) and reads one page of them (newest first) when shown, or streams them all for the
  export; never a Python list of tens of thousands of records. When false only the counts are
  needed (dashboards at city size): `measure_of` and `Measure.from_querysets` do the right thing
  for both, counting in the database and listing only on detail.
- A COUNT indicator (visits, families helped) leaves `denominator` as None.

A **rating source** feeds the satisfaction rate: a function of a `Context` yielding `Rating`
rows, one per answer a citizen gave (record type, record id, unit path, officer id or None, date,
and either a `level` — "satisfied", "basic", "dissatisfied" — or a 1–5 `score` mapped to a level
by the settings), with `excluded_by` naming the exclusion that applies (an unreasonable complaint
after review ...) or empty::

    @rating_source(key="open_door", label=_("Open-door evaluation ratings"), record_type="evaluation.rating")
    def open_door_ratings(ctx: Context) -> Iterable[Rating]: ...

A source with many rows also gives `counts` (the same rows counted in the database, grouped) and
`records` (its drill-down lists as `RatingRecords`): the figure then counts with `counts` and
lists a page with `records`, never reading every row. Appeal follow-ups are the first source
(`jingmin/appeals/indicators.py`). Every source is also
an indicator of its own (`satisfaction_<key>`); the satisfaction rate itself counts the sources
listed in the settings (follow-ups by default).

A **breakdown** (`@breakdown(key=..., label=...)`) counts the period's records by a value
(category, place) for the dashboards' hot issues: a function of a `Context` returning
{value: count}, the most frequent first.

The **residents** of a scope (for rates per 1,000 residents) come from the one function
registered with `@population` (the ledger's): the scope's residents by the unit path they live
under, added up for the scope or per unit compared.

An **exclusion** is a named reason to leave a record out (`register_exclusion`). Which ones are
switched on is a setting with history; excluded records are listed with their reason, never hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, Count, DateTimeField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from jingmin.org.scope import Scope

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

# Below this many cases in the denominator a rate is flagged as standing on too few to compare.
SMALL_NUMBER = 20


class MeasureUnit(StrEnum):
    PERCENT = "percent"  # numerator / denominator × 100
    COUNT = "count"  # the numerator alone
    AVERAGE = "average"  # numerator / denominator (hand-offs per appeal)
    SCORE = "score"  # a weighted sum of other indicators, 0–100


class Level(StrEnum):
    SATISFIED = "satisfied"  # 非常满意 and 满意
    BASIC = "basic"  # 基本满意, counted with the weight k
    DISSATISFIED = "dissatisfied"


@dataclass(frozen=True)
class Period:
    """A calendar period: `start` and `end` are inclusive dates in Asia/Shanghai."""

    start: dt.date
    end: dt.date

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes for `field__range`: the first instant and the last microsecond."""
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=LOCAL_TZ)
        last = dt.datetime.combine(self.end, dt.time.max, tzinfo=LOCAL_TZ)
        return first, last

    @property
    def dates(self) -> tuple[dt.date, dt.date]:
        return self.start, self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)


@dataclass(frozen=True)
class Settings:
    """The indicator settings in force: one version of the history kept by metrics."""

    version: int = 0
    effective_from: dt.date = dt.date(2000, 1, 1)
    k: Decimal = Decimal("0.5")
    # Weights of the composite, in percent, by indicator key.
    weights: dict[str, int] = field(
        default_factory=lambda: {"response": 30, "resolution": 35, "satisfaction": 35}
    )
    # Exclusion keys switched on.
    excludes: frozenset[str] = frozenset({"pending_review", "unreasonable", "merged", "rejected"})
    # Score (1–5) → level, for sources answering with a score.
    score_levels: dict[int, str] = field(
        default_factory=lambda: {
            5: Level.SATISFIED,
            4: Level.SATISFIED,
            3: Level.BASIC,
            2: Level.DISSATISFIED,
            1: Level.DISSATISFIED,
        }
    )
    # Rating sources counted by the satisfaction rate.
    satisfaction_sources: tuple[str, ...] = ("follow_up",)
    repeat_window_days: int = 30
    params: dict[str, Any] = field(default_factory=dict)

    def param(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)

    def level_of(self, score: int) -> str:
        return self.score_levels.get(int(score), Level.DISSATISFIED)


@dataclass(frozen=True)
class Context:
    scope: Scope
    period: Period
    settings: Settings
    officer_id: int | None = None
    detail: bool = False
    # Set when metrics compares many units at once (a dashboard's table, the district grid): the
    # measure then also carries `groups`, its counts by the unit path of its records, and metrics
    # adds them up per unit. One grouped query instead of one per unit; an indicator that ignores
    # this is computed unit by unit instead.
    grouped: bool = False
    # Count from the records even where a roll-up holds the counts (`metrics_rollup --verify`).
    fresh: bool = False
    # Set by the trend, with `grouped`: the calendar months `period` is made of. A measure that
    # can (`measure_of` given its `period_field`) then carries `groups` by month (`month_key`)
    # instead of by unit path, each exactly the month's own figure: one grouped query for twelve
    # months. One that cannot returns no groups, and the trend computes it month by month.
    months: tuple[Period, ...] = ()
    # Shared by the indicators of one computation: a domain counts its rows once (one aggregate
    # query for all its appeal indicators) and each indicator reads its part (`cached`).
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def cached(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self.memo:
            self.memo[name] = make()
        return self.memo[name]

    @property
    def as_of(self) -> dt.datetime:
        """The end of the period, or now if sooner: a clock still running then is not yet judged."""
        from django.utils import timezone

        return min(self.period.bounds[1], timezone.now())

    def clock_end(self, period_field: str) -> Any:
        """When the clocks of a record chosen by `period_field` are judged: `as_of`; in a trend,
        the end of the record's own month (or now, if sooner), as its month's figure judges it."""
        if not self.months:
            return self.as_of
        from django.utils import timezone

        now = timezone.now()
        return Case(
            *(
                When(**{f"{period_field}__range": m.bounds}, then=Value(min(m.bounds[1], now)))
                for m in self.months
            ),
            default=Value(self.as_of),
            output_field=DateTimeField(),
        )

    def group_of(self, path_field: str, period_field: str) -> Any:
        """What a grouped count groups by: the records' unit path, or in a trend their month."""
        if not self.months:
            return F(path_field)
        return Case(
            *(When(**{f"{period_field}__range": m.bounds}, then=Value(month_key(m))) for m in self.months),
            default=Value(""),
            output_field=CharField(),
        )

    def month_of(self, day: dt.date) -> str:
        """The trend's month holding `day` (a row read in Python), as `month_key` names it."""
        return next((month_key(m) for m in self.months if m.start <= day <= m.end), "")


def month_key(period: Period) -> str:
    """How a trend's month is named in a measure's `groups`."""
    return period.start.isoformat()


@dataclass(frozen=True)
class RecordRef:
    """One record behind a figure: what it is, which, and (for an excluded one) why."""

    record_type: str
    record_id: int
    label: str = ""
    date: dt.date | None = None
    reason: str = ""


# A drill-down shows this many records of a list at a time.
PAGE_SIZE = 50
# The export reads a list from the database in chunks of this many rows.
STREAM_CHUNK = 2000


@dataclass(frozen=True)
class RecordPage:
    """One page of a `RecordList`: its records, its number (from 1) and where it lies in the whole."""

    records: list[RecordRef]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """The position (from 1) of the page's first record in the whole list."""
        return (self.number - 1) * self.size + 1 if self.records else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.records)


class RecordList:
    """The records behind one list of a figure (numerator, denominator or excluded), read lazily.

    It holds how to read a slice (`fetch(offset, limit)`) and, for the export, how to read them all
    (`stream()`, in chunks); its `total` is given by the figure's own counts where they say it, or
    counted once when first asked. Iterating reads every record (the export, tests): a page shows
    `page(number)`.
    """

    def __init__(
        self,
        *,
        fetch: Callable[[int, int], list[RecordRef]] | None,
        total: int | Callable[[], int],
        stream: Callable[[], Iterator[RecordRef]] | None = None,
        held: list[RecordRef] | None = None,
    ) -> None:
        self._fetch = fetch
        self._total = total
        self._stream = stream
        self._held = held

    @classmethod
    def of(cls, refs: Iterable[RecordRef]) -> RecordList:
        """A list already in memory (a small register's ratings, a test's records); it pickles,
        as the measures kept in the cache do."""
        held = list(refs)
        return cls(fetch=None, total=len(held), held=held)

    @classmethod
    def empty(cls) -> RecordList:
        return cls.of(())

    @classmethod
    def chain(cls, lists: Sequence[RecordList]) -> RecordList:
        """The lists one after another (the ratings of several sources)."""
        if len(lists) == 1:
            return lists[0]

        def fetch(offset: int, limit: int) -> list[RecordRef]:
            out: list[RecordRef] = []
            for part in lists:
                if len(out) >= limit:
                    break
                if offset >= part.total:
                    offset -= part.total
                    continue
                out += part.slice(offset, limit - len(out))
                offset = 0
            return out

        def stream() -> Iterator[RecordRef]:
            for part in lists:
                yield from part

        return cls(fetch=fetch, total=lambda: sum(part.total for part in lists), stream=stream)

    @classmethod
    def rows(
        cls,
        rows: QuerySet[Any],
        make: Callable[[tuple[Any, ...]], RecordRef],
        *,
        total: int | None = None,
    ) -> RecordList:
        """The rows of an ordered `values_list` queryset, each made into a record by `make`."""

        def fetch(offset: int, limit: int) -> list[RecordRef]:
            return [make(row) for row in rows[offset : offset + limit]]

        def stream() -> Iterator[RecordRef]:
            return (make(row) for row in rows.iterator(chunk_size=STREAM_CHUNK))

        return cls(fetch=fetch, total=rows.count if total is None else total, stream=stream)

    @property
    def total(self) -> int:
        if callable(self._total):
            self._total = self._total()
        return self._total

    def with_total(self, total: int) -> RecordList:
        """The same records, their number known from the figure's counts."""
        return RecordList(fetch=self._fetch, total=total, stream=self._stream, held=self._held)

    def slice(self, offset: int, limit: int) -> list[RecordRef]:
        if limit <= 0:
            return []
        if self._held is not None:
            return self._held[offset : offset + limit]
        assert self._fetch is not None
        return self._fetch(offset, limit)

    def page(self, number: int = 1, size: int | None = None) -> RecordPage:
        """Page `number` (from 1; past the end gives the last page) of `size` (`PAGE_SIZE`)."""
        size = size or PAGE_SIZE
        pages = max(1, -(-self.total // size))
        number = min(max(1, number), pages)
        # An empty list (its count known from the figure) asks the database nothing.
        records = self.slice((number - 1) * size, size) if self.total else []
        return RecordPage(records, number, size, self.total)

    def __iter__(self) -> Iterator[RecordRef]:
        if self._stream is not None:
            yield from self._stream()
            return
        offset = 0
        while True:
            chunk = self.slice(offset, STREAM_CHUNK)
            yield from chunk
            if len(chunk) < STREAM_CHUNK:
                return
            offset += STREAM_CHUNK

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class Measure:
    numerator: Decimal
    denominator: int | None = None
    numerator_records: RecordList = field(default_factory=RecordList.empty)
    denominator_records: RecordList = field(default_factory=RecordList.empty)
    excluded: RecordList = field(default_factory=RecordList.empty)
    # For a composite: the measures it was made of, by key.
    parts: dict[str, Measure] = field(default_factory=dict)
    # With `ctx.grouped`: the same measure by the unit path of its records (see `Context.grouped`).
    groups: dict[str, Measure] | None = None

    @classmethod
    def from_querysets(
        cls,
        ctx: Context,
        *,
        numerator: QuerySet[Any],
        denominator: QuerySet[Any] | None,
        excluded: Iterable[tuple[QuerySet[Any], str]] = (),
        record_type: str = "",
        describe: Callable[[Any], RecordRef] | None = None,
    ) -> Measure:
        """Count in the database; on detail, the records as lazy lists (a page read when shown)."""
        measure = cls(
            numerator=Decimal(numerator.count()),
            denominator=None if denominator is None else denominator.count(),
        )
        if ctx.detail:
            ref = describe or (lambda obj: RecordRef(record_type, obj.pk, str(obj)))

            def listed(qs: QuerySet[Any], total: int | None = None, reason: str = "") -> RecordList:
                def fetch(offset: int, limit: int) -> list[RecordRef]:
                    return [_with_reason(ref(o), reason) for o in qs.order_by("-pk")[offset : offset + limit]]

                return RecordList(fetch=fetch, total=qs.count if total is None else total)

            measure.numerator_records = listed(numerator, int(measure.numerator))
            if denominator is not None:
                measure.denominator_records = listed(denominator, measure.denominator)
            measure.excluded = RecordList.chain(
                [listed(qs, reason=reason) for qs, reason in excluded] or [RecordList.empty()]
            )
        return measure


def _with_reason(ref: RecordRef, reason: str) -> RecordRef:
    if not reason:
        return ref
    return RecordRef(ref.record_type, ref.record_id, ref.label, ref.date, reason)


def measure_of(
    ctx: Context,
    base: QuerySet[Any],
    *,
    denominator: Q,
    numerator: Q,
    exclusions: dict[str, Q] | None = None,
    record_type: str,
    label_field: str,
    date_field: str,
    sum_field: str = "",
    path_field: str = "unit_path",
    period_field: str = "",
) -> Measure:
    """A measure over the rows of `base`, in one aggregate query.

    `period_field` names the timestamp by which `base` holds the period's records (when it does):
    a trend then counts its months in one query grouped by month (`Context.months`).

    The denominator is the rows matching `denominator` that no exclusion switched on in the
    settings matches; those matched by one are excluded, with the first matching reason. The
    numerator is the counted rows matching `numerator` — or, with `sum_field`, the sum of that
    column over the counted rows (an average such as hand-offs per appeal).
    """
    active = [(key, q) for key, q in (exclusions or {}).items() if key in ctx.settings.excludes]
    excluded_q = Q(pk__in=[])
    for _key, q in active:
        excluded_q |= q
    counted = denominator & ~excluded_q
    aggregates: dict[str, Any] = {"den": Count("pk", filter=counted)}
    if sum_field:
        aggregates["num"] = Coalesce(Sum(sum_field, filter=counted), 0)
    else:
        aggregates["num"] = Count("pk", filter=counted & numerator)
    if ctx.grouped:
        if ctx.months and not period_field:
            # Not split by month: the trend computes this one month by month.
            return Measure(numerator=Decimal(0), denominator=0)
        groups = _grouped(base, ctx.group_of(path_field, period_field), aggregates)
        return Measure(
            numerator=sum((g.numerator for g in groups.values()), Decimal(0)),
            denominator=sum(g.denominator or 0 for g in groups.values()),
            groups=groups,
        )
    if ctx.detail and active:
        # The drill-down also says how many were left out: counted with the rest, in the same query.
        aggregates["exc"] = Count("pk", filter=denominator & excluded_q)
    row = base.aggregate(**aggregates)
    measure = Measure(numerator=Decimal(row["num"]), denominator=row["den"])
    if not ctx.detail:
        return measure
    measure.numerator_records, measure.denominator_records, measure.excluded = _record_lists(
        base,
        counted=counted,
        numerator=counted & numerator if not sum_field else counted & ~Q(**{sum_field: 0}),
        excluded=denominator & excluded_q,
        reasons=active,
        totals=(None if sum_field else row["num"], row["den"], row.get("exc", 0)),
        record_type=record_type,
        label_field=label_field,
        date_field=date_field,
    )
    return measure


def _record_lists(
    base: QuerySet[Any],
    *,
    counted: Q,
    numerator: Q,
    excluded: Q,
    reasons: list[tuple[str, Q]],
    totals: tuple[int | None, int, int],
    record_type: str,
    label_field: str,
    date_field: str,
) -> tuple[RecordList, RecordList, RecordList]:
    """The three lists of a drill-down over `base`, newest first, each read a page at a time. An
    excluded record carries the first exclusion (in the settings' order) that matches it."""

    def listed(q: Q, total: int | None, with_reason: bool = False) -> RecordList:
        rows = base.filter(q)
        fields = ["pk", label_field, date_field]
        if with_reason:
            rows = rows.annotate(
                _reason=Case(
                    *(When(match, then=Value(key)) for key, match in reasons),
                    default=Value(""),
                    output_field=CharField(),
                )
            )
            fields.append("_reason")
        ordered = rows.order_by(f"-{date_field}", "-pk").values_list(*fields)

        def make(row: tuple[Any, ...]) -> RecordRef:
            reason = exclusion_label(row[3]) if with_reason else ""
            return RecordRef(record_type, row[0], str(row[1]), _local_date(row[2]), reason)

        return RecordList.rows(ordered, make, total=total)

    numerator_total, denominator_total, excluded_total = totals
    return (
        listed(numerator, numerator_total),
        listed(counted, denominator_total),
        listed(excluded, excluded_total, with_reason=True) if reasons else RecordList.empty(),
    )


def weight_note(k: Decimal) -> str:
    """The note of a fairly satisfied rating in the numerator: it counts with the weight k."""
    return f"× {k}"


def exclusion_label(key: str) -> str:
    """The reason shown for a record left out by the exclusion `key`."""
    return str(_EXCLUSIONS[key].label) if key in _EXCLUSIONS else key


def _grouped(base: QuerySet[Any], group: Any, aggregates: dict[str, Any]) -> dict[str, Measure]:
    rows = base.order_by().annotate(_group=group).values("_group").annotate(**aggregates)
    return {r["_group"]: Measure(numerator=Decimal(r["num"]), denominator=r["den"]) for r in rows}


def _local_date(when: Any) -> dt.date | None:
    if isinstance(when, dt.datetime):
        return when.astimezone(LOCAL_TZ).date()
    return when if isinstance(when, dt.date) else None


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise | str
    unit: MeasureUnit
    formula: Promise | str
    compute: Callable[[Context], Measure]
    record_type: str = ""
    order: int = 100
    # Levels of unit at which the figure means something; an officer's only where records name one.
    for_officers: bool = True
    # Whether "higher is better" (hand-offs and repeat appeals are better low).
    higher_is_better: bool = True
    # Whether the figure also reads as per 100 appeals / per 1,000 residents.
    per_residents: bool = False

    def value(self, m: Measure) -> Decimal | None:
        return measure_value(self.unit, m)


@dataclass(frozen=True)
class Rating:
    record_type: str
    record_id: int
    unit_path: str
    officer_id: int | None
    date: dt.date
    level: str = ""
    score: int | None = None
    excluded_by: str = ""
    label: str = ""


@dataclass(frozen=True)
class RatingSource:
    key: str
    label: Promise | str
    record_type: str
    rows: Callable[[Context], Iterable[Rating]]
    # Optional, for speed: the same rows counted in the database, as
    # {(score or level, excluded_by, group): n}, the group being `ctx.group_of(<unit path field>,
    # <answer time field>)`: the unit path, or in a trend the month.
    counts: Callable[[Context], dict[tuple[int | str, str, str], int]] | None = None
    # Optional, with `counts`: the drill-down's lists read a page at a time (else `rows` are read).
    records: Callable[[Context], RatingRecords] | None = None


@dataclass(frozen=True)
class RatingRecords:
    """A rating source's drill-down: the valid ratings (`counted`), those in the numerator (the
    satisfied and, noted with the weight k, the fairly satisfied) and those left out by an
    exclusion switched on, each with its reason. Their totals come from the source's counts."""

    numerator: RecordList
    counted: RecordList
    excluded: RecordList


@dataclass(frozen=True)
class Exclusion:
    key: str
    label: Promise | str


@dataclass(frozen=True)
class RecordLink:
    """How a record type is named and reached from a drill-down."""

    label: Promise | str
    url: Callable[[int], str]


@dataclass(frozen=True)
class Breakdown:
    """A count of the period's records by a value (category, place): the dashboards' hot issues."""

    key: str
    label: Promise | str
    counts: Callable[[Context], dict[str, int]]


_INDICATORS: dict[str, Indicator] = {}
_BREAKDOWNS: dict[str, Breakdown] = {}
_POPULATION: list[Callable[[Scope], dict[str, int]]] = []
_SOURCES: dict[str, RatingSource] = {}
_EXCLUSIONS: dict[str, Exclusion] = {}
_LINKS: dict[str, RecordLink] = {}


class RegistryError(Exception):
    pass


def indicator(
    *,
    key: str,
    label: Promise | str,
    unit: MeasureUnit,
    formula: Promise | str,
    record_type: str = "",
    order: int = 100,
    for_officers: bool = True,
    higher_is_better: bool = True,
    per_residents: bool = False,
) -> Callable[[Callable[[Context], Measure]], Callable[[Context], Measure]]:
    """Register the decorated function as the indicator `key`."""

    def wrap(fn: Callable[[Context], Measure]) -> Callable[[Context], Measure]:
        _register(
            _INDICATORS,
            key,
            Indicator(
                key=key,
                label=label,
                unit=unit,
                formula=formula,
                compute=fn,
                record_type=record_type,
                order=order,
                for_officers=for_officers,
                higher_is_better=higher_is_better,
                per_residents=per_residents,
            ),
        )
        return fn

    return wrap


def rating_source(
    *,
    key: str,
    label: Promise | str,
    record_type: str,
    counts: Callable[[Context], dict[tuple[int | str, str, str], int]] | None = None,
    records: Callable[[Context], RatingRecords] | None = None,
) -> Callable[[Callable[[Context], Iterable[Rating]]], Callable[[Context], Iterable[Rating]]]:
    """Register the decorated function as a source of satisfaction ratings."""

    def wrap(fn: Callable[[Context], Iterable[Rating]]) -> Callable[[Context], Iterable[Rating]]:
        source = RatingSource(
            key=key, label=label, record_type=record_type, rows=fn, counts=counts, records=records
        )
        _register(_SOURCES, key, source)
        return fn

    return wrap


def breakdown(
    *, key: str, label: Promise | str
) -> Callable[[Callable[[Context], dict[str, int]]], Callable[[Context], dict[str, int]]]:
    """Register a count by value (the most frequent first, at most a few hundred values)."""

    def wrap(fn: Callable[[Context], dict[str, int]]) -> Callable[[Context], dict[str, int]]:
        _register(_BREAKDOWNS, key, Breakdown(key, label, fn))
        return fn

    return wrap


def breakdowns() -> list[Breakdown]:
    return sorted(_BREAKDOWNS.values(), key=lambda b: b.key)


def population(fn: Callable[[Scope], dict[str, int]]) -> Callable[[Scope], dict[str, int]]:
    """Register the residents of a scope by the unit path they live under (the ledger's), in one
    grouped query: a scope's figure adds them all up, a dashboard adds them up per unit compared."""
    _POPULATION[:] = [fn]
    return fn


def register_source_indicators() -> None:
    """Each rating source also as an indicator of its own: `satisfaction_<key>`."""
    from jingmin.metrics.indicators import SATISFACTION_FORMULA, satisfaction_of

    for position, source in enumerate(rating_sources()):

        def compute(ctx: Context, source: RatingSource = source) -> Measure:
            return satisfaction_of(ctx, [source])

        compute.__qualname__ = f"satisfaction_{source.key}"
        _INDICATORS[f"satisfaction_{source.key}"] = Indicator(
            key=f"satisfaction_{source.key}",
            label=source.label,
            unit=MeasureUnit.PERCENT,
            formula=SATISFACTION_FORMULA,
            compute=compute,
            record_type=source.record_type,
            order=31 + position,
        )


def residents(scope: Scope) -> int | None:
    by_path = residents_by_path(scope)
    return None if by_path is None else sum(by_path.values())


def residents_by_path(scope: Scope) -> dict[str, int] | None:
    """The residents of `scope` by unit path, or None when no population is registered."""
    return _POPULATION[0](scope) if _POPULATION else None


def register_exclusion(key: str, label: Promise | str) -> None:
    _register(_EXCLUSIONS, key, Exclusion(key, label))


def register_record_type(record_type: str, label: Promise | str, url: Callable[[int], str]) -> None:
    """Name a record type and say where one record of it opens (checked for scope by its page)."""
    _register(_LINKS, record_type, RecordLink(label, url))


def _register(table: dict[str, Any], key: str, item: Any) -> None:
    # Re-importing a module (autoreload, tests) registers the same function again: keep the last.
    existing = table.get(key)
    if existing is not None and _origin(existing) != _origin(item):
        raise RegistryError(f"{key!r} is registered twice")
    table[key] = item


def _origin(item: Any) -> str:
    fn = getattr(item, "compute", None) or getattr(item, "rows", None) or getattr(item, "counts", None)
    return f"{fn.__module__}.{fn.__qualname__}" if fn is not None else repr(item)


def indicators() -> list[Indicator]:
    return sorted(_INDICATORS.values(), key=lambda i: (i.order, i.key))


def get_indicator(key: str) -> Indicator | None:
    return _INDICATORS.get(key)


def rating_sources() -> list[RatingSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)


def get_rating_source(key: str) -> RatingSource | None:
    return _SOURCES.get(key)


def exclusions() -> list[Exclusion]:
    return sorted(_EXCLUSIONS.values(), key=lambda e: e.key)


def record_link(record_type: str) -> RecordLink | None:
    return _LINKS.get(record_type)


def measure_value(unit: MeasureUnit, m: Measure) -> Decimal | None:
    """The figure shown: a percent to one decimal, an average to two, a count as is."""
    if unit == MeasureUnit.COUNT:
        return m.numerator.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if unit == MeasureUnit.SCORE:
        if not any(p.denominator for p in m.parts.values()):
            return None
        return m.numerator.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if not m.denominator:
        return None
    if unit == MeasureUnit.PERCENT:
        return (m.numerator * 100 / m.denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return (m.numerator / m.denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def autodiscover(app_names: Iterable[str]) -> Iterator[str]:
    """Import `<app>.indicators` of each app that has one; yield the modules imported."""
    import importlib
    import importlib.util

    for name in app_names:
        module = f"{name}.indicators"
        if importlib.util.find_spec(name) is None:
            continue
        if importlib.util.find_spec(module) is None:
            continue
        importlib.import_module(module)
        yield module
