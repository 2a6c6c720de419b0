"""Training on the bureau's own concluded appeals: a new version with its cross-validated
evaluation, the active one unless asked otherwise; the one before steps aside but stays."""

from __future__ import annotations

import pytest

from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.routing import services, training
from jingmin.routing.learning import Evaluation
from jingmin.routing.models import RoutingModel, Source
from jingmin.routing.tests.conftest import add_appeals


def test_a_first_model_learns_category_and_unit_and_is_active(trained):
    assert trained.version == 1 and trained.is_active
    assert trained.source == Source.APPEALS and trained.samples == 60
    assert trained.category_labels == 3 and trained.unit_labels == 3
    # Words of their own, but one in eight titled like another topic.
    assert trained.category_macro_f1 > 0.8
    category = Evaluation.from_dict(trained.evaluation["category"])
    assert category.labels == ["fraud-telecom", "order-noise", "traffic-parking"]
    assert [s.support for s in category.per_label] == [20, 20, 20]
    assert sum(map(sum, category.confusion)) == 60
    unit = Evaluation.from_dict(trained.evaluation["unit"])
    # The own district stands for whichever district an appeal is in; departments are themselves.
    assert unit.labels == ["=district", "TD01", "TD02"]
    assert trained.unit_macro_f1 is not None and trained.unit_macro_f1 > 0.8
    assert trained.payload and trained.payload_mac
    assert AuditEntry.objects.filter(action="routing.model_train", target_id=str(trained.pk)).exists()


def test_the_next_version_takes_over_and_the_first_is_kept(train):
    first = train()
    second = train()
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert second.is_active and not first.is_active
    assert RoutingModel.objects.filter(is_active=True).count() == 1


def test_a_version_stored_without_activating_leaves_the_active_one(train):
    first = train()
    second = train(activate=False)
    first.refresh_from_db()
    assert first.is_active and not second.is_active


def test_appeals_not_concluded_and_retired_categories_teach_nothing(persona, history):
    add_appeals(persona, count=9, concluded=False, seed=2)
    data = training.from_appeals()
    assert len(data.category.texts) == 60
    from jingmin.appeals.models import Category

    Category.objects.filter(code="fraud-telecom").update(is_active=False)
    data = training.from_appeals()
    assert sorted(set(data.category.labels)) == ["order-noise", "traffic-parking"]


def test_too_few_examples_store_nothing(persona, departments):
    add_appeals(persona, count=10, codes=("order-noise", "traffic-parking"))
    with pytest.raises(ServiceError) as refused:
        services.routing_model_train(actor=None, training=training.from_appeals(), folds=3)
    assert refused.value.code == "too_few_examples"
    assert not RoutingModel.objects.exists()


def test_a_label_with_too_few_examples_is_left_out_and_said_so(persona, history):
    add_appeals(persona, count=2, codes=("dispute-wages",), seed=3) if False else None
    from jingmin.appeals.models import Appeal, Category

    rare = Category.objects.get(code="dispute-wages")
    Appeal.objects.filter(pk__in=[a.pk for a in history[:3]]).update(category=rare)
    row = services.routing_model_train(actor=None, training=training.from_appeals(), folds=3)
    assert row.evaluation["category"]["left_out"] == {"dispute-wages": 3}
    assert "dispute-wages" not in Evaluation.from_dict(row.evaluation["category"]).labels
