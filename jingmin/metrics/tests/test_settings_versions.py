"""Settings are versions kept by date: the leader saves one (audited), a wrong value changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.metrics.codes import AuditAction
from jingmin.metrics.models import IndicatorSettings
from jingmin.metrics.services import settings_change
from jingmin.metrics.versions import settings_for


def change(actor, **overrides):
    fields: dict[str, Any] = {
        "effective_from": dt.date(2026, 1, 1),
        "k": Decimal("0.6"),
        "weights": {"response": 30, "resolution": 35, "satisfaction": 35},
        "excludes": ["merged", "rejected"],
        "note": "按市局考核办法调整",
    }
    fields.update(overrides)
    return settings_change(actor=actor, **fields)


def test_the_leader_saves_numbered_versions_and_each_is_audited(persona):
    first = change(persona.li)
    second = change(persona.li, effective_from=dt.date(2026, 6, 1), k=Decimal("0.8"))
    assert (first.version, second.version) == (1, 2)
    assert AuditEntry.objects.filter(action=AuditAction.SETTINGS_CHANGE).count() == 2
    assert settings_for(dt.date(2026, 5, 31)).k == Decimal("0.6")
    assert settings_for(dt.date(2026, 6, 30)).version == 2
    assert settings_for(dt.date(2025, 12, 31)).version == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"k": Decimal("1.5")}, "k"),
        ({"weights": {"composite": 100}}, "weights"),
        ({"weights": {"response": 0}}, "weights"),
        ({"excludes": ["whatever"]}, "excludes"),
    ],
)
def test_a_wrong_value_is_refused_and_changes_nothing(persona, overrides, field):
    with pytest.raises(ServiceError) as refused:
        change(persona.li, **overrides)
    assert refused.value.field == field
    assert not IndicatorSettings.objects.exists()


def test_only_the_leader_changes_settings(persona):
    with pytest.raises(PermissionDenied):
        change(persona.chen)
    assert not IndicatorSettings.objects.exists()
