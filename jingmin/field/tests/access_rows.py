"""The permission matrix's rows for the field app (see `jingmin/core/tests/access.py`).

Those who record visits (the officers and the chief) reach the app, its session, the copy of
their own district and the sync endpoint; everyone else is refused. The manifest and the service
worker hold nothing personal and answer anyone: the browser fetches the manifest without
credentials. Olga reaches the app too, but a household of district A1 is not in her scope.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from jingmin.core.tests.access import EVERYONE, Row, page, post
from jingmin.field.selectors import household_now

NEEDS = ("ledger",)

RECORD = frozenset({"oliver", "olga", "chen"})


def build(w):
    seen = household_now(actor=w.p.oliver, household_id=w.ledger.household.pk)
    return SimpleNamespace(version=seen["version"])


def _visit(w):
    return {
        "client_id": str(uuid.uuid4()),
        "record": "visit",
        "household": w.ledger.household.pk,
        "household_version": w.field.version,
        "kind": "household",
        "visited_at": "",
        "summary": "入户走访，家中一切正常。",
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
        "follow_ups-TOTAL_FORMS": 0,
        "follow_ups-INITIAL_FORMS": 0,
    }


ROWS = [
    # The shell page is the same for every officer; the others are sent to sign in or refused.
    page("field:app", RECORD),
    page("field:worker", EVERYONE, public=True),
    page("field:manifest", EVERYONE, public=True),
    page("field:session", RECORD),
    # Taking the copy writes its audit row (the audit tables are allowed for any GET).
    page("field:copy", RECORD),
    # Olga records visits too, but the household is in A1: outside her scope, 404.
    Row("field:sync", (post(frozenset({"oliver", "chen"}), body=_visit, ok=(201,)),)),
]
