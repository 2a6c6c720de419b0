"""Who reaches the field app: those who record visits (officers and chiefs). Everyone else gets
403, and a record they send changes nothing. The manifest and the service worker hold nothing
personal and answer anyone (the browser fetches the manifest without credentials)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.field.tests.conftest import visit_fields
from jingmin.org.tests.test_permission_matrix import ROLES
from jingmin.visits.models import Visit

FIELD = {"oliver", "olga", "chen"}
PAGES = ["field:app", "field:session", "field:copy"]
PUBLIC = ["field:manifest", "field:worker"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ROLES)
def test_pages_by_role(persona, who):
    client = signed_in(getattr(persona, who))
    for page in PAGES:
        status = client.get(reverse(page)).status_code
        assert status == (200 if who in FIELD else 403), (who, page, status)
    for page in PUBLIC:
        assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("who", ROLES)
def test_sync_by_role(persona, world, who):
    client = signed_in(getattr(persona, who))
    household = world.a1[5]
    audit_before = AuditEntry.objects.exclude(action="read").count()
    response = client.post(
        reverse("field:sync"), {"client_id": str(uuid.uuid4()), **visit_fields(household.pk, "x")}
    )
    # Olga records visits too, but in B1: A1's household is not in her scope.
    expected = {"oliver": 201, "chen": 201, "olga": 404}.get(who, 403)
    assert response.status_code == expected, (who, response.status_code)
    if expected != 201:
        assert not Visit.objects.exists()
        assert AuditEntry.objects.exclude(action="read").count() == audit_before


def test_anonymous_is_sent_to_sign_in_or_told_so(persona):
    response = Client().get(reverse("field:app"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:signin"))
    for page in ("field:session", "field:copy"):
        assert Client().get(reverse(page)).status_code == 401
    for page in PUBLIC:
        assert Client().get(reverse(page)).status_code == 200
