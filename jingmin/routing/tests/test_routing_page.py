"""The routing page: who sees it and who may change the model; the active model with its
evaluation; the figures by month, each person's own unit's only."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.appeals import services as appeals
from jingmin.appeals.models import Category
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit.models import AuditEntry
from jingmin.routing import selectors
from jingmin.routing.models import RoutingModel, Suggestion
from jingmin.worktime.calendar import SHANGHAI


@pytest.mark.parametrize(
    "who, status",
    [("clara", 403), ("oliver", 403), ("chen", 200), ("li", 200), ("ines", 200), ("sam", 200), ("sue", 403)],
)
def test_who_sees_the_routing_page(persona, active_model, who, status):
    assert signed_in(getattr(persona, who)).get(reverse("routing:index")).status_code == status
    assert signed_in(getattr(persona, who)).get(reverse("routing:model", args=[1])).status_code == status


def test_the_page_shows_the_active_model_and_its_evaluation(persona, active_model):
    html = signed_in(persona.chen).get(reverse("routing:index")).content.decode()
    assert 'data-version="1"' in html
    assert 'data-kind="category"' in html and 'data-label="order-noise"' in html
    assert 'data-kind="unit"' in html and 'data-label="=district"' in html and 'data-label="TD01"' in html
    assert "噪音扰民" in html and "交警大队" in html  # labels by their names
    # A chief sees no button to change anything.
    assert reverse("routing:retrain") not in html and reverse("routing:activate", args=[1]) not in html


def test_an_empty_page_says_what_to_do_next(persona):
    html = signed_in(persona.sam).get(reverse("routing:index")).content.decode()
    assert reverse("routing:retrain") in html
    assert 'class="empty"' in html


@pytest.mark.parametrize("who", ["clara", "chen", "li", "ines"])
def test_only_a_routing_manager_may_activate_or_retrain(persona, stored, who):
    stored()
    second = stored(activate=False)
    client = signed_in(getattr(persona, who))
    assert client.post(reverse("routing:activate", args=[second.version])).status_code == 403
    assert client.post(reverse("routing:retrain")).status_code == 403
    second.refresh_from_db()
    assert not second.is_active
    assert not AuditEntry.objects.filter(
        action__in=["routing.model_activate", "routing.retrain_request"]
    ).exists()


def test_sam_goes_back_to_an_earlier_version(persona, stored):
    first = stored()
    stored()
    client = signed_in(persona.sam)
    response = client.post(reverse("routing:activate", args=[first.version]))
    assert response.status_code == 302
    assert RoutingModel.objects.get(is_active=True) == first
    assert AuditEntry.objects.filter(action="routing.model_activate", target_id=str(first.pk)).count() == 1
    assert client.post(reverse("routing:activate", args=[99])).status_code == 404


def test_a_version_that_cannot_be_loaded_is_not_made_active(persona, stored):
    stored()
    broken = stored(activate=False)
    RoutingModel.objects.filter(pk=broken.pk).update(payload_mac="0" * 64)
    response = signed_in(persona.sam).post(reverse("routing:activate", args=[broken.version]), follow=True)
    assert not RoutingModel.objects.get(pk=broken.pk).is_active
    assert "cannot be loaded" in response.content.decode() or "无法" in response.content.decode()


def _suggested(persona, model, *, month_ago: int, taken: bool, returned: bool, clerk=None):
    clerk = clerk or persona.clara
    appeal, _ = appeals.appeal_register(actor=clerk, data=appeal_input())
    appeals.appeal_accept(actor=clerk, appeal_id=appeal.pk)
    dispatched = persona.district_a1 if taken else persona.district_a2
    appeals.appeal_dispatch(actor=clerk, appeal_id=appeal.pk, unit=dispatched)
    if returned:
        handler = persona.oliver if taken else None
        if handler is None:
            from conftest import make_user
            from jingmin.org.roles import Role

            handler = make_user(f"a2_{appeal.pk}", persona.district_a2, Role.OFFICER, "西门民警")
        appeals.appeal_sign(actor=handler, appeal_id=appeal.pk)
        appeals.appeal_return(actor=handler, appeal_id=appeal.pk, reason="属地不符")
    at = timezone.localtime(timezone.now(), SHANGHAI).replace(day=15, hour=12) - timedelta(
        days=31 * month_ago
    )
    Suggestion.objects.create(
        appeal=appeal,
        model=model,
        at=at,
        actor=clerk,
        unit_path=appeal.intake_unit_path,
        category=Category.objects.get(code="order-noise"),
        category_confidence=0.9,
        category_taken=True,
        unit=persona.district_a1,
        unit_confidence=0.8,
        unit_taken=taken,
        chosen_category=appeal.category,
        chosen_unit=dispatched,
    )


def test_the_figures_count_takes_and_the_returns_after_each(persona, active_model):
    _suggested(persona, active_model, month_ago=0, taken=True, returned=False)
    _suggested(persona, active_model, month_ago=0, taken=True, returned=True)
    _suggested(persona, active_model, month_ago=0, taken=False, returned=True)
    _suggested(persona, active_model, month_ago=1, taken=False, returned=False)

    months = selectors.figures_by_month(actor=persona.chen)
    assert len(months) == 2
    this, last = months
    assert this.suggestions == 3 and last.suggestions == 1
    assert (this.unit_taken.part, this.unit_taken.whole) == (2, 3)
    assert (this.returned_after_unit_taken.part, this.returned_after_unit_taken.whole) == (1, 2)
    assert (this.returned_after_unit_overridden.part, this.returned_after_unit_overridden.whole) == (1, 1)
    assert (this.category_taken.part, this.category_taken.whole) == (3, 3)
    assert this.returned_after_category_taken.part == 2
    assert (last.unit_taken.part, last.unit_taken.whole) == (0, 1)
    assert last.returned_after_unit_overridden.rate == 0.0
    assert isinstance(this.month, date) and not isinstance(this.month, datetime)

    html = signed_in(persona.chen).get(reverse("routing:index")).content.decode()
    assert f'data-month="{this.month:%Y-%m}"' in html


def test_a_station_sees_its_own_figures_and_the_bureau_all(persona, active_model):
    from conftest import make_user
    from jingmin.org.roles import Role

    clerk_b = make_user("bob", persona.station_b, Role.CLERK, "鲍勃")
    _suggested(persona, active_model, month_ago=0, taken=True, returned=False)
    _suggested(persona, active_model, month_ago=0, taken=True, returned=False, clerk=clerk_b)
    assert [m.suggestions for m in selectors.figures_by_month(actor=persona.chen)] == [1]
    assert [m.suggestions for m in selectors.figures_by_month(actor=persona.li)] == [2]
