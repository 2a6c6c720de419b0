"""The demo bureau: the shape the README promises, the same for the same seed, every login works."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from jingmin.core.writes import composing
from jingmin.org.demo import NAMED_ACCOUNTS, seed_org
from jingmin.org.models import Unit, User
from jingmin.org.roles import requires_second_factor


def demo_snapshot():
    return (
        list(Unit.objects.order_by("code").values_list("code", "name", "kind")),
        list(User.objects.order_by("username").values_list("username", "full_name", "role", "unit__code")),
    )


@pytest.mark.django_db
def test_demo_shape(_fast_hasher):
    call_command("seed_demo", "--seed", "7")
    counts = {
        kind: Unit.objects.filter(kind=kind).count() for kind in ("bureau", "branch", "station", "district")
    }
    assert counts == {"bureau": 1, "branch": 2, "station": 4, "district": 16}
    assert Unit.objects.filter(kind="department").count() >= 5
    assert {name for name, *_ in NAMED_ACCOUNTS} <= set(User.objects.values_list("username", flat=True))
    officer, officer2 = User.objects.get(username="officer"), User.objects.get(username="officer2")
    assert officer.unit.parent_id != officer2.unit.parent_id


@pytest.mark.django_db
def test_same_seed_same_bureau(_fast_hasher):
    # The organisation alone, loaded twice with everything of the first load rolled back: the
    # other domains' demo data test their own determinism beside their generators.
    # One transaction for the load, as the demo command opens it.
    with composing():
        seed_org(seed=11, size="small")
        first = demo_snapshot()
        transaction.set_rollback(True)
    assert not Unit.objects.exists()
    seed_org(seed=11, size="small")
    assert demo_snapshot() == first


@pytest.mark.django_db
def test_second_load_is_refused_or_skipped(_fast_hasher):
    call_command("seed_demo")
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
    assert Unit.objects.filter(kind="bureau").count() == 1


@pytest.mark.django_db
def test_every_demo_login_works(settings, _fast_hasher):
    call_command("seed_demo")
    for username, role, _where, _name in NAMED_ACCOUNTS:
        client = Client()
        response = client.post(
            reverse("org:signin"), {"username": username, "password": settings.DEMO_PASSWORD}
        )
        expected = reverse("org:signin_enrol") if requires_second_factor(role) else reverse("core:home")
        assert response.status_code == 302 and response["Location"] == expected, username
