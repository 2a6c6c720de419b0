"""Writes of the metrics app: a new version of the indicator settings.

Versions are appended, never changed: a version dated back applies to the periods it names from
then on, and every figure says which version it was computed with.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service
from jingmin.metrics import registry, rollup
from jingmin.metrics.codes import AuditAction, ErrorCode
from jingmin.metrics.models import IndicatorSettings
from jingmin.metrics.tasks import metrics_rollup_rebuild
from jingmin.org.models import User
from jingmin.org.roles import Cap, can


@write_service
def settings_change(
    *,
    actor: User,
    effective_from: dt.date,
    k: Decimal,
    weights: dict[str, int],
    excludes: list[str],
    repeat_window_days: int = 30,
    satisfaction_sources: list[str] | None = None,
    note: str = "",
) -> IndicatorSettings:
    if not can(actor, Cap.METRICS_CONFIGURE):
        raise PermissionDenied
    if not Decimal(0) <= k <= Decimal(1):
        raise ServiceError(_("k must lie between 0 and 1."), code=ErrorCode.BAD_K, field="k")
    known = {i.key for i in registry.indicators()}
    if any(key not in known or key == "composite" for key in weights) or any(w < 0 for w in weights.values()):
        raise ServiceError(
            _("Weights are whole numbers given to known indicators."),
            code=ErrorCode.BAD_WEIGHTS,
            field="weights",
        )
    if sum(weights.values()) <= 0:
        raise ServiceError(
            _("At least one weight must be above 0."), code=ErrorCode.BAD_WEIGHTS, field="weights"
        )
    known_exclusions = {e.key for e in registry.exclusions()}
    if any(key not in known_exclusions for key in excludes):
        raise ServiceError(_("Unknown exclusion."), code=ErrorCode.UNKNOWN_EXCLUSION, field="excludes")
    sources = satisfaction_sources or ["follow_up"]
    if any(registry.get_rating_source(s) is None for s in sources):
        raise ServiceError(
            _("Unknown rating source."), code=ErrorCode.UNKNOWN_EXCLUSION, field="satisfaction_sources"
        )
    # The version number is taken under a lock of the table's newest row, so two changes saved
    # at once get two numbers.
    last = IndicatorSettings.objects.select_for_update().order_by("-version").first()
    version = (last.version if last else 0) + 1
    row = IndicatorSettings.objects.create(
        version=version,
        effective_from=effective_from,
        k=k,
        weights=weights,
        excludes=sorted(set(excludes)),
        satisfaction_sources=sources,
        repeat_window_days=repeat_window_days,
        note=note,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.SETTINGS_CHANGE,
        target=row,
        detail={
            "version": version,
            "effective_from": effective_from.isoformat(),
            "k": str(k),
            "weights": weights,
            "excludes": sorted(set(excludes)),
        },
    )
    if rollup.ready():
        # A new repeat window changes what the roll-ups hold: they are counted afresh (the worker,
        # once this version is committed); everything else is chosen when read.
        transaction.on_commit(metrics_rollup_rebuild.enqueue)
    return row


def latest_version() -> int:
    return IndicatorSettings.objects.aggregate(v=Max("version"))["v"] or 0
