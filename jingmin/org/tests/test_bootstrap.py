"""A new installation gets its bureau and administrators from the command line."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jingmin.org.models import Unit, User

FIRST_ADMIN = [
    "--bureau",
    "某县公安局",
    "--code",
    "B001",
    "--username",
    "root-sys",
    "--full-name",
    "张系统",
    "--role",
    "sysadmin",
]


def bootstrap(monkeypatch, password, *args):
    monkeypatch.setenv("BOOT_PW", password)
    call_command("org_bootstrap", *args, "--password-env", "BOOT_PW")


@pytest.mark.django_db
def test_bootstrap_creates_bureau_and_administrators(monkeypatch, _fast_hasher):
    bootstrap(monkeypatch, "First#Admin2026", *FIRST_ADMIN)
    bootstrap(
        monkeypatch,
        "First#Admin2026",
        "--username",
        "root-sec",
        "--full-name",
        "李安全",
        "--role",
        "secadmin",
    )
    # The bureau, and below it the command centre every installation has as its intake desk.
    assert Unit.objects.get(parent__isnull=True).name == "某县公安局"
    sysadmin = User.objects.get(username="root-sys")
    assert sysadmin.role == "sysadmin" and sysadmin.password_change_required
    assert User.objects.get(username="root-sec").unit == sysadmin.unit


@pytest.mark.django_db
def test_bootstrap_refuses_weak_password_and_changes_nothing(monkeypatch, _fast_hasher):
    with pytest.raises(CommandError, match="password"):
        bootstrap(monkeypatch, "short", *FIRST_ADMIN)
    assert not Unit.objects.exists() and not User.objects.exists()
