"""Roll-ups: exact counts the dashboards add up instead of reading the records.

A domain states once, per record, what it contributes to the indicators: a `Counter` of `Fact`s
(kind, day, police district path, officer, part, exclusion, judging day) → how many. The same
function serves three ways:

- **kept incrementally**: a service that changes a counted record computes the record's facts
  before and after the change, inside its own transaction and under the record's row lock, and
  `apply` adds the difference to the `Tally` rows (an additive upsert, so two transactions
  touching the same row both count);
- **rebuilt entirely** (`rebuild`, on a settings change and by `manage.py metrics_rollup
  --rebuild`): every domain's `TallySource.rebuild` yields the facts of all its records;
- **read**: `read` sums the rows of a period and scope, whole years and months from the year and
  month rows, the rest from the day rows (an officer's figures from the day rows, which alone
  carry the officer).

Nothing the settings may change is decided in a fact: exclusions are stored as the reason that
may apply (the settings choose at query time), satisfaction as the raw score (k and the score
levels at query time), a repeat appeal once per repeat window found in the settings' history.

Until the roll-ups have been built once (`ready`), every figure is counted from the records.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from jingmin.metrics.models import IndicatorSettings, RollupState, Tally
from jingmin.metrics.registry import LOCAL_TZ, Context, Period

if TYPE_CHECKING:
    from django.db.models import QuerySet

# The judging day of a fact that needs none.
NO_DUE = dt.date(1, 1, 1)
DAY, MONTH, YEAR = "d", "m", "y"


@dataclass(frozen=True)
class Fact:
    kind: str
    day: dt.date
    unit_path: str
    officer_id: int = 0
    part: str = ""
    excluded_by: str = ""
    due: dt.date = NO_DUE


Facts = Counter[Fact]


@dataclass(frozen=True)
class TallySource:
    """A domain's roll-up: the kinds of facts it owns and all its facts, in batches."""

    key: str
    kinds: tuple[str, ...]
    rebuild: Callable[[], Iterable[Facts]]


_SOURCES: dict[str, TallySource] = {}


def tally_source(*, key: str, kinds: Iterable[str]) -> Callable[[Callable[[], Iterable[Facts]]], Any]:
    """Register the decorated generator as the full rebuild of a domain's roll-up."""

    def wrap(fn: Callable[[], Iterable[Facts]]) -> Callable[[], Iterable[Facts]]:
        _SOURCES[key] = TallySource(key=key, kinds=tuple(kinds), rebuild=fn)
        return fn

    return wrap


def sources() -> list[TallySource]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)


def local_date(when: dt.datetime) -> dt.date:
    return when.astimezone(LOCAL_TZ).date()


def judged_on(deadline: dt.datetime) -> dt.date:
    """The first day at whose end a clock running out at `deadline` has run out: a running clock
    is judged as of a period's end E when `deadline < E`, and E is the last microsecond of a day,
    so when the day of `deadline + 1 µs` is not after the period's last day."""
    return local_date(deadline + dt.timedelta(microseconds=1))


def repeat_windows() -> list[int]:
    """Every repeat window the settings' history names (and the default): a repeat appeal is
    counted once per window, so a past period reads the window of its own settings version."""
    from jingmin.metrics.versions import DEFAULTS

    found = set(IndicatorSettings.objects.values_list("repeat_window_days", flat=True).distinct())
    return sorted(found | {DEFAULTS.repeat_window_days})


def ready() -> bool:
    return RollupState.objects.filter(built_at__isnull=False).exists()


# --- writing --------------------------------------------------------------------------------


def _grains(fact: Fact) -> Iterator[tuple[str, dt.date, int]]:
    yield DAY, fact.day, fact.officer_id
    yield MONTH, fact.day.replace(day=1), 0
    yield YEAR, fact.day.replace(month=1, day=1), 0


Row = tuple[str, str, dt.date, str, int, str, str, dt.date]


def _rows(facts: Facts, grains: Iterable[str] = (DAY, MONTH, YEAR)) -> Counter[Row]:
    wanted = set(grains)
    out: Counter[Row] = Counter()
    for fact, n in facts.items():
        if not n:
            continue
        for grain, day, officer in _grains(fact):
            if grain in wanted:
                out[
                    (fact.kind, grain, day, fact.unit_path, officer, fact.part, fact.excluded_by, fact.due)
                ] += n
    return out


_UPSERT = (
    "INSERT INTO metrics_tally (kind, grain, day, unit_path, officer_id, part, excluded_by, due, n) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (kind, grain, day, unit_path, officer_id, part, excluded_by, due) "
    "DO UPDATE SET n = metrics_tally.n + EXCLUDED.n"
)


def _add(rows: Counter[Row]) -> None:
    params = [
        (kind, grain, day.isoformat(), path, officer, part, excl, due.isoformat(), n)
        for (kind, grain, day, path, officer, part, excl, due), n in rows.items()
        if n
    ]
    if not params:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(_UPSERT, params[start : start + 5000])


def difference(before: Facts, after: Facts) -> Facts:
    """after − before, negative counts kept (Counter's own subtraction drops them)."""
    out: Facts = Counter()
    for fact in set(before) | set(after):
        n = after.get(fact, 0) - before.get(fact, 0)
        if n:
            out[fact] = n
    return out


def apply(before: Facts, after: Facts) -> None:
    """Add a record's change (its facts after minus before) to the roll-up, in the caller's
    transaction; rows brought to zero are deleted."""
    change = difference(before, after)
    if not change:
        return
    rows = _rows(change)
    _add(rows)
    if any(n < 0 for n in change.values()):
        emptied = Q(pk__in=[])
        for kind, grain, day, path, officer, part, excl, due in rows:
            emptied |= Q(
                kind=kind,
                grain=grain,
                day=day,
                unit_path=path,
                officer_id=officer,
                part=part,
                excluded_by=excl,
                due=due,
                n=0,
            )
        Tally.objects.filter(emptied).delete()


def rebuild(*, only: Iterable[str] | None = None) -> float:
    """Count every domain's roll-up afresh from the records; the seconds it took.

    One transaction: on PostgreSQL the tally table is locked against writes first, so a service
    changing a record meanwhile waits and then adds its change to the rebuilt counts (which did
    not see it), and one that changed a record before has committed both (the rebuild sees it)."""
    started = time.monotonic()
    chosen = [s for s in sources() if only is None or s.key in set(only)]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE metrics_tally IN EXCLUSIVE MODE")
        for source in chosen:
            Tally.objects.filter(kind__in=source.kinds).delete()
            wide: Counter[Row] = Counter()
            for batch in source.rebuild():
                _add(_rows(batch, (DAY,)))
                wide.update(_rows(batch, (MONTH, YEAR)))
            _add(wide)
        seconds = time.monotonic() - started
        RollupState.objects.update_or_create(pk=1, defaults={"built_at": timezone.now(), "seconds": seconds})
    return seconds


# --- reading --------------------------------------------------------------------------------


def pieces(period: Period, *, days_only: bool = False) -> Q:
    """The tally rows that add up to `period` exactly: its whole years, then its whole months,
    then its remaining days."""
    years: list[dt.date] = []
    months: list[dt.date] = []
    runs: list[tuple[dt.date, dt.date]] = []
    day = period.start
    while day <= period.end:
        year_end = dt.date(day.year, 12, 31)
        month_end = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        if not days_only and day.month == 1 and day.day == 1 and year_end <= period.end:
            years.append(day)
            day = year_end + dt.timedelta(days=1)
        elif not days_only and day.day == 1 and month_end <= period.end:
            months.append(day)
            day = month_end + dt.timedelta(days=1)
        else:
            if runs and runs[-1][1] + dt.timedelta(days=1) == day:
                runs[-1] = (runs[-1][0], day)
            else:
                runs.append((day, day))
            day += dt.timedelta(days=1)
    q = Q(pk__in=[])
    if years:
        q |= Q(grain=YEAR, day__in=years)
    if months:
        q |= Q(grain=MONTH, day__in=months)
    for first, last in runs:
        q |= Q(grain=DAY, day__range=(first, last))
    return q


def read(ctx: Context, kinds: Iterable[str]) -> list[dict[str, Any]]:
    """The period's tallies of `kinds` in the scope (an officer's: theirs), summed by kind, part,
    exclusion and judging day, each row with its `group` when metrics compares: the police
    district (many units), or in a trend the month (`month_key`), read from the month rows."""
    officer = ctx.officer_id
    if ctx.months and officer is None:
        where = Q(grain=MONTH, day__in=[m.start for m in ctx.months])
    else:
        where = pieces(ctx.period, days_only=officer is not None)
    qs: QuerySet[Tally] = Tally.objects.filter(where, kind__in=list(kinds))
    if officer is not None:
        qs = qs.filter(officer_id=officer)
    qs = ctx.scope.filter(qs, "unit_path")
    group = ""
    if ctx.grouped:
        group = "day" if ctx.months and officer is None else "unit_path"
    fields = ["kind", "part", "excluded_by", "due"] + ([group] if group else [])
    rows = list(qs.order_by().values(*fields).annotate(total=Sum("n")))
    for row in rows:
        value = row.pop(group, "") if group else ""
        row["group"] = value.isoformat() if isinstance(value, dt.date) else value
    return rows


def use_rollup(ctx: Context) -> bool:
    """Whether the count path reads the roll-ups: not for a drill-down (it lists records), not
    when metrics asks for a fresh count (`--verify`), and only once they are built."""
    if ctx.detail or ctx.fresh:
        return False
    return bool(ctx.cached("rollup:ready", ready))


# --- checking -------------------------------------------------------------------------------


def differences(periods: Iterable[Period], keys: Iterable[str] | None = None) -> Iterator[str]:
    """Every figure of every unit in each period, read through the roll-ups and counted afresh
    from the records: a line for each that differs (numerator or denominator)."""
    from jingmin.metrics.compute import figures_by_unit
    from jingmin.org.models import Unit
    from jingmin.org.scope import Scope

    units = list(Unit.objects.order_by("path"))
    roots = [u for u in units if u.parent_id is None]
    wanted = list(keys) if keys is not None else None
    for period in periods:
        for root in roots:
            under = [u for u in units if Scope.under(root).contains(u)]
            rolled = figures_by_unit(top=root, units=under, period=period, keys=wanted)
            fresh = figures_by_unit(top=root, units=under, period=period, keys=wanted, fresh=True)
            for unit in under:
                for a, b in zip(rolled[unit.pk], fresh[unit.pk], strict=True):
                    if (a.measure.numerator, a.measure.denominator) != (
                        b.measure.numerator,
                        b.measure.denominator,
                    ):
                        yield (
                            f"{period.start:%Y-%m} {unit.name} ({unit.path}) {a.key}: roll-up "
                            f"{a.measure.numerator}/{a.measure.denominator}, records "
                            f"{b.measure.numerator}/{b.measure.denominator}"
                        )
