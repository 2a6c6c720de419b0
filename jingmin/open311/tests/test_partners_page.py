"""Sam (system administrator) issues partners' keys on /open311/partners/ — the key is shown once,
in the answer to the form, never again — and revokes them after confirming; nobody else may."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.open311.models import Partner
from jingmin.open311.services import partner_create
from jingmin.open311.tests.conftest import noise_post, post_form

URL = "open311:partners"
KEY = re.compile(r'<code class="secret" id="api-key">([0-9a-f]{48})</code>')


def issue(client, persona, name="某某App", **extra):
    return client.post(
        reverse(URL),
        {"name": name, "intake_unit": persona.station_a.pk, "contact": "张工 13900000000", **extra},
    )


def test_sam_lists_the_partners(persona, hotline):
    response = signed_in(persona.sam).get(reverse(URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert "12345市民服务热线" in html and hotline.partner.key_prefix in html and "城关派出所" in html
    assert hotline.key not in html


@pytest.mark.parametrize("who", ["clara", "oliver", "chen", "li", "ines", "sue", "audrey"])
def test_only_the_system_administrator_manages_partners(persona, hotline, who):
    client = signed_in(getattr(persona, who))
    assert client.get(reverse(URL)).status_code == 403
    assert issue(client, persona).status_code == 403
    revoke = reverse("open311:partner_revoke", args=[hotline.partner.pk])
    assert client.get(revoke).status_code == 403
    assert client.post(revoke).status_code == 403
    assert list(Partner.objects.values_list("name", "is_active")) == [("12345市民服务热线", True)]


def test_the_key_is_shown_once(persona, public):
    client = signed_in(persona.sam)
    response = issue(client, persona)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    match = KEY.search(response.content.decode())
    assert match is not None
    key = match.group(1)
    partner = Partner.objects.get(name="某某App")
    assert partner.created_by == persona.sam and partner.key_prefix == key[:8]
    # It works, and it is nowhere to be seen again: not in the list, not in the audit row.
    assert post_form(public, "json", noise_post(key)).status_code == 200
    assert key not in client.get(reverse(URL)).content.decode()
    entry = AuditEntry.objects.get(action="open311.partner_create")
    assert entry.actor_username == "sam" and key not in str(entry.detail)


def test_a_mistake_is_shown_beside_its_field(persona, hotline):
    response = issue(signed_in(persona.sam), persona, name="12345市民服务热线")
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert Partner.objects.count() == 1
    response = issue(signed_in(persona.sam), persona, name="")
    assert response.status_code == 400 and response.context["form"].errors["name"]


def test_a_closed_unit_cannot_receive(persona):
    persona.station_b.is_active = False
    persona.station_b.save()
    response = signed_in(persona.sam).post(
        reverse(URL), {"name": "某某App", "intake_unit": persona.station_b.pk}
    )
    assert response.status_code == 400 and response.context["form"].errors["intake_unit"]
    assert not Partner.objects.exists()


def test_sam_revokes_a_key_after_confirming(persona, public, hotline):
    client = signed_in(persona.sam)
    url = reverse("open311:partner_revoke", args=[hotline.partner.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and hotline.partner.key_prefix in confirm.content.decode()
    assert Partner.objects.get().is_active  # asking is not doing
    response = client.post(url)
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert not partner.is_active and partner.revoked_by == persona.sam
    assert AuditEntry.objects.get(action="open311.partner_revoke").actor_username == "sam"
    assert post_form(public, "json", noise_post(hotline.key)).status_code == 403


def test_the_list_counts_appeals_and_shows_last_use(persona, public, hotline):
    post_form(public, "json", noise_post(hotline.key))
    post_form(public, "json", noise_post(hotline.key))
    response = signed_in(persona.sam).get(reverse(URL))
    [row] = response.context["partners"]
    assert row.appeal_count == 2 and row.last_used_at is not None


def test_a_service_refuses_other_roles_too(persona):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        partner_create(actor=persona.chen, name="某某App", intake_unit=persona.station_a)
    assert not Partner.objects.exists()
