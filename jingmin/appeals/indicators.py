"""What appeals contribute to the indicators (imported by metrics at start-up, see
`jingmin/metrics/registry.py`): the clock indicators, resolution, hand-offs, repeat appeals, the
count of appeals, and follow-ups as the first source of satisfaction ratings.

Which appeals: those received in the period, in the scope by the unit that holds them now
(`unit_path`); an officer's are those they handle. A clock is judged once it has stopped or run
out by the end of the period (or now, if sooner): an appeal whose sign-for clock still runs is in
neither the numerator nor the denominator of the sign-for rate. Follow-ups count in the period in
which the citizen answered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingmin.appeals import tallies
from jingmin.appeals.models import Appeal, Category, FollowUp, ReviewOutcome, State
from jingmin.metrics.registry import (
    LOCAL_TZ,
    Context,
    Level,
    Measure,
    MeasureUnit,
    Rating,
    RatingRecords,
    RecordList,
    RecordRef,
    breakdown,
    exclusion_label,
    indicator,
    measure_of,
    month_key,
    rating_source,
    register_exclusion,
    register_record_type,
    weight_note,
)
from jingmin.metrics.rollup import judged_on, read, use_rollup

register_exclusion("pending_review", _("Dissatisfied answer awaiting the reasonableness review"))
register_exclusion("unreasonable", _("Unreasonable complaint after review"))
register_exclusion("merged", _("Merged into another appeal (duplicate)"))
register_exclusion("rejected", _("Rejected appeal"))

register_record_type("appeals.appeal", _("Appeal"), lambda pk: reverse("appeals:detail", args=[pk]))
register_record_type(
    "appeals.follow_up", _("Follow-up of an appeal"), lambda pk: reverse("appeals:detail", args=[pk])
)

# Appeals that the settings may leave out of every appeal indicator, each with its reason.
APPEAL_EXCLUSIONS = {"rejected": Q(state=State.REJECTED), "merged": Q(state=State.MERGED)}
FOLLOW_UP_EXCLUSIONS = {
    "pending_review": Q(review=ReviewOutcome.PENDING),
    "unreasonable": Q(review=ReviewOutcome.UNREASONABLE),
    "merged": Q(appeal__state=State.MERGED),
}


def received(ctx: Context) -> QuerySet[Appeal]:
    """The appeals received in the period, in the scope (and the officer's, for an officer)."""
    qs = ctx.scope.filter(Appeal.objects.filter(received_at__range=ctx.period.bounds))
    if ctx.officer_id is not None:
        qs = qs.filter(handler_id=ctx.officer_id)
    return qs


def answered_follow_ups(ctx: Context) -> QuerySet[FollowUp]:
    """The follow-ups answered in the period whose appeal lies in the scope."""
    qs = ctx.scope.filter(FollowUp.objects.filter(answered_at__range=ctx.period.bounds), "appeal__unit_path")
    if ctx.officer_id is not None:
        qs = qs.filter(appeal__handler_id=ctx.officer_id)
    return qs


def _appeals(ctx: Context, *, denominator: Q, numerator: Q, sum_field: str = "") -> Measure:
    return measure_of(
        ctx,
        received(ctx),
        denominator=denominator,
        numerator=numerator,
        exclusions=APPEAL_EXCLUSIONS,
        record_type="appeals.appeal",
        label_field="tracking_code",
        date_field="received_at",
        sum_field=sum_field,
        period_field="received_at",
    )


# --- the count path: the roll-ups (`jingmin/appeals/tallies.py`) -----------------------------

Weigh = Callable[[dict[str, Any]], tuple[int, int]]


def _tallied(ctx: Context) -> list[dict[str, Any]]:
    """The period's appeal tallies in the scope, read once per computation, with the running
    clocks due today judged live (their deadline before now or not)."""

    def make() -> list[dict[str, Any]]:
        rows = read(ctx, tallies.KINDS)
        return rows + _due_today(ctx)

    rows: list[dict[str, Any]] = ctx.cached("tally:appeals", make)
    return rows


def _due_today(ctx: Context) -> list[dict[str, Any]]:
    """A clock running out today is judged as of now: the few appeals of the period (in a trend,
    of the month holding today) with such a clock, read from the records. Each comes back as a
    row "judged" (its deadline has passed)."""
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    period = next((m for m in ctx.months if m.start <= today <= m.end), None) if ctx.months else ctx.period
    if period is None or not period.start <= today <= period.end:
        return []
    first = datetime.combine(today, datetime.min.time(), tzinfo=LOCAL_TZ) - timedelta(microseconds=1)
    last = first + timedelta(days=1)
    running = Q(pk__in=[])
    for _kind, deadline_field, done_field in tallies.CLOCKS:
        running |= Q(
            **{f"{done_field}__isnull": True, f"{deadline_field}__gte": first, f"{deadline_field}__lt": last}
        )
    appeals = received(ctx).filter(running, received_at__range=period.bounds)
    group = month_key(period) if ctx.months else None
    out = []
    for row in tallies.rows_of(Q(pk__in=appeals.values("pk"))):
        for kind, status, deadline in tallies.clock_statuses(row):
            if status == "open" and deadline is not None and judged_on(deadline) == today and deadline < now:
                out.append(
                    {
                        "kind": kind,
                        "part": "judged",
                        "excluded_by": tallies.appeal_exclusion(row["state"]),
                        "due": tallies.NO_DUE,
                        "group": group if group is not None else (row["unit_path"] if ctx.grouped else ""),
                        "total": 1,
                    }
                )
    return out


def _judged_by(ctx: Context) -> Callable[[dict[str, Any]], bool]:
    """Whether a row's running clock, judged on its day, is judged by the period's end (in a
    trend, by the end of the row's month); for a period holding today, by now: the days before
    today (today's are the live rows)."""
    today = timezone.now().astimezone(LOCAL_TZ).date()
    ends = {month_key(m): m.end for m in ctx.months}

    def judged(row: dict[str, Any]) -> bool:
        end = ends.get(row["group"], ctx.period.end) if ctx.months else ctx.period.end
        return bool(row["due"] <= end) if end < today else bool(row["due"] < today)

    return judged


def _tally_measure(ctx: Context, rows: list[dict[str, Any]], weigh: Weigh, *, count: bool = False) -> Measure:
    """Add up (numerator, denominator) of each row, by police district when grouped."""
    by_path: dict[str, list[int]] = {}
    for row in rows:
        num, den = weigh(row)
        if num or den:
            sums = by_path.setdefault(row["group"], [0, 0])
            sums[0] += num
            sums[1] += den

    def measure(num: int, den: int) -> Measure:
        return Measure(numerator=Decimal(num), denominator=None if count else den)

    m = measure(sum(v[0] for v in by_path.values()), sum(v[1] for v in by_path.values()))
    if ctx.grouped:
        m.groups = {path: measure(*v) for path, v in by_path.items()}
    return m


def _appeal_tallies(ctx: Context, weigh: Weigh, *, count: bool = False) -> Measure:
    """A measure of the appeals received: rows whose appeal an exclusion switched on leaves out
    count in neither part."""
    excludes = ctx.settings.excludes

    def counted(row: dict[str, Any]) -> tuple[int, int]:
        if row["excluded_by"] and row["excluded_by"] in excludes:
            return 0, 0
        return weigh(row)

    return _tally_measure(ctx, _tallied(ctx), counted, count=count)


def _clock_tallies(ctx: Context, kind: str) -> Measure:
    judged = _judged_by(ctx)

    def weigh(row: dict[str, Any]) -> tuple[int, int]:
        if row["kind"] != kind:
            return 0, 0
        n = row["total"]
        if row["part"] == "kept":
            return n, n
        if row["part"] in ("missed", "judged") or (row["part"] == "open" and judged(row)):
            return 0, n
        return 0, 0

    return _appeal_tallies(ctx, weigh)


def _follow_up_excluded(ctx: Context, reasons: str, *, first_only: bool = False) -> bool:
    """Whether an exclusion switched on applies to a follow-up (the satisfaction rate asks only
    the first reason, as `follow_up_exclusion` names it)."""
    found = [r for r in reasons.split(",") if r]
    if first_only:
        found = found[:1]
    return any(r in ctx.settings.excludes for r in found)


def _judged(ctx: Context, deadline: str, done: str) -> Q:
    """The clock `deadline` ran and has stopped (`done` set) or run out by the period's end."""
    return Q(**{f"{deadline}__isnull": False}) & (
        Q(**{f"{done}__isnull": False}) | Q(**{f"{deadline}__lt": ctx.clock_end("received_at")})
    )


def _kept(deadline: str, done: str) -> Q:
    return Q(**{f"{done}__isnull": False, f"{done}__lte": F(deadline)})


@indicator(
    key="response",
    label=_("Response rate"),
    unit=MeasureUnit.PERCENT,
    formula=_("appeals signed for and the citizen contacted within their clocks / appeals dispatched"),
    record_type="appeals.appeal",
    order=10,
)
def response(ctx: Context) -> Measure:
    if use_rollup(ctx):
        return _clock_tallies(ctx, "clock_response")
    no_contact_clock = Q(contact_by__isnull=True)
    return _appeals(
        ctx,
        denominator=_judged(ctx, "sign_by", "signed_at")
        & (no_contact_clock | _judged(ctx, "contact_by", "contacted_at")),
        numerator=_kept("sign_by", "signed_at") & (no_contact_clock | _kept("contact_by", "contacted_at")),
    )


@indicator(
    key="on_time_sign",
    label=_("On-time sign-for rate"),
    unit=MeasureUnit.PERCENT,
    formula=_("appeals signed for within the sign-for clock / appeals dispatched"),
    record_type="appeals.appeal",
    order=40,
)
def on_time_sign(ctx: Context) -> Measure:
    if use_rollup(ctx):
        return _clock_tallies(ctx, "clock_sign")
    return _appeals(
        ctx, denominator=_judged(ctx, "sign_by", "signed_at"), numerator=_kept("sign_by", "signed_at")
    )


@indicator(
    key="first_contact",
    label=_("First-contact rate"),
    unit=MeasureUnit.PERCENT,
    formula=_("appeals whose citizen was contacted within the clock / appeals with a contact clock"),
    record_type="appeals.appeal",
    order=50,
)
def first_contact(ctx: Context) -> Measure:
    if use_rollup(ctx):
        return _clock_tallies(ctx, "clock_contact")
    return _appeals(
        ctx,
        denominator=_judged(ctx, "contact_by", "contacted_at"),
        numerator=_kept("contact_by", "contacted_at"),
    )


@indicator(
    key="on_time_conclusion",
    label=_("On-time conclusion rate"),
    unit=MeasureUnit.PERCENT,
    formula=_("appeals concluded within the conclusion clock / appeals whose conclusion clock ended"),
    record_type="appeals.appeal",
    order=60,
)
def on_time_conclusion(ctx: Context) -> Measure:
    if use_rollup(ctx):
        return _clock_tallies(ctx, "clock_conclude")
    return _appeals(
        ctx,
        denominator=_judged(ctx, "conclude_by", "concluded_at"),
        numerator=_kept("conclude_by", "concluded_at"),
    )


@indicator(
    key="handoffs",
    label=_("Hand-offs per appeal"),
    unit=MeasureUnit.AVERAGE,
    formula=_("transfers and returns of the appeals received / appeals received"),
    record_type="appeals.appeal",
    order=70,
    higher_is_better=False,
)
def handoffs(ctx: Context) -> Measure:
    if use_rollup(ctx):
        return _appeal_tallies(
            ctx,
            lambda r: (
                (r["total"], 0)
                if r["kind"] == "handoffs"
                else (0, r["total"] if r["kind"] == "appeals" else 0)
            ),
        )
    return _appeals(ctx, denominator=Q(), numerator=Q(), sum_field="handoffs")


def repeat_condition(ctx: Context) -> Q:
    """An earlier appeal of the same category from the same citizen (phone) or address, within the
    window of the settings (30 days by default) before this one was received."""
    return tallies.repeat_q(ctx.settings.repeat_window_days)


@indicator(
    key="repeat",
    label=_("Repeat appeals"),
    unit=MeasureUnit.PERCENT,
    formula=_(
        "appeals with an earlier one of the same category from the same citizen or address within "
        "30 days / appeals received"
    ),
    record_type="appeals.appeal",
    order=80,
    higher_is_better=False,
)
def repeat(ctx: Context) -> Measure:
    if use_rollup(ctx):
        window = str(ctx.settings.repeat_window_days)

        def weigh(r: dict[str, Any]) -> tuple[int, int]:
            if r["kind"] == "repeat" and r["part"] == window:
                return r["total"], 0
            return 0, r["total"] if r["kind"] == "appeals" else 0

        return _appeal_tallies(ctx, weigh)
    return _appeals(ctx, denominator=Q(), numerator=repeat_condition(ctx))


@indicator(
    key="appeals",
    label=_("Appeals received"),
    unit=MeasureUnit.COUNT,
    formula=_("appeals received in the period"),
    record_type="appeals.appeal",
    order=90,
    per_residents=True,
)
def appeals(ctx: Context) -> Measure:
    if use_rollup(ctx):
        return _appeal_tallies(
            ctx, lambda r: (r["total"], 0) if r["kind"] == "appeals" else (0, 0), count=True
        )
    m = _appeals(ctx, denominator=Q(), numerator=Q())
    m.denominator = None
    return m


@indicator(
    key="resolution",
    label=_("Resolution rate"),
    unit=MeasureUnit.PERCENT,
    formula=_("valid follow-ups answering resolved / valid follow-ups"),
    record_type="appeals.follow_up",
    order=20,
)
def resolution(ctx: Context) -> Measure:
    if use_rollup(ctx):

        def weigh(r: dict[str, Any]) -> tuple[int, int]:
            if r["kind"] != "resolution" or _follow_up_excluded(ctx, r["excluded_by"]):
                return 0, 0
            return (r["total"] if r["part"] == "1" else 0), r["total"]

        return _tally_measure(ctx, _tallied(ctx), weigh)
    return measure_of(
        ctx,
        answered_follow_ups(ctx),
        denominator=Q(resolved__isnull=False),
        numerator=Q(resolved=True),
        exclusions=FOLLOW_UP_EXCLUSIONS,
        record_type="appeals.follow_up",
        label_field="appeal__tracking_code",
        date_field="answered_at",
        path_field="appeal__unit_path",
        period_field="answered_at",
    )


def follow_up_exclusion(review: str, state: str) -> str:
    """The exclusion that may apply to a follow-up, or "" (the settings decide whether it does)."""
    if review == ReviewOutcome.UNREASONABLE:
        return "unreasonable"
    if review == ReviewOutcome.PENDING:
        return "pending_review"
    if state == State.MERGED:
        return "merged"
    return ""


def follow_up_counts(ctx: Context) -> dict[tuple[int | str, str, str], int]:
    if use_rollup(ctx):
        tallied: Counter[tuple[int | str, str, str]] = Counter()
        for r in _tallied(ctx):
            if r["kind"] == "satisfaction":
                first = r["excluded_by"].split(",")[0]
                tallied[(int(r["part"]), first, r["group"])] += r["total"]
        return dict(tallied)
    # By unit path, or in a trend by the month of the answer (`Context.group_of`).
    rows = (
        answered_follow_ups(ctx)
        .filter(satisfaction__isnull=False)
        .annotate(_group=ctx.group_of("appeal__unit_path", "answered_at"))
        .values_list("satisfaction", "review", "appeal__state", "_group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter[tuple[int | str, str, str]] = Counter()
    for score, review, state, path, n in rows:
        counts[(score, follow_up_exclusion(review, state), path)] += n
    return dict(counts)


# Which exclusion applies to a follow-up, as `follow_up_exclusion` decides it, one condition each.
FOLLOW_UP_EXCLUDED_BY = {
    "unreasonable": Q(review=ReviewOutcome.UNREASONABLE),
    "pending_review": Q(review=ReviewOutcome.PENDING),
    "merged": Q(appeal__state=State.MERGED)
    & ~Q(review__in=[ReviewOutcome.UNREASONABLE, ReviewOutcome.PENDING]),
}


def follow_up_records(ctx: Context) -> RatingRecords:
    """The drill-down of the follow-ups' satisfaction, newest answer first, a page at a time: the
    valid answers, those in the numerator (a fairly satisfied one noted with k) and those left
    out with their reason. Their totals come from `follow_up_counts`."""
    rated = answered_follow_ups(ctx).filter(satisfaction__isnull=False)
    active = [(key, q) for key, q in FOLLOW_UP_EXCLUDED_BY.items() if key in ctx.settings.excludes]
    left_out = Q(pk__in=[])
    for _key, q in active:
        left_out |= q
    levels = {score: ctx.settings.level_of(score) for score in range(1, 6)}
    positive = [score for score, level in levels.items() if level != Level.DISSATISFIED]
    basic = [score for score, level in levels.items() if level == Level.BASIC]
    note = Case(
        When(satisfaction__in=basic, then=Value(weight_note(ctx.settings.k))),
        default=Value(""),
        output_field=CharField(),
    )
    reason = Case(
        *(When(q, then=Value(key)) for key, q in active), default=Value(""), output_field=CharField()
    )

    def listed(qs: QuerySet[FollowUp], text: Case | Value, *, excluded: bool = False) -> RecordList:
        rows = (
            qs.annotate(_note=text)
            .order_by("-answered_at", "-pk")
            .values_list("appeal_id", "appeal__tracking_code", "round", "answered_at", "_note")
        )

        def make(row: tuple[Any, ...]) -> RecordRef:
            appeal_id, code, round_no, answered, text = row
            shown = exclusion_label(text) if excluded and text else text
            return RecordRef(
                "appeals.follow_up",
                appeal_id,
                f"{code} #{round_no}",
                answered.astimezone(LOCAL_TZ).date(),
                shown,
            )

        return RecordList.rows(rows, make)

    counted = rated.exclude(left_out) if active else rated
    return RatingRecords(
        numerator=listed(counted.filter(satisfaction__in=positive), note),
        counted=listed(counted, Value("", output_field=CharField())),
        excluded=listed(rated.filter(left_out), reason, excluded=True) if active else RecordList.empty(),
    )


@rating_source(
    key="follow_up",
    label=_("Appeal follow-ups"),
    record_type="appeals.follow_up",
    counts=follow_up_counts,
    records=follow_up_records,
)
def follow_up_ratings(ctx: Context) -> Iterator[Rating]:
    rows: Any = (
        answered_follow_ups(ctx)
        .filter(satisfaction__isnull=False)
        .order_by("answered_at", "pk")
        .values_list(
            "round",
            "appeal_id",
            "appeal__unit_path",
            "appeal__handler_id",
            "answered_at",
            "satisfaction",
            "review",
            "appeal__state",
            "appeal__tracking_code",
        )
    )
    # A follow-up is reached through its appeal: the record id is the appeal's.
    for round_no, appeal_id, path, handler_id, answered, score, review, state, code in rows.iterator():
        yield Rating(
            record_type="appeals.follow_up",
            record_id=appeal_id,
            unit_path=path,
            officer_id=handler_id,
            date=answered.astimezone(LOCAL_TZ).date(),
            score=score,
            excluded_by=follow_up_exclusion(review, state),
            label=f"{code} #{round_no}",
        )


def _top(ctx: Context, field: str) -> dict[str, int]:
    qs = received(ctx).exclude(state=State.MERGED).exclude(**{field: ""})
    rows = qs.values_list(field).annotate(n=Count("pk")).order_by("-n")[:200]
    return {str(value): n for value, n in rows}


@breakdown(key="categories", label=_("Categories"))
def by_category(ctx: Context) -> dict[str, int]:
    if use_rollup(ctx):
        counted: Counter[int] = Counter()
        # The appeals' tallies when this computation read them; else the categories' alone (the
        # hot issues of the period before, which shows nothing else).
        rows = ctx.memo["tally:appeals"] if "tally:appeals" in ctx.memo else read(ctx, ("category",))
        for r in rows:
            if r["kind"] == "category" and r["excluded_by"] != "merged":
                counted[int(r["part"])] += r["total"]
        names = dict(Category.objects.filter(pk__in=list(counted)).values_list("pk", "name"))
        by_name: Counter[str] = Counter()
        for pk, n in counted.items():
            if n and names.get(pk):
                by_name[names[pk]] += n
        return dict(by_name.most_common(200))
    return _top(ctx, "category__name")


@breakdown(key="places", label=_("Places"))
def by_place(ctx: Context) -> dict[str, int]:
    return _top(ctx, "address")
