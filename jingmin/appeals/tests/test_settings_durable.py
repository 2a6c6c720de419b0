"""The appeal settings' services are the outermost writes of their pages: each runs in a durable
transaction of its own, so a caller that wraps one in its own transaction is refused at once and
nothing is written; called alone (inside the test's own transaction, which Django allows) they
write as before."""

from __future__ import annotations

import pytest
from django.db import transaction

from jingmin.appeals import services_settings
from jingmin.appeals.models import Category


def test_a_category_added_inside_a_callers_transaction_is_refused(persona):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services_settings.category_create(actor=persona.sam, parent=None, code="traffic-x", name="交通")
    assert not Category.objects.filter(code="traffic-x").exists()


def test_a_category_changed_inside_a_callers_transaction_is_refused(persona):
    heading = services_settings.category_create(actor=persona.sam, parent=None, code="traffic-x", name="交通")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        services_settings.category_update(actor=persona.sam, category=heading.pk, name="道路交通")
    heading.refresh_from_db()
    assert heading.name == "交通"
