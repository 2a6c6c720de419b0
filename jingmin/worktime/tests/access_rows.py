"""The permission matrix's rows for the working-day calendar (see `jingmin/core/tests/access.py`):
the system administrator's; the year shown is one the migrations published."""

from __future__ import annotations

from jingmin.core.tests.access import form
from jingmin.worktime.calendar import calendar_cache_clear

YEAR = 2026


def forget():
    calendar_cache_clear()


ROWS = [
    form(
        "worktime:calendar",
        frozenset({"sam"}),
        query=lambda w: {"year": YEAR},
        body=lambda w: {
            "form": "day",
            "day-day": f"{YEAR}-03-11",
            "day-status": "holiday",
            "day-name": "矩阵测试",
        },
        lands="worktime:calendar",
    ),
]
