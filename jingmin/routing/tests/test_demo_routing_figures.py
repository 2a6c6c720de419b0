"""The demo's routing figures look like a real bureau's: its texts are varied enough (some appeals
are told in a neighbouring category's words) that the model is sometimes unsure and sometimes
wrong, so the routing page shows no 100 % confidence and no 100 % F1 or accuracy."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Max, Q

from conftest import signed_in
from jingmin.appeals.demo import seed_appeals
from jingmin.org.demo import seed_org
from jingmin.org.models import User
from jingmin.routing.demo import seed_routing
from jingmin.routing.models import Suggestion


def test_the_demo_model_is_good_but_not_perfect(db, settings, _fast_hasher):
    org = seed_org(seed=5, size="small")
    seed_appeals(seed=5, org=org, count=400, now=datetime.now(UTC))
    row = seed_routing()
    assert row is not None

    category = row.evaluation["category"]
    assert 0.5 < category["accuracy"] < 1.0
    assert 0.5 < category["macro_f1"] < 1.0
    assert row.category_macro_f1 < 1.0
    shown = Suggestion.objects.filter(model=row)
    assert shown.aggregate(top=Max("category_confidence"))["top"] < 0.995
    # The clerks overrode some suggested categories, as clerks do.
    assert shown.filter(category_taken=False).exists() and shown.filter(category_taken=True).exists()
    assert shown.filter(~Q(category_confidence=None)).count() > 0

    # What the routing page shows: no figure of 100 %.
    leader = User.objects.get(username="leader")
    html = signed_in(leader).get("/routing/").content.decode()
    assert "100%" not in html.replace(" ", "")
