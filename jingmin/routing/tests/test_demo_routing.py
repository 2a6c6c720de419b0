"""The demo trains a first model on its own year of appeals, and shows suggestions on the page."""

from __future__ import annotations

from datetime import UTC, datetime

from jingmin.appeals.demo import seed_appeals
from jingmin.org.demo import seed_org
from jingmin.routing.demo import seed_routing
from jingmin.routing.models import RoutingModel, Suggestion


def test_the_demo_year_gives_an_active_model_and_suggestions(db, settings):
    org = seed_org(seed=5, size="small")
    seed_appeals(seed=5, org=org, count=400, now=datetime.now(UTC))
    row = seed_routing()
    assert row is not None and row.is_active and row.trained_by == "seed_demo"
    assert row.category_labels >= 10 and row.unit_labels >= 2
    assert RoutingModel.objects.count() == 1
    suggestions = Suggestion.objects.filter(model=row)
    assert suggestions.exists()
    assert suggestions.filter(category_taken=True).exists()


def test_an_empty_demo_trains_nothing(db):
    assert seed_routing() is None
    assert not RoutingModel.objects.exists()
