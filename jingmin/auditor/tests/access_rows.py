"""The permission matrix's rows for the audit log (see `jingmin/core/tests/access.py`): the audit
administrator's alone; an export is itself recorded."""

from __future__ import annotations

from jingmin.core.tests.access import page

AUDITOR = frozenset({"audrey"})

ROWS = [
    page("audit:log", AUDITOR),
    page("audit:export", AUDITOR),
]
