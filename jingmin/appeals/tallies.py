"""What one appeal contributes to the roll-ups (`jingmin/metrics/rollup.py`), stated once.

`facts_of` is used by the services (the facts of the appeal they change, before and after, in
the same transaction), by the full rebuild, and by the indicators' live part of today. Per
appeal, on the day it was received, in the district that holds it now, for its handler:

- `appeals` 1 and `handoffs` its hand-offs, `category` its category, each with the exclusion
  its state may bring ("rejected", "merged");
- `repeat` 1 for each repeat window of the settings' history within which an earlier appeal of
  the same category came from the same citizen or address (part: the window in days);
- `clock_sign`, `clock_contact`, `clock_conclude` and `clock_response` (sign-for and first
  contact together): "kept" or "missed" once the clock stopped; "open" with the day it is judged
  (`rollup.judged_on`) while it runs — the indicators count an open clock in the denominator of
  a period whose end falls on or after that day, and judge the open clocks due today live;
- per follow-up answered, on the day it was answered: `resolution` ("1" resolved, "0" not) and
  `satisfaction` (the score 1–5), with the exclusions that may apply ("unreasonable" or
  "pending_review" from the review, "merged" from the appeal), comma-separated.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q

from jingmin.appeals.models import Appeal, FollowUp, ReviewOutcome, State
from jingmin.metrics import rollup
from jingmin.metrics.rollup import NO_DUE, Fact, Facts, judged_on, local_date, tally_source

KINDS = (
    "appeals",
    "handoffs",
    "category",
    "repeat",
    "clock_sign",
    "clock_contact",
    "clock_conclude",
    "clock_response",
    "resolution",
    "satisfaction",
)
CLOCKS = (
    ("clock_sign", "sign_by", "signed_at"),
    ("clock_contact", "contact_by", "contacted_at"),
    ("clock_conclude", "conclude_by", "concluded_at"),
)
_FIELDS = (
    "pk",
    "received_at",
    "unit_path",
    "handler_id",
    "state",
    "handoffs",
    "category_id",
    "sign_by",
    "signed_at",
    "contact_by",
    "contacted_at",
    "conclude_by",
    "concluded_at",
)
_FOLLOW_UP_FIELDS = ("appeal_id", "answered_at", "resolved", "satisfaction", "review")


def repeat_q(window_days: int, *, ignoring: Sequence[int] = ()) -> Q:
    """An earlier appeal of the same category from the same citizen (phone) or address within
    `window_days` before this one was received (`ignoring` some appeals, as if they did not
    exist)."""
    window = timedelta(days=window_days)
    earlier = Appeal.objects.filter(
        category_id=OuterRef("category_id"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=OuterRef("received_at") - window,
    )
    if ignoring:
        earlier = earlier.exclude(pk__in=list(ignoring))
    same_citizen = earlier.filter(citizen_phone_hash=OuterRef("citizen_phone_hash")).exclude(
        citizen_phone_hash=""
    )
    same_address = earlier.filter(address=OuterRef("address")).exclude(address="")
    return Q(Exists(same_citizen)) | Q(Exists(same_address))


def clock_status(deadline: datetime | None, done: datetime | None) -> tuple[str, datetime | None] | None:
    """("kept" | "missed", None) once stopped, ("open", its deadline) while running, None without
    a clock."""
    if deadline is None:
        return None
    if done is not None:
        return ("kept" if done <= deadline else "missed", None)
    return ("open", deadline)


def response_status(row: dict[str, Any]) -> tuple[str, datetime | None] | None:
    """Sign-for and first contact (when it has a clock) together: kept when both were kept; judged
    once both stopped or ran out, so a running one is judged on the later of their days."""
    if row["sign_by"] is None:
        return None
    clocks = [(row["sign_by"], row["signed_at"])]
    if row["contact_by"] is not None:
        clocks.append((row["contact_by"], row["contacted_at"]))
    running = [deadline for deadline, done in clocks if done is None]
    if running:
        return ("open", max(running))
    return ("kept" if all(done <= deadline for deadline, done in clocks) else "missed", None)


def clock_statuses(row: dict[str, Any]) -> Iterator[tuple[str, str, datetime | None]]:
    """(kind, status, deadline of a running clock) of each clock the appeal has."""
    for kind, deadline, done in CLOCKS:
        status = clock_status(row[deadline], row[done])
        if status is not None:
            yield kind, *status
    status = response_status(row)
    if status is not None:
        yield "clock_response", *status


def appeal_exclusion(state: str) -> str:
    if state == State.REJECTED:
        return "rejected"
    return "merged" if state == State.MERGED else ""


def follow_up_exclusions(review: str, state: str) -> str:
    """Every exclusion that may apply to a follow-up, the one the satisfaction rate names first."""
    reasons = []
    if review == ReviewOutcome.UNREASONABLE:
        reasons.append("unreasonable")
    elif review == ReviewOutcome.PENDING:
        reasons.append("pending_review")
    if state == State.MERGED:
        reasons.append("merged")
    return ",".join(reasons)


def _facts(row: dict[str, Any], repeats: Iterable[int], follow_ups: Iterable[dict[str, Any]]) -> Facts:
    out: Facts = Counter()
    day = local_date(row["received_at"])
    where = {"unit_path": row["unit_path"], "officer_id": row["handler_id"] or 0}
    excl = appeal_exclusion(row["state"])
    for kind, status, running in clock_statuses(row):
        due = judged_on(running) if running is not None else NO_DUE
        out[Fact(kind, day, part=status, excluded_by=excl, due=due, **where)] += 1
    out[Fact("appeals", day, excluded_by=excl, **where)] += 1
    out[Fact("handoffs", day, excluded_by=excl, **where)] += row["handoffs"]
    out[Fact("category", day, part=str(row["category_id"]), excluded_by=excl, **where)] += 1
    for window in repeats:
        out[Fact("repeat", day, part=str(window), excluded_by=excl, **where)] += 1
    for fu in follow_ups:
        if fu["answered_at"] is None:
            continue
        answered = local_date(fu["answered_at"])
        fu_excl = follow_up_exclusions(fu["review"], row["state"])
        if fu["resolved"] is not None:
            out[
                Fact(
                    "resolution", answered, part="1" if fu["resolved"] else "0", excluded_by=fu_excl, **where
                )
            ] += 1
        if fu["satisfaction"] is not None:
            out[
                Fact("satisfaction", answered, part=str(fu["satisfaction"]), excluded_by=fu_excl, **where)
            ] += 1
    return out


def rows_of(appeals: Q) -> list[dict[str, Any]]:
    return list(Appeal.objects.filter(appeals).order_by().values(*_FIELDS))


def facts_of(appeals: Q, *, windows: list[int] | None = None, ignoring: Sequence[int] = ()) -> Facts:
    """The facts of the appeals matching `appeals` (with `ignoring`, as if those appeals did not
    exist: what the roll-up held before they were registered)."""
    return _facts_of_rows(rows_of(appeals), windows=windows, ignoring=ignoring)


def _facts_of_rows(
    rows: list[dict[str, Any]],
    *,
    windows: list[int] | None = None,
    ignoring: Sequence[int] = (),
    follow_ups_read: bool = True,
) -> Facts:
    out: Facts = Counter()
    if not rows:
        return out
    ids = [r["pk"] for r in rows]
    repeats: dict[int, list[int]] = defaultdict(list)
    follow_ups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for window in windows if windows is not None else rollup.repeat_windows():
        flagged = Appeal.objects.filter(pk__in=ids).filter(repeat_q(window, ignoring=ignoring))
        for pk in flagged.values_list("pk", flat=True):
            repeats[pk].append(window)
    if follow_ups_read:
        answered = FollowUp.objects.filter(appeal_id__in=ids, answered_at__isnull=False)
        for fu in answered.order_by().values(*_FOLLOW_UP_FIELDS):
            follow_ups[fu["appeal_id"]].append(fu)
    for row in rows:
        out.update(_facts(row, repeats[row["pk"]], follow_ups[row["pk"]]))
    return out


def appeal_facts(appeal_id: int) -> Facts:
    return facts_of(Q(pk=appeal_id))


def later_repeats(appeal: Appeal, longest_days: int) -> Q:
    """The appeals whose repeat flag this one may decide: of its category, from its citizen or
    address, received after it within the longest repeat window."""
    same = Q(pk__in=[])
    if appeal.citizen_phone_hash:
        same |= Q(citizen_phone_hash=appeal.citizen_phone_hash)
    if appeal.address:
        same |= Q(address=appeal.address)
    return (
        Q(category_id=appeal.category_id, received_at__gt=appeal.received_at)
        & Q(received_at__lte=appeal.received_at + timedelta(days=longest_days))
        & same
    )


def appeals_registered(appeals: Sequence[Appeal]) -> None:
    """New appeals: their own facts (read from the instances just saved: a new appeal has no
    follow-up yet), and the repeat flags they give appeals received after them (one registered
    up to 30 days late comes before appeals already counted): those appeals' facts as they were
    without the new ones, and with them."""
    ids = [a.pk for a in appeals]
    if not ids:
        return
    windows = rollup.repeat_windows()
    rows = [{name: getattr(a, name) for name in _FIELDS} for a in appeals]
    rollup.apply(Counter(), _facts_of_rows(rows, windows=windows, follow_ups_read=False))
    later = Q(pk__in=[])
    for appeal in appeals:
        later |= later_repeats(appeal, max(windows))
    later &= ~Q(pk__in=ids)
    if Appeal.objects.filter(later).exists():
        rollup.apply(facts_of(later, windows=windows, ignoring=ids), facts_of(later, windows=windows))


@tally_source(key="appeals", kinds=KINDS)
def rebuild_appeals() -> Iterator[Facts]:
    windows = rollup.repeat_windows()
    last = 0
    while True:
        ids = list(Appeal.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:5000])
        if not ids:
            return
        yield facts_of(Q(pk__gte=ids[0], pk__lte=ids[-1]), windows=windows)
        last = ids[-1]
