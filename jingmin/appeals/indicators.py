"""What appeals contribute to the indicators: follow-ups as the first source of ratings.

Imported by the metrics app at start-up (see `jingmin/metrics/registry.py`); the indicators over
appeals themselves (response, resolution ...) live in `jingmin/metrics/appeals.py` beside the
roll-ups that serve them.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingmin.appeals.models import FollowUp, ReviewOutcome, State
from jingmin.metrics.registry import (
    LOCAL_TZ,
    Context,
    Rating,
    rating_source,
    register_exclusion,
    register_record_type,
)

register_exclusion("unreasonable", _("Unreasonable complaint after review"))
register_exclusion("merged", _("Merged into another appeal (duplicate)"))
register_exclusion("rejected", _("Rejected appeal"))

register_record_type("appeals.appeal", _("Appeal"), lambda pk: reverse("appeals:detail", args=[pk]))
register_record_type(
    "appeals.follow_up", _("Follow-up of an appeal"), lambda pk: reverse("appeals:detail", args=[pk])
)


def follow_up_exclusion(review: str, state: str) -> str:
    """The exclusion that applies to a follow-up, or "" (the rules of the settings decide whether it counts)."""
    if review == ReviewOutcome.UNREASONABLE:
        return "unreasonable"
    if state == State.MERGED:
        return "merged"
    return ""


def valid_follow_ups(ctx: Context):  # type: ignore[no-untyped-def]
    """The answered follow-ups of the scope and period (by the date answered), before exclusions."""
    qs = FollowUp.objects.filter(answered_at__range=ctx.period.bounds)
    qs = ctx.scope.filter(qs, "appeal__unit_path")
    if ctx.officer_id is not None:
        qs = qs.filter(appeal__handler_id=ctx.officer_id)
    return qs


@rating_source(key="follow_up", label=_("Appeal follow-ups"), record_type="appeals.follow_up")
def follow_up_ratings(ctx: Context) -> Iterator[Rating]:
    rows = valid_follow_ups(ctx).values_list(
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
    # A follow-up is reached through its appeal: the record id is the appeal's.
    for round_no, appeal_id, path, handler_id, answered, score, review, state, code in rows.iterator():
        if score is None:
            continue
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
