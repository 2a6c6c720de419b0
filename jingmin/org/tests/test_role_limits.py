"""What the administrators' roles may not do even with their capability, and a chief's reach by
id. Who may open which page and take which action is the permission matrix's
(`jingmin/org/tests/access_rows.py`); these are the limits it does not state."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.org.models import Unit, User


def snapshot():
    return (
        list(Unit.objects.order_by("pk").values_list("pk", "name", "code", "path")),
        list(
            User.objects.order_by("pk").values_list(
                "pk",
                "full_name",
                "role",
                "unit_id",
                "is_active",
                "password",
                "locked_until",
                "failed_signins",
                "police_number",
                "password_change_required",
            )
        ),
        list(TOTPDevice.objects.order_by("pk").values_list("pk", "confirmed")),
        AuditEntry.objects.exclude(action="audit.record_read").count(),
    )


@pytest.mark.django_db
def test_system_administrator_cannot_grant_administrator_roles(persona):
    client = signed_in(persona.sam)
    before = snapshot()
    response = client.post(
        reverse("org:staff_create"),
        {
            "username": "sneaky",
            "full_name": "偷偷",
            "unit": persona.bureau.pk,
            "role": "auditor",
            "password": "Fresh#Pass2026",
        },
    )
    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.django_db
def test_security_administrator_cannot_change_own_role(persona):
    client = signed_in(persona.sue)
    before = snapshot()
    client.post(reverse("org:staff_role", args=[persona.sue.pk]), {"role": "auditor"})
    assert snapshot() == before
    assert User.objects.get(pk=persona.sue.pk).role == "secadmin"


@pytest.mark.django_db
def test_chief_cannot_reach_other_station_even_by_id(persona):
    client = signed_in(persona.chen)
    assert client.get(reverse("org:staff_detail", args=[persona.olga.pk])).status_code == 404
