"""Every change routing makes: a new model version, the active version, a retraining request,
and the record of what the intake form suggested.

Training takes seconds to a minute, so it runs before the transaction that stores its result;
the row, the switch of the active version and the audit row are then written together.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service, write_steps
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can
from jingmin.routing import features, learning, model_store
from jingmin.routing.codes import AuditAction, ErrorCode
from jingmin.routing.learning import MIN_PER_LABEL, Evaluation
from jingmin.routing.models import RoutingModel, Suggestion
from jingmin.routing.training import TrainingSet

if TYPE_CHECKING:
    from jingmin.appeals.models import Appeal


def _require(actor: User | None, cap: Cap) -> None:
    if actor is not None and not can(actor, cap):
        raise PermissionDenied


def _library_versions() -> dict[str, str]:
    import jieba  # type: ignore[import-untyped]
    import sklearn  # type: ignore[import-untyped]

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "jieba": jieba.__version__,
    }


@dataclass(frozen=True)
class Trained:
    router: learning.Router
    category: Evaluation
    unit: Evaluation | None
    seconds: float


def fit(training: TrainingSet, *, folds: int) -> Trained:
    """Cross-validate, then train on everything: the figures are those of the same method, each
    example predicted by a model trained without it."""
    if not training.category.trainable:
        raise ServiceError(
            _(
                "Too few examples to learn from: a model needs at least two categories with %(n)d examples each."
            )
            % {"n": MIN_PER_LABEL},
            code=ErrorCode.TOO_FEW_EXAMPLES,
        )
    started = time.monotonic()
    # Each text is segmented once for all the folds and the final fit.
    with features.segmentation_memo():
        category_eval = learning.evaluate(training.category, folds=folds)
        unit = training.unit if training.unit is not None and training.unit.trainable else None
        unit_eval = learning.evaluate(unit, folds=folds, with_meta=True) if unit is not None else None
        router = learning.train(training.category, unit)
    return Trained(
        router=router,
        category=category_eval,
        unit=unit_eval,
        seconds=time.monotonic() - started,
    )


def _activate(row: RoutingModel, actor: User | None) -> None:
    # Row locks in one order (the active row, then this one), so two activations queue up.
    RoutingModel.objects.select_for_update().filter(is_active=True).exclude(pk=row.pk).update(is_active=False)
    row.is_active = True
    row.activated_at = timezone.now()
    row.activated_by = actor
    row.save(update_fields=["is_active", "activated_at", "activated_by"])


@write_service
def routing_model_store(
    *,
    actor: User | None,
    training: TrainingSet,
    trained: Trained,
    trained_by: str = "",
    activate: bool = True,
    on_behalf_of: User | None = None,
) -> RoutingModel:
    """Store a trained version (the next number) and, unless asked not to, make it the active one.

    `on_behalf_of` is the person who asked for a retraining the worker runs (`actor` is then None:
    their capability was checked when they asked)."""
    _require(actor, Cap.ROUTING_MANAGE)
    payload, mac = model_store.dump(trained.router)
    unit = trained.unit
    for _attempt in range(3):
        try:
            with transaction.atomic():
                version = (RoutingModel.objects.aggregate(m=Max("version"))["m"] or 0) + 1
                row = RoutingModel.objects.create(
                    version=version,
                    created_by=actor or on_behalf_of,
                    trained_by=(trained_by or (actor.username if actor else "system"))[:150],
                    source=training.source,
                    description=training.description[:300],
                    samples=trained.category.samples,
                    category_labels=len(trained.category.per_label),
                    category_macro_f1=trained.category.macro_f1,
                    unit_samples=unit.samples if unit else 0,
                    unit_labels=len(unit.per_label) if unit else 0,
                    unit_macro_f1=unit.macro_f1 if unit else None,
                    evaluation={
                        "category": trained.category.as_dict(),
                        "unit": unit.as_dict() if unit else None,
                    },
                    training_seconds=trained.seconds,
                    library_versions=_library_versions(),
                    payload=payload,
                    payload_mac=mac,
                )
                if activate:
                    _activate(row, actor)
                audit_record(
                    actor=actor,
                    actor_username=row.trained_by,
                    action=AuditAction.MODEL_TRAIN,
                    target=row,
                    detail={
                        "source": row.source,
                        "samples": row.samples,
                        "category_macro_f1": round(row.category_macro_f1, 4),
                        "unit_macro_f1": round(row.unit_macro_f1, 4)
                        if row.unit_macro_f1 is not None
                        else None,
                        "active": activate,
                    },
                )
                return row
        except IntegrityError:
            # Another training stored the same version number first: take the next one.
            continue
    raise ServiceError(_("Another model is being stored right now; try again."), code=ErrorCode.BUSY)


@write_steps
def routing_model_train(
    *,
    actor: User | None,
    training: TrainingSet,
    folds: int,
    trained_by: str = "",
    activate: bool = True,
    on_behalf_of: User | None = None,
) -> RoutingModel:
    _require(actor, Cap.ROUTING_MANAGE)
    trained = fit(training, folds=folds)
    return routing_model_store(
        actor=actor,
        training=training,
        trained=trained,
        trained_by=trained_by,
        activate=activate,
        on_behalf_of=on_behalf_of,
    )


@write_service
def routing_model_activate(*, actor: User, version: int) -> RoutingModel:
    """Make a stored version the one the intake form uses (going back to an earlier one too)."""
    _require(actor, Cap.ROUTING_MANAGE)
    row = RoutingModel.objects.select_for_update().filter(version=version).first()
    if row is None:
        raise Http404
    if row.is_active:
        return row
    try:
        model_store.load(row.payload, row.payload_mac)
    except model_store.ModelUnavailable as exc:
        raise ServiceError(
            _("Version %(version)d cannot be loaded by this installation, so it cannot be made active.")
            % {"version": version},
            code=ErrorCode.UNLOADABLE,
        ) from exc
    _activate(row, actor)
    audit_record(actor=actor, action=AuditAction.MODEL_ACTIVATE, target=row, detail={"version": version})
    return row


@write_service
def routing_retrain_request(*, actor: User) -> None:
    """Queue a retraining on the concluded appeals. A second request before the first has run
    trains nothing more: the task skips when a version newer than its request exists."""
    _require(actor, Cap.ROUTING_MANAGE)
    from jingmin.routing.tasks import routing_retrain

    requested_at = timezone.now()
    audit_record(actor=actor, action=AuditAction.RETRAIN_REQUEST)
    transaction.on_commit(
        partial(routing_retrain.enqueue, requested_by=actor.pk, requested_at=requested_at.isoformat())
    )


# ---------------------------------------------------------------------------------------------
# What the intake form suggested


@dataclass(frozen=True)
class Shown:
    """What the intake form reports it showed: the model version and the suggested ids."""

    model: int
    category: int | None = None
    category_confidence: float | None = None
    unit: int | None = None
    unit_confidence: float | None = None


@write_service
def suggestion_record(
    *, actor: User, appeal: Appeal, shown: Shown | None, dispatched_to: Unit | None
) -> Suggestion | None:
    """Record what was suggested for a newly registered appeal and whether the clerk took it.

    Called inside the registration's transaction. What the form reports is checked against the
    database (a suggestion naming no model, category or unit is not one that was shown); nothing
    is recorded when nothing was shown. It changes no appeal, so it writes no audit row of its own:
    the registration's row covers the transaction.
    """
    from jingmin.appeals.models import Category

    if shown is None:
        return None
    model = RoutingModel.objects.filter(pk=shown.model).only("pk").first()
    if model is None:
        return None
    category = Category.objects.filter(pk=shown.category).first() if shown.category else None
    unit = Unit.objects.filter(pk=shown.unit).first() if shown.unit else None
    if category is None and unit is None:
        return None
    row, _created = Suggestion.objects.get_or_create(
        appeal=appeal,
        defaults={
            "model": model,
            "actor": actor,
            "unit_path": appeal.intake_unit_path,
            "category": category,
            "category_confidence": shown.category_confidence if category else None,
            "category_taken": appeal.category_id == category.pk if category else None,
            "unit": unit,
            "unit_confidence": shown.unit_confidence if unit else None,
            "unit_taken": dispatched_to.pk == unit.pk if unit and dispatched_to else None,
            "chosen_category_id": appeal.category_id,
            "chosen_unit": dispatched_to,
        },
    )
    return row
