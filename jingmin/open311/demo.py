"""The demo's Open311 partner: the city hotline, with a fixed key documented in the README.

A fixed key is acceptable only because the demo is loaded into an empty, local database; every
real key is random and shown once (`manage.py open311_key create`, or the partners page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingmin.open311.models import Partner
from jingmin.open311.services import partner_create

if TYPE_CHECKING:
    from jingmin.org.demo import DemoOrg

DEMO_PARTNER = "12345市民服务热线"
DEMO_KEY = "demo-12345-open311-key"


def seed_open311(*, org: DemoOrg) -> Partner:
    """The hotline posts to the first station, where the demo clerk works, so that what it
    posts shows in the clerk's queue."""
    partner, _key = partner_create(
        actor=None,
        name=DEMO_PARTNER,
        intake_unit=org.stations[0],
        contact="12345 热线平台运维组",
        key=DEMO_KEY,
        operator="seed_demo",
    )
    return partner
