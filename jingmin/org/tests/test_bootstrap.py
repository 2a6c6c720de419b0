"""A new installation gets its bureau and administrators from the command line."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jingmin.org.models import Unit, User


@pytest.mark.django_db
def test_bootstrap_creates_bureau_and_administrators(monkeypatch, _fast_hasher):
    monkeypatch.setenv("BOOT_PW", "First#Admin2026")
    call_command(
        "org_bootstrap",
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
        "--password-env",
        "BOOT_PW",
    )
    call_command(
        "org_bootstrap",
        "--username",
        "root-sec",
        "--full-name",
        "李安全",
        "--role",
        "secadmin",
        "--password-env",
        "BOOT_PW",
    )
    assert Unit.objects.get().name == "某县公安局"
    sysadmin = User.objects.get(username="root-sys")
    assert sysadmin.role == "sysadmin" and sysadmin.password_change_required
    assert User.objects.get(username="root-sec").unit == sysadmin.unit


@pytest.mark.django_db
def test_bootstrap_refuses_weak_password_and_changes_nothing(monkeypatch, _fast_hasher):
    monkeypatch.setenv("BOOT_PW", "short")
    with pytest.raises(CommandError, match="password"):
        call_command(
            "org_bootstrap",
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
            "--password-env",
            "BOOT_PW",
        )
    assert not Unit.objects.exists() and not User.objects.exists()
