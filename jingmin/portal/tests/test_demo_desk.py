"""The demo's command-centre clerk signs in to portal appeals waiting on the desk."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jingmin.appeals.selectors import desk_waiting
from jingmin.org.models import User
from jingmin.portal.demo import DESK_ARRIVALS


@pytest.mark.django_db
def test_the_demo_centre_clerk_has_the_mornings_portal_appeals_waiting(_fast_hasher):
    call_command("seed_demo", "--appeals", "0")
    centre = User.objects.get(username="centre")
    assert centre.unit.is_intake_desk
    waiting = list(desk_waiting(actor=centre))
    assert len(waiting) == len(DESK_ARRIVALS)
    assert waiting[0].urgency == "urgent"
