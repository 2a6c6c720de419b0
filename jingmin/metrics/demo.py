"""The demo's indicator settings: a history of two versions, so that the settings page, a past
report naming its version and a change dated back can be shown. The appeals, follow-ups, visits
and ledger of the demo give the figures themselves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jingmin.metrics.models import IndicatorSettings
from jingmin.metrics.periods import today
from jingmin.org.demo import DemoOrg


def seed_metrics(*, org: DemoOrg) -> int:
    """Two settings versions: the published 30/35/35 from a year ago, and k raised this quarter.
    Written as rows (the demo loads in one transaction; the service takes a durable one)."""
    leader = org.accounts.get("leader")
    now = today()
    first = IndicatorSettings.objects.create(
        version=1,
        effective_from=now.replace(year=now.year - 1, month=1, day=1),
        k=Decimal("0.5"),
        note="按市局绩效考核办法：响应率30%、解决率35%、满意率35%，基本满意按0.5计",
        created_by=leader,
    )
    quarter = dt.date(now.year, 3 * ((now.month - 1) // 3) + 1, 1)
    IndicatorSettings.objects.create(
        version=2,
        effective_from=quarter,
        k=Decimal("0.6"),
        weights=first.weights,
        note="本季度起基本满意按0.6计",
        created_by=leader,
    )
    return 2
