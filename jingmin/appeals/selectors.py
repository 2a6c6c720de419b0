"""Reads of appeals, always scoped to the acting user.

A user sees an appeal when their unit's subtree holds the unit that has it now, the unit that
received it (first-contact responsibility), or one of its assisting units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from jingmin.appeals.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Action,
    Appeal,
    AppealAssist,
    AppealEvent,
    Attachment,
    Category,
    DeadlinePolicy,
    FollowUp,
    ReviewOutcome,
    State,
    Urgency,
)
from jingmin.appeals.transitions import (
    HOLDER_ACTIONS,
    TRANSITIONS,
    allowed_from,
    follow_up_refusal,
    handled_it,
)
from jingmin.core.crypto import lookup_hash
from jingmin.core.search import search_filter
from jingmin.org.models import User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope
from jingmin.org.selectors import require

SEARCH_FIELDS = ("title", "content", "address")
TRACKING_CODE = re.compile(f"[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}")
# What a clerk types for a caller's number: digits, perhaps spaced or dashed, perhaps +86.
PHONE_QUERY = re.compile(r"(?:\+?86)?[\d\- ]{7,20}")
# A person's name as typed: two to four Chinese characters (a compound surname and a long given
# name make five), or a Latin name.
NAME_QUERY = re.compile(r"[\u3400-\u9fff·]{2,5}|[A-Za-z][A-Za-z .'-]{1,40}")


def _within_scope(actor: User) -> QuerySet[Appeal]:
    """The one statement of who sees an appeal, without the capability check."""
    return _in_scope(Appeal.objects.all(), Scope.of(actor))


def _in_scope(qs: QuerySet[Appeal], scope: Scope) -> QuerySet[Appeal]:
    """The appeals of `qs` that `scope` holds: those its units hold, took in or assist with.
    (`scope_tokens` says the same in the search index, for the word search.)"""
    if scope.is_empty:
        return qs.none()
    if scope.is_everything:
        # The bureau sees everything: no filter keeps the planner on the ordering index.
        return qs
    return qs.filter(scope.q("unit_path") | scope.q("intake_unit_path") | _assisted_within(scope))


def appeal_scope(actor: User) -> QuerySet[Appeal]:
    require(actor, Cap.APPEAL_VIEW)
    return _within_scope(actor)


def appeal_in_scope(*, actor: User, pk: int) -> bool:
    """Whether the appeal lies in the actor's scope; the services ask this before any step, and
    leave what the actor may do to the transitions table."""
    return _within_scope(actor).filter(pk=pk).exists()


class _IdInArray(Func):
    """`<id> = ANY(ARRAY(<subquery>))`: PostgreSQL runs the subquery once, and the condition is
    an index condition on the primary key."""

    template = "%(expressions)s))"
    arg_joiner = " = ANY(ARRAY("
    output_field = BooleanField()


def _assisted_within(scope: Scope) -> Exists | _IdInArray:
    assisted = scope.filter(AppealAssist.objects.all(), "unit_path")
    if connection.vendor == "postgresql":
        # With this arm the scope's three conditions are one BitmapOr of index scans, which can
        # meet the search index in a BitmapAnd; a correlated EXISTS inside the OR is checked row
        # by row and keeps the planner off every index of the scope (bench/appeals_bench.py).
        return _IdInArray(F("pk"), Subquery(assisted.values("appeal_id")))
    return Exists(assisted.filter(appeal=OuterRef("pk")))


@dataclass(frozen=True)
class AppealFilters:
    state: str = ""
    unit: int | None = None
    category: str = ""
    type: str = ""
    urgency: str = ""
    overdue: bool | None = None
    supervised: bool | None = None
    q: str = ""
    open_only: bool = False
    # Received on these local days, both included.
    received_from: date | None = None
    received_to: date | None = None


def local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def received_between(qs: QuerySet[Appeal], start: date | None, end: date | None) -> QuerySet[Appeal]:
    """Appeals received from the start of `start` to the end of `end`, local days."""
    if start is not None:
        qs = qs.filter(received_at__gte=local_day_start(start))
    if end is not None:
        qs = qs.filter(received_at__lt=local_day_start(end + timedelta(days=1)))
    return qs


def _text_query(qs: QuerySet[Appeal], q: str, scope: Scope) -> QuerySet[Appeal]:
    """A tracking code, a caller's phone, a caller's name, or words of the appeal, among the
    appeals of `qs` that `scope` holds (`qs` itself is not limited to the scope yet).

    Phones and names are stored encrypted: each is found by its keyed hash, the whole value
    exactly (one indexed lookup), never by decrypting rows. A name-shaped query is also a
    text search (张伟 may be in a title), so either kind of hit is shown.
    """
    code = q.strip().upper()
    if TRACKING_CODE.fullmatch(code):
        # A clerk reading out the citizen's code finds the appeal, and what it was merged into.
        return _in_scope(qs, scope).filter(Q(tracking_code=code) | Q(merged_appeals__tracking_code=code))
    digits = re.sub(r"[\s-]", "", q)
    if PHONE_QUERY.fullmatch(q.strip()) and digits.lstrip("+").isdigit():
        # Registration keeps the number as given (spaces and dashes removed), with or without
        # the country code, so each spelling of the same number is looked up.
        local = re.sub(r"^(?:\+86|0086|86)(?=\d{11}$)", "", digits)
        spellings = {digits, local, f"+86{local}"}
        return _in_scope(qs, scope).filter(citizen_phone_hash__in=[lookup_hash(p) for p in spellings])
    found = _words_in_scope(qs, q, scope)
    if NAME_QUERY.fullmatch(q.strip()):
        by_name = _in_scope(qs, scope).filter(citizen_name_hash=lookup_hash(q))
        if by_name.exists():
            return qs.filter(Q(pk__in=by_name.values("pk")) | Q(pk__in=found.values("pk")))
    return found


def _words_in_scope(qs: QuerySet[Appeal], q: str, scope: Scope) -> QuerySet[Appeal]:
    """The appeals of `qs` in `scope` whose text holds every word of `q`.

    On PostgreSQL the scope goes into the index lookup itself: each appeal's `search_vector`
    holds the tokens of the units whose scope holds it (`scope_tokens`), so "these words, in
    this station" is one GIN lookup, where the scope's own indexes would first list the whole
    history of the station and the words' postings of the whole bureau, then intersect them
    (bench/appeal_search_bench.py). SQLite filters on the scope as every other list does."""
    if scope.is_empty:
        return qs.none()
    if connection.vendor == "postgresql":
        return search_filter(qs, q, fields=SEARCH_FIELDS, within=scope.search_tokens())
    return search_filter(_in_scope(qs, scope), q, fields=SEARCH_FIELDS)


def appeal_list(*, actor: User, filters: AppealFilters | None = None) -> QuerySet[Appeal]:
    f = filters or AppealFilters()
    require(actor, Cap.APPEAL_VIEW)
    # The scope is applied last: a word search puts it into its index lookup (`_text_query`).
    qs = Appeal.objects.select_related("category", "unit")
    if f.state:
        qs = qs.filter(state=f.state)
    if f.open_only:
        qs = qs.filter(is_open=True)
    if f.unit is not None:
        from jingmin.org.models import Unit

        unit = Unit.objects.filter(pk=f.unit).first()
        qs = Scope.under(unit).filter(qs, "unit_path")
    if f.category:
        qs = qs.filter(Q(category__code=f.category) | Q(category__parent__code=f.category))
    if f.type:
        qs = qs.filter(type=f.type)
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.overdue is not None:
        now = timezone.now()
        overdue = Q(is_open=True, due_at__lt=now)
        qs = qs.filter(overdue) if f.overdue else qs.exclude(overdue)
    if f.supervised is not None:
        qs = qs.filter(supervised=f.supervised)
    qs = received_between(qs, f.received_from, f.received_to)
    scope = Scope.of(actor)
    if f.q:
        return _text_query(qs, f.q, scope)
    return _in_scope(qs, scope)


def appeal_get(*, actor: User, pk: int) -> Appeal:
    appeal = (
        appeal_scope(actor)
        .select_related(
            "category",
            "category__parent",
            "unit",
            "intake_unit",
            "handler",
            "district",
            "merged_into",
        )
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404
    return appeal


def my_work(*, actor: User) -> QuerySet[Appeal]:
    """What waits for this officer: what they signed for, and what their unit has not yet signed
    for, nearest deadline first."""
    qs = appeal_scope(actor).filter(is_open=True)
    return (
        qs.filter(Q(handler=actor) | Q(unit=actor.unit, state=State.DISPATCHED))
        .select_related("category", "unit")
        .order_by("due_at", "id")
    )


def unit_queue(*, actor: User, filters: AppealFilters | None = None) -> QuerySet[Appeal]:
    return appeal_list(actor=actor, filters=filters).order_by("-received_at", "-id")


DESK_LIMIT = 50


def desk_waiting(*, actor: User) -> QuerySet[Appeal]:
    """What waits at the actor's own desk to be accepted or dispatched, the most urgent and the
    oldest first: the queue shows it above everything else (the command centre's whole work is
    what arrived without a station)."""
    if not can(actor, Cap.APPEAL_INTAKE):
        return Appeal.objects.none()
    # A suggested urgency counts here before the clerk confirms it: that is how it gets seen.
    urgency_rank = Case(
        When(Q(urgency=Urgency.EMERGENCY) | Q(urgency_suggested=Urgency.EMERGENCY), then=Value(0)),
        When(Q(urgency=Urgency.URGENT) | Q(urgency_suggested=Urgency.URGENT), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        appeal_scope(actor)
        .filter(unit=actor.unit, state__in=[State.SUBMITTED, State.ACCEPTED], is_open=True)
        .select_related("category", "unit")
        .order_by(urgency_rank, "received_at", "id")
    )


def supervision_list(
    *,
    actor: User,
    within: timedelta = timedelta(hours=24),
    received_from: date | None = None,
    received_to: date | None = None,
) -> QuerySet[Appeal]:
    """Open appeals that are overdue or will be within `within`, most overdue first; optionally
    only those received between two local days."""
    require(actor, Cap.APPEAL_SUPERVISE)
    horizon = timezone.now() + within
    # due_at alone: only open appeals have one (constraint appeal_due_only_when_open), and with
    # is_open beside it the planner expects a handful of rows and sorts thousands (benchmarks).
    return (
        received_between(appeal_scope(actor), received_from, received_to)
        .filter(due_at__lt=horizon)
        .select_related("category", "unit", "handler")
        .order_by("due_at", "id")
    )


def review_list(*, actor: User) -> QuerySet[FollowUp]:
    require(actor, Cap.APPEAL_REVIEW)
    return (
        FollowUp.objects.filter(review=ReviewOutcome.PENDING, appeal__in=appeal_scope(actor))
        .select_related("appeal", "appeal__unit")
        .order_by("answered_at")
    )


def follow_up_owed_appeals(*, actor: User) -> QuerySet[Appeal]:
    """The appeals of `follow_up_list`, for exporting them as appeals."""
    owed = follow_up_list(actor=actor).values("appeal_id")
    return (
        appeal_scope(actor)
        .filter(pk__in=owed)
        .select_related("category", "unit")
        .order_by("received_at", "id")
    )


def noted_events() -> QuerySet[AppealEvent]:
    """Steps with a note, in order; for an export of appeals already scoped by its selector."""
    return AppealEvent.objects.exclude(note="").order_by("at", "id")


def follow_up_list(*, actor: User) -> QuerySet[FollowUp]:
    """Follow-ups still owed, oldest due first."""
    require(actor, Cap.APPEAL_FOLLOW_UP)
    from jingmin.org.models import UnitKind

    owed = FollowUp.objects.filter(answered_at__isnull=True, appeal__in=appeal_scope(actor))
    # Not those this person (or their police district) handled: someone else asks the citizen.
    owed = owed.exclude(appeal__handler=actor)
    if actor.unit.kind == UnitKind.DISTRICT:
        owed = owed.exclude(appeal__unit_id=actor.unit_id)
    return owed.select_related("appeal", "appeal__unit").order_by("due_at")


def appeal_events(*, actor: User, appeal: Appeal) -> QuerySet[AppealEvent]:
    # `appeal` comes from appeal_get, which already checked the scope.
    return AppealEvent.objects.filter(appeal=appeal).select_related("actor_unit", "unit").order_by("seq")


def same_caller_open(*, actor: User, phone_hash: str, exclude: int | None = None) -> QuerySet[Appeal]:
    if not phone_hash:
        return Appeal.objects.none()
    qs = appeal_scope(actor).filter(citizen_phone_hash=phone_hash, is_open=True)
    return qs.exclude(pk=exclude) if exclude else qs


def category_list(*, leaves_only: bool = False) -> QuerySet[Category]:
    qs = Category.objects.filter(is_active=True).select_related("parent")
    return qs.filter(parent__isnull=False) if leaves_only else qs


def intake_categories() -> QuerySet[Category]:
    """The categories offered at intake: active ones whose heading is active too."""
    return Category.objects.filter(Q(parent__isnull=True) | Q(parent__is_active=True), is_active=True)


def category_headings() -> QuerySet[Category]:
    """The active top-level categories (the headings a new category goes under)."""
    return Category.objects.filter(parent__isnull=True, is_active=True)


def category_settings() -> list[Category]:
    """Every category, retired ones too, in the settings page's order."""
    return list(Category.objects.order_by("position", "code"))


def deadline_policies() -> QuerySet[DeadlinePolicy]:
    return DeadlinePolicy.objects.all()


def appeal_acted_on(*, pk: int) -> Appeal:
    """The appeal a person has just acted on, as it now is: after a transfer or a return it may
    have left their scope, and the answer to their step still shows it."""
    return Appeal.objects.select_related("category", "unit", "handler").prefetch_related("assists").get(pk=pk)


def attachment_get(*, actor: User, pk: int) -> Attachment:
    """A file of an appeal the actor may see (404 otherwise)."""
    row = Attachment.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    appeal_get(actor=actor, pk=row.appeal_id)
    return row


def time_left(appeal: Appeal, now: datetime | None = None) -> timedelta | None:
    if appeal.due_at is None or not appeal.is_open:
        return None
    return appeal.due_at - (now or timezone.now())


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | str
    url: str
    tone: str = ""


SOON = timedelta(hours=24)


def supervision_counts(*, actor: User, now: datetime | None = None) -> dict[str, int]:
    """New today, overdue and due within 24 hours, in the person's scope.

    Each count runs on the partial index of open appeals (or the received-at index), so it stays
    cheap at a million rows.
    """
    now = now or timezone.now()
    scope = appeal_scope(actor)
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "new_today": scope.filter(received_at__gte=start_of_day).count(),
        "overdue": scope.filter(is_open=True, due_at__lt=now).count(),
        "due_soon": scope.filter(is_open=True, due_at__gte=now, due_at__lt=now + SOON).count(),
    }


def home_figures(*, actor: User) -> list[Figure]:
    """The cards of the home page: what waits for this person today."""
    from django.utils.translation import gettext as _

    # The month's satisfaction rate is the indicators' (jingmin.metrics), shown by the home page.
    figures: list[Figure] = []
    if not actor.is_active:
        return figures
    now = timezone.now()
    intake, supervise = can(actor, Cap.APPEAL_INTAKE), can(actor, Cap.APPEAL_SUPERVISE)
    # Counted only for those who see the cards that show them (not for an officer's home).
    counts = supervision_counts(actor=actor, now=now) if intake or supervise else {}
    if can(actor, Cap.APPEAL_HANDLE):
        work = my_work(actor=actor)
        figures.append(Figure(_("My work"), work.count(), "appeals:mine"))
        figures.append(Figure(_("Mine overdue"), work.filter(due_at__lt=now).count(), "appeals:mine", "bad"))
    if counts:
        figures.append(Figure(_("New today"), counts["new_today"], "appeals:queue"))
        if intake:
            waiting = (
                appeal_scope(actor).filter(state__in=[State.SUBMITTED, State.ACCEPTED], is_open=True).count()
            )
            figures.append(Figure(_("Waiting to be dispatched"), waiting, "appeals:queue"))
    if supervise:
        figures.append(Figure(_("Overdue"), counts["overdue"], "appeals:supervision", "bad"))
        figures.append(Figure(_("Due within 24 hours"), counts["due_soon"], "appeals:supervision", "warn"))
    if can(actor, Cap.APPEAL_REVIEW):
        figures.append(
            Figure(_("Answers awaiting review"), review_list(actor=actor).count(), "appeals:reviews")
        )
    if can(actor, Cap.APPEAL_FOLLOW_UP):
        owed = follow_up_list(actor=actor).filter(due_at__lt=now + timedelta(days=1)).count()
        figures.append(Figure(_("Follow-ups due"), owed, "appeals:follow_ups"))
    return figures


def _latest_answer(appeal: Appeal) -> FollowUp | None:
    return FollowUp.objects.filter(appeal=appeal, answered_at__isnull=False).order_by("-round").first()


def concluded_by(appeal: Appeal) -> tuple[int | None, int | None]:
    """Who concluded the appeal last, and their police district (None when they sit elsewhere)."""
    from jingmin.org.models import UnitKind

    event = (
        AppealEvent.objects.filter(appeal=appeal, action=Action.CONCLUDE)
        .select_related("actor_unit")
        .order_by("-seq")
        .first()
    )
    if event is None:
        return None, None
    unit = event.actor_unit
    return event.actor_id, unit.pk if unit is not None and unit.kind == UnitKind.DISTRICT else None


def follow_up_barred(*, actor: User, appeal: Appeal) -> bool:
    """Whether `actor` handled the appeal and so may not record its follow-up (transitions.handled_it)."""
    concluder_id, district_id = concluded_by(appeal)
    return handled_it(
        actor_id=actor.pk, actor_unit_id=actor.unit_id, concluder_id=concluder_id, district_id=district_id
    )


def require_other_hand(*, actor: User, action: str, appeal: Appeal) -> None:
    """Refuse (403) a follow-up by the hand that handled the appeal, before any input is read: the
    pages and the API ask this first, the service asks it again under its lock."""
    from django.core.exceptions import PermissionDenied

    if action == Action.FOLLOW_UP and follow_up_barred(actor=actor, appeal=appeal):
        raise PermissionDenied


def allowed_actions(*, actor: User, appeal: Appeal) -> list[str]:
    """The steps this person may take on this appeal now: the transitions table's, filtered by
    capability, by the holder rule and by the follow-up guards, so the page offers no button the
    service would refuse."""
    holder = Scope.of(actor).contains(appeal.unit_path)
    # Only a followed-up appeal needs its latest answer: lists of open appeals cost no query here.
    latest = _latest_answer(appeal) if appeal.state == State.FOLLOWED_UP else None
    out: list[str] = []
    for action in allowed_from(appeal.state):
        if not any(can(actor, cap) for cap in TRANSITIONS[action].caps):
            continue
        # The service's own holder rule (steps only the holding unit or one above it takes).
        if action in HOLDER_ACTIONS and not holder:
            continue
        if action == Action.URGENCY and not appeal.urgency_suggested:
            continue
        if action == Action.FOLLOW_UP and follow_up_barred(actor=actor, appeal=appeal):
            continue
        owed = action == Action.FOLLOW_UP and appeal.follow_ups.filter(answered_at__isnull=True).exists()
        if follow_up_refusal(action, latest=latest, owed=owed) is not None:
            continue
        out.append(action)
    return out
