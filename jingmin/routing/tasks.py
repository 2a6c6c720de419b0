"""Retraining, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def routing_retrain(*, requested_by: int | None, requested_at: str) -> int | None:
    """Train a new version on the concluded appeals and make it active; returns its version.

    Safe to run twice: a request that a newer version already answers trains nothing (two clicks
    on the button, or a retry after the first run stored its version).
    """
    from jingmin.core.errors import ServiceError
    from jingmin.org.models import User
    from jingmin.routing import services, training
    from jingmin.routing.models import RoutingModel

    if RoutingModel.objects.filter(created_at__gte=datetime.fromisoformat(requested_at)).exists():
        return None
    user = User.objects.filter(pk=requested_by).first() if requested_by else None
    try:
        row = services.routing_model_train(
            actor=None,
            training=training.from_appeals(),
            folds=settings.ROUTING_EVALUATION_FOLDS,
            trained_by=user.username if user else "routing_retrain",
            on_behalf_of=user,
        )
    except ServiceError as exc:
        # Too few concluded appeals: nothing to retry until there are more.
        logger.warning("routing retraining skipped: %s", exc.message)
        return None
    logger.info("routing model v%s trained on %s examples", row.version, row.samples)
    return row.version
