"""Sam (system administrator) keeps the category taxonomy (two levels) and the deadline clocks;
every change is audited, and nobody else may make one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import signed_in
from jingmin.appeals import clocks, services_settings
from jingmin.appeals.models import Category, DeadlinePolicy
from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError

URL = "appeals:settings"


def post(client, form: str, prefix: str, **fields):
    data = {"form": form, "prefix": prefix, **{f"{prefix}-{k}": v for k, v in fields.items()}}
    return client.post(reverse(URL), data)


def errors(response, key: str):
    """The errors of the bound form the page shows again."""
    context = response.context
    if key == "create":
        return context["create_form"].errors
    if key == "policy":
        return context["policy_form"].errors
    return next(item["form"] for item in context["tree"] if item["open"]).errors


def test_sam_sees_the_taxonomy_and_the_deadlines(persona):
    response = signed_in(persona.sam).get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-code="order"' in html and 'data-code="order-noise"' in html
    assert 'data-policy="emergency:"' in html and 'data-policy="general:"' in html


@pytest.mark.parametrize("who", ["clara", "chen", "ines", "sue", "audrey"])
def test_only_the_system_administrator_changes_settings(persona, who):
    client = signed_in(getattr(persona, who))
    assert client.get(reverse(URL)).status_code == 403
    assert post(client, "category_create", "new", code="x-y", name="某类", position=0).status_code == 403
    assert not Category.objects.filter(code="x-y").exists()


def test_a_category_is_added_under_a_heading(persona):
    heading = Category.objects.get(code="order")
    response = post(
        signed_in(persona.sam),
        "category_create",
        "new",
        parent=heading.pk,
        code="order-drunk",
        name="醉酒滋事",
        name_en="Drunkenness",
        position=9,
    )
    assert response.status_code == 302
    row = Category.objects.get(code="order-drunk")
    assert row.parent == heading and row.name == "醉酒滋事" and row.is_active
    entry = AuditEntry.objects.get(action="appeals.category_create")
    assert entry.actor_username == "sam" and entry.target_id == str(row.pk)
    # The intake form offers it under its heading.
    form = signed_in(persona.clara).get(reverse("appeals:new")).content.decode()
    assert form.index('<optgroup label="治安管理">') < form.index("醉酒滋事")


def test_a_third_level_is_refused_beside_the_parent(persona):
    leaf = Category.objects.get(code="order-noise")
    response = post(
        signed_in(persona.sam),
        "category_create",
        "new",
        parent=leaf.pk,
        code="order-noise-night",
        name="夜间噪音",
        position=0,
    )
    # A leaf is not even offered as a parent; the service refuses it too.
    assert response.status_code == 400 and "parent" in errors(response, "create")
    assert not Category.objects.filter(code="order-noise-night").exists()
    with pytest.raises(ServiceError) as refused:
        services_settings.category_create(
            actor=persona.sam, parent=leaf, code="order-noise-night", name="夜间噪音"
        )
    assert refused.value.field == "parent"


def test_a_taken_or_malformed_code_is_refused_beside_the_code(persona):
    client = signed_in(persona.sam)
    taken = post(client, "category_create", "new", code="order-noise", name="重复", position=0)
    assert taken.status_code == 400 and "code" in errors(taken, "create")
    bad = post(client, "category_create", "new", code="Bad Code!", name="坏代码", position=0)
    assert bad.status_code == 400 and "code" in errors(bad, "create")
    assert Category.objects.filter(name__in=["重复", "坏代码"]).count() == 0


def test_a_category_is_renamed(persona):
    row = Category.objects.get(code="order-noise")
    prefix = f"cat{row.pk}"
    response = post(
        signed_in(persona.sam),
        "category_update",
        prefix,
        category=row.pk,
        name="噪声扰民",
        name_en="Noise",
        position=0,
        is_active="on",
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.name == "噪声扰民" and row.is_active
    entry = AuditEntry.objects.get(action="appeals.category_update")
    assert entry.detail["name"] == ["噪音扰民", "噪声扰民"]


def test_deactivating_a_heading_deactivates_its_categories_and_intake_no_longer_offers_them(persona):
    heading = Category.objects.get(code="fraud")
    response = post(
        signed_in(persona.sam),
        "category_update",
        f"cat{heading.pk}",
        category=heading.pk,
        name=heading.name,
        position=heading.position,
    )
    assert response.status_code == 302
    assert not Category.objects.filter(parent=heading, is_active=True).exists()
    form = signed_in(persona.clara).get(reverse("appeals:new")).content.decode()
    assert "电信网络诈骗" not in form and 'label="反诈防骗"' not in form
    # A category cannot come back while its heading is inactive.
    leaf = Category.objects.get(code="fraud-telecom")
    again = post(
        signed_in(persona.sam),
        "category_update",
        f"cat{leaf.pk}",
        category=leaf.pk,
        name=leaf.name,
        position=0,
        is_active="on",
    )
    assert again.status_code == 400 and "is_active" in errors(again, "update")
    leaf.refresh_from_db()
    assert not leaf.is_active


def test_a_deadline_policy_is_set_for_a_type_and_used_for_new_clocks(persona):
    response = post(
        signed_in(persona.sam),
        "policy",
        "policy",
        urgency="general",
        type="complaint",
        sign_amount=1,
        sign_unit="hours",
        contact_amount=4,
        contact_unit="hours",
        conclude_amount=3,
        conclude_unit="working_days",
    )
    assert response.status_code == 302
    policy = clocks.policy_for("complaint", "general")
    assert (policy.type, policy.sign_amount, policy.contact_amount, policy.conclude_amount) == (
        "complaint",
        1,
        4,
        3,
    )
    assert clocks.policy_for("help", "general").conclude_amount == 7  # the default row is untouched
    entry = AuditEntry.objects.get(action="appeals.deadline_policy_set")
    assert entry.detail["before"] is None and entry.detail["after"]["conclude_amount"] == 3


def test_a_default_policy_is_changed_from_its_row(persona):
    row = DeadlinePolicy.objects.get(urgency="urgent", type="")
    prefix = f"pol{row.pk}"
    response = post(
        signed_in(persona.sam),
        "policy",
        prefix,
        urgency="urgent",
        type="",
        sign_amount=1,
        sign_unit="hours",
        contact_amount=6,
        contact_unit="hours",
        conclude_amount=24,
        conclude_unit="hours",
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.contact_amount == 6 and DeadlinePolicy.objects.filter(urgency="urgent").count() == 1


def test_a_clock_longer_than_the_conclusion_is_refused_beside_it(persona):
    before = list(
        DeadlinePolicy.objects.values_list("pk", "sign_amount", "contact_amount", "conclude_amount")
    )
    response = post(
        signed_in(persona.sam),
        "policy",
        "policy",
        urgency="emergency",
        type="",
        sign_amount=1,
        sign_unit="hours",
        contact_amount=3,
        contact_unit="hours",
        conclude_amount=2,
        conclude_unit="hours",
    )
    assert response.status_code == 400 and "contact_amount" in errors(response, "policy")
    too_long = post(
        signed_in(persona.sam),
        "policy",
        "policy",
        urgency="general",
        type="",
        sign_amount=1,
        sign_unit="hours",
        contact_amount=1,
        contact_unit="hours",
        conclude_amount=400,
        conclude_unit="working_days",
    )
    assert too_long.status_code == 400 and "conclude_amount" in errors(too_long, "policy")
    assert (
        list(DeadlinePolicy.objects.values_list("pk", "sign_amount", "contact_amount", "conclude_amount"))
        == before
    )


def test_the_services_check_the_capability_themselves(persona):
    with pytest.raises(PermissionDenied):
        services_settings.category_create(actor=persona.clara, parent=None, code="new-heading", name="新大类")
    with pytest.raises(PermissionDenied):
        services_settings.deadline_policy_set(
            actor=persona.chen,
            urgency="general",
            sign_amount=1,
            sign_unit="hours",
            contact_amount=1,
            contact_unit="hours",
            conclude_amount=1,
            conclude_unit="hours",
        )
    assert not Category.objects.filter(code="new-heading").exists()
