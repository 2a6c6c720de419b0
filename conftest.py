"""Named personas, reused by every test.

The bureau has two branches. Station A (branch A) has districts A1 and A2; station B (branch B) has
district B1. Clara is the clerk of station A, Oliver the officer of A1, Olga the officer of B1 (a
different station), Chen the chief of station A; Li (leader), Ines (inspector) and the three
administrators Sam (system), Sue (security) and Audrey (audit) sit at the bureau.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import Role, requires_second_factor
from jingmin.org.services import unit_create

PASSWORD = "Persona#Pass1"  # noqa: S105


@dataclass
class Personas:
    bureau: Unit
    branch_a: Unit
    branch_b: Unit
    station_a: Unit
    station_b: Unit
    district_a1: Unit
    district_a2: Unit
    district_b1: Unit
    clara: User
    oliver: User
    olga: User
    chen: User
    li: User
    ines: User
    sam: User
    sue: User
    audrey: User

    def all_users(self) -> list[User]:
        return [
            self.clara,
            self.oliver,
            self.olga,
            self.chen,
            self.li,
            self.ines,
            self.sam,
            self.sue,
            self.audrey,
        ]


def make_user(username: str, unit: Unit, role: str, full_name: str, phone: str = "") -> User:
    user = User(username=username, full_name=full_name, unit=unit, role=role, phone=phone)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in failures are counted in the cache (jingmin/org/signin.py): a test must not inherit
    another's, or a page would ask it for the image sum. Only the in-process cache is cleared; a
    shared Redis is left alone."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Hashing with the production work factor would make every persona cost a quarter second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_reference_data():
    """Each test reads categories and deadline policies afresh: a test's rows are rolled back
    without the save signals that would tell the per-process copies (`appeals.reference`)."""
    from jingmin.appeals import reference

    reference.forget()
    yield
    reference.forget()


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    """No SMS ever leaves a test: messages land in `jingmin.notify.sms.outbox`."""
    from jingmin.notify import sms

    settings.SMS_BACKEND = "jingmin.notify.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def sms_outbox(_locmem_sms):
    """The messages sent during this test, like `mailoutbox` for e-mail."""
    from jingmin.notify import sms

    return sms.outbox


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run every task that is due, as `manage.py db_worker --batch` would, then return."""
    from django.core.management import call_command

    # The worker drops "obsolete" connections between tasks, and inside the test's transaction
    # (autocommit off) it takes the test's own connection for one; on PostgreSQL that closes it.
    # Django's test client switches the same clean-up off around its requests, for the same reason.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda **kwargs: None
    )

    def run() -> None:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    return run


def make_personas() -> Personas:
    """The units and the nine persons, made through the organisation's services."""
    bureau = unit_create(actor=None, parent=None, kind=UnitKind.BUREAU, name="测试县公安局", code="T000")
    branch_a = unit_create(actor=None, parent=bureau, kind=UnitKind.BRANCH, name="城关分局", code="TA00")
    branch_b = unit_create(actor=None, parent=bureau, kind=UnitKind.BRANCH, name="河西分局", code="TB00")
    station_a = unit_create(
        actor=None, parent=branch_a, kind=UnitKind.STATION, name="城关派出所", code="TA10"
    )
    station_b = unit_create(
        actor=None, parent=branch_b, kind=UnitKind.STATION, name="河西派出所", code="TB10"
    )
    a1 = unit_create(actor=None, parent=station_a, kind=UnitKind.DISTRICT, name="东门警务区", code="TA11")
    a2 = unit_create(actor=None, parent=station_a, kind=UnitKind.DISTRICT, name="西门警务区", code="TA12")
    b1 = unit_create(actor=None, parent=station_b, kind=UnitKind.DISTRICT, name="河滨警务区", code="TB11")
    return Personas(
        bureau,
        branch_a,
        branch_b,
        station_a,
        station_b,
        a1,
        a2,
        b1,
        clara=make_user("clara", station_a, Role.CLERK, "柯拉"),
        oliver=make_user("oliver", a1, Role.OFFICER, "欧立文", phone="13900001111"),
        olga=make_user("olga", b1, Role.OFFICER, "欧佳"),
        chen=make_user("chen", station_a, Role.CHIEF, "陈所长"),
        li=make_user("li", bureau, Role.LEADER, "李局长"),
        ines=make_user("ines", bureau, Role.INSPECTOR, "殷督察"),
        sam=make_user("sam", bureau, Role.SYSADMIN, "沈系统"),
        sue=make_user("sue", bureau, Role.SECADMIN, "苏安全"),
        audrey=make_user("audrey", bureau, Role.AUDITOR, "欧审计"),
    )


@pytest.fixture
def persona(db, _fast_hasher) -> Personas:
    return make_personas()


@dataclass
class Centre:
    """The bureau's command centre (指挥中心), the intake desk, and Cora, its clerk."""

    unit: Unit
    cora: User


def make_centre(p: Personas) -> Centre:
    from jingmin.org.services import intake_desk_ensure

    desk = intake_desk_ensure(bureau=p.bureau, code="T900")
    return Centre(desk, make_user("cora", desk, Role.CLERK, "柯若"))


@pytest.fixture
def centre(persona: Personas) -> Centre:
    """The command centre and its clerk, beside the personas (who work without it elsewhere)."""
    return make_centre(persona)


@pytest.fixture
def audit_guard_lifted(transactional_db):
    """For transactional tests (live server, several connections): their clean-up empties every
    table, which the audit log's triggers rightly refuse. The triggers are lifted before the
    clean-up and put back at the start of the next such test (the test database is dropped after
    the last one)."""
    from django.db import connection

    from jingmin.audit import triggers

    triggers.uninstall(connection)
    triggers.install(connection)
    yield
    triggers.uninstall(connection)


@pytest.fixture
def reference_data(transactional_db):
    """The rows migrations seed (categories, deadline clocks, the holiday calendar, the ledger's care
    tags, the default risk words, the Open311 services' questions), put back for a transactional test: an earlier one emptied every table on its way out."""
    from jingmin.appeals.models import Category, DeadlinePolicy
    from jingmin.appeals.taxonomy import seed_defaults
    from jingmin.ledger.models import Tag
    from jingmin.ledger.tags import seed_tags
    from jingmin.open311.defaults import seed_attributes
    from jingmin.open311.models import ServiceAttribute
    from jingmin.warnings.defaults import seed_words
    from jingmin.warnings.models import RiskWord
    from jingmin.worktime.calendar import calendar_cache_clear
    from jingmin.worktime.services import calendar_seed

    seed_defaults(Category, DeadlinePolicy)
    seed_tags(Tag)
    seed_words(RiskWord)
    seed_attributes(Category, ServiceAttribute)
    calendar_seed(operator="tests")
    calendar_cache_clear()


def totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def signed_in(user: User) -> Client:
    """A client signed in as `user`, with a verified second factor where the role needs one."""
    client = Client()
    client.force_login(user)
    if requires_second_factor(user.role):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
