"""The demo loads the same bureau for the same seed, also across changes of the code that makes it.

The fingerprint (rows per table and a hash over the generated fields, `jingmin.core.fingerprint`)
of the organisation and a year of appeals for seed 1 at a fixed instant is the one recorded here,
computed before the appeal life cycle's rules were stated once (`jingmin/appeals/transitions.py`)
for the services, the page and the demo alike. The whole `seed_demo --seed 1` (ledger, visits and
routing too) takes minutes, so the suite loads the part those rules drive.
"""

from datetime import UTC, datetime

import pytest
import time_machine

from jingmin.appeals.demo import seed_appeals
from jingmin.core.fingerprint import demo_fingerprint
from jingmin.org.demo import seed_org

AT = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)

RECORDED = "abac2ba9aa71d6c7dbe5fe3e8ca65e49dfd300488dd98f861be1f9873e0a6082"


@pytest.mark.django_db
def test_seed_1_loads_the_recorded_bureau(_fast_hasher):
    with time_machine.travel(AT, tick=False):
        org = seed_org(seed=1, size="small")
        seed_appeals(seed=1, org=org, count=400)
    fingerprint = demo_fingerprint()
    assert fingerprint["counts"]["appeals.Appeal"] == 400
    assert fingerprint["sha256"] == RECORDED, fingerprint
