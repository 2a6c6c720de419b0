"""For every role: which pages answer, which actions are allowed, and that a denied action
changed nothing (no row, no field, no audit entry)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.org.models import Unit, User

ROLES = ["clara", "oliver", "olga", "chen", "li", "ines", "sam", "sue", "audrey"]
BUSINESS = {"clara", "oliver", "olga", "chen", "li", "ines"}


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
        AuditEntry.objects.exclude(action="read").count(),
    )


# (page, who gets 200; everyone else with no capability gets 403)
PAGES = {
    "core:home": set(ROLES),
    "org:units": BUSINESS | {"sam", "sue"},
    "org:staff": BUSINESS | {"sam", "sue"},
    "org:staff_create": {"sam"},
    "audit:log": {"audrey"},
    "audit:export": {"audrey"},
    "org:security": set(ROLES),
    "notify:inbox": set(ROLES),
    "worktime:calendar": {"sam"},
    "appeals:queue": BUSINESS,
    "appeals:mine": {"oliver", "olga", "chen"},
    "appeals:new": {"clara", "chen"},
    "appeals:supervision": {"chen", "li", "ines"},
    "appeals:reviews": {"li", "ines"},
    "appeals:follow_ups": {"clara", "oliver", "olga", "chen"},
    "appeals:settings": {"sam"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_pages_by_role(persona, who):
    client = signed_in(getattr(persona, who))
    for page, allowed in PAGES.items():
        status = client.get(reverse(page)).status_code
        assert status == (200 if who in allowed else 403), (who, page, status)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_staff_profile_by_role_and_scope(persona, who):
    """Oliver's profile (district A1) is visible to station A and the bureau, not to station B."""
    client = signed_in(getattr(persona, who))
    status = client.get(reverse("org:staff_detail", args=[persona.oliver.pk])).status_code
    expected = 403 if who == "audrey" else 404 if who == "olga" else 200
    assert status == expected


def _actions(p):
    """Each state-changing request, with who may make it."""
    oliver = p.oliver.pk
    return [
        (
            "unit_create",
            reverse("org:units"),
            {"parent": p.station_a.pk, "kind": "district", "name": "新建警务区", "code": "TA19"},
            {"sam"},
        ),
        (
            "staff_create",
            reverse("org:staff_create"),
            {
                "username": "newbie",
                "full_name": "新警员",
                "unit": p.district_a1.pk,
                "role": "officer",
                "password": "Fresh#Pass2026",
            },
            {"sam"},
        ),
        (
            "staff_edit",
            reverse("org:staff_edit", args=[oliver]),
            {
                "full_name": "欧立文改",
                "unit": p.district_a2.pk,
                "police_number": "010203",
                "phone": "13900002222",
                "is_active": "on",
            },
            {"sam"},
        ),
        ("role", reverse("org:staff_role", args=[oliver]), {"role": "chief"}, {"sue"}),
        ("unlock", reverse("org:staff_unlock", args=[oliver]), {}, {"sue"}),
        (
            "password_reset",
            reverse("org:staff_password_reset", args=[oliver]),
            {"password": "Temp#Pass2026"},
            {"sue"},
        ),
        ("otp_reset", reverse("org:staff_otp_reset", args=[oliver]), {}, {"sue"}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    "action", ["unit_create", "staff_create", "staff_edit", "role", "unlock", "password_reset", "otp_reset"]
)
def test_actions_by_role(persona, who, action):
    TOTPDevice.objects.create(user=persona.oliver, name="phone", confirmed=True)
    User.objects.filter(pk=persona.oliver.pk).update(failed_signins=3)
    name, url, data, allowed = next(a for a in _actions(persona) if a[0] == action)
    client = signed_in(getattr(persona, who))
    before = snapshot()
    audit_before = AuditEntry.objects.count()
    response = client.post(url, data)
    if who in allowed:
        assert response.status_code == 302, (who, name, response.status_code)
        assert snapshot() != before
        assert AuditEntry.objects.filter(seq__gt=audit_before).exclude(action="read").exists()
    else:
        assert response.status_code in (403, 404), (who, name, response.status_code)
        assert snapshot() == before, f"{who} was refused {name} but something changed"


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


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(persona):
    from django.test import Client

    for page in ("core:home", "org:units", "org:staff", "audit:log"):
        response = Client().get(reverse(page))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("org:signin"))
