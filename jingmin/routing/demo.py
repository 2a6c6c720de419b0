"""Routing in the demo: a first model trained on the demo year's concluded appeals, and the
suggestions the intake form would have shown for the appeals registered at a desk in the last
months, so that the routing page has figures to show from the start."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jingmin.appeals.models import Action, Appeal, AppealEvent, Category, Channel
from jingmin.core.errors import ServiceError
from jingmin.routing import services, training
from jingmin.routing.features import appeal_text, with_meta
from jingmin.routing.models import RoutingModel, Suggestion
from jingmin.routing.suggest import resolve_unit

# Fewer folds than a real retraining: the demo loads in seconds.
DEMO_FOLDS = 3
SUGGESTION_DAYS = 120
_DESK = (Channel.WINDOW, Channel.PHONE, Channel.HOTLINE_110, Channel.HOTLINE_12345, Channel.VISIT)


def seed_routing() -> RoutingModel | None:
    """Train and activate a first model; None when the demo has too few concluded appeals."""
    try:
        row = services.routing_model_train(
            actor=None, training=training.from_appeals(), folds=DEMO_FOLDS, trained_by="seed_demo"
        )
    except ServiceError:
        return None
    _seed_suggestions(row)
    return row


def _seed_suggestions(row: RoutingModel) -> int:
    from jingmin.routing import model_store

    router = model_store.load(row.payload, row.payload_mac)
    since = timezone.now() - timedelta(days=SUGGESTION_DAYS)
    appeals = list(
        Appeal.objects.filter(received_at__gte=since, channel__in=_DESK, created_by__isnull=False)
        .select_related("district", "intake_unit")
        .order_by("received_at")
    )
    first_dispatch: dict[int, int] = {}
    for appeal_id, unit_id in (
        AppealEvent.objects.filter(appeal__in=appeals, action=Action.DISPATCH)
        .order_by("appeal_id", "seq")
        .values_list("appeal_id", "unit_id")
    ):
        first_dispatch.setdefault(appeal_id, unit_id)
    categories = dict(Category.objects.values_list("code", "pk"))
    floor = settings.ROUTING_MIN_CONFIDENCE
    if not appeals:
        return 0
    texts = [appeal_text(a.title, a.content) for a in appeals]
    wheres = [
        with_meta(text, address=a.address, has_district=a.district_id is not None, intake=a.intake_unit.code)
        for text, a in zip(texts, appeals, strict=True)
    ]
    category_guess, unit_guess = router.probabilities(texts, wheres)
    if unit_guess is None:
        unit_guess = [("", 0.0)] * len(appeals)
    rows = []
    for appeal, (code, p), (unit_code, q) in zip(appeals, category_guess, unit_guess, strict=True):
        category = categories.get(code) if p >= floor else None
        unit_row = (
            resolve_unit(unit_code, district=appeal.district, intake=appeal.intake_unit)
            if q >= floor
            else None
        )
        unit = unit_row.pk if unit_row is not None else None
        if category is None and unit is None:
            continue
        dispatched = first_dispatch.get(appeal.pk)
        rows.append(
            Suggestion(
                appeal=appeal,
                model=row,
                at=appeal.received_at,
                actor_id=appeal.created_by_id,
                unit_path=appeal.intake_unit_path,
                category_id=category,
                category_confidence=p if category else None,
                category_taken=appeal.category_id == category if category else None,
                unit_id=unit,
                unit_confidence=q if unit else None,
                unit_taken=dispatched == unit if unit and dispatched else None,
                chosen_category_id=appeal.category_id,
                chosen_unit_id=dispatched,
            )
        )
    Suggestion.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
