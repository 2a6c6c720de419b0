"""The demo's hotline partner posts with the documented key to the demo clerk's station."""

from __future__ import annotations

from types import SimpleNamespace

from jingmin.appeals.models import Appeal
from jingmin.open311.demo import DEMO_KEY, DEMO_PARTNER, seed_open311
from jingmin.open311.tests.conftest import noise_post, post_form


def test_the_demo_partner_posts_with_the_documented_key(persona, public):
    partner = seed_open311(org=SimpleNamespace(stations=[persona.station_a]))  # type: ignore[arg-type]
    assert partner.name == DEMO_PARTNER and partner.intake_unit == persona.station_a
    assert post_form(public, "json", noise_post(DEMO_KEY)).status_code == 200
    assert Appeal.objects.get().open311_request.partner == partner
