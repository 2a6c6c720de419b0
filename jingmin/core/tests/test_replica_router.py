"""Reports and exports read from a PostgreSQL streaming replica when one is configured; writes never
go there; reads in a transaction, of sessions and of second-factor devices stay on the primary;
without a replica everything reads the primary.

The tests against a real replica need the one `scripts/pg_replica.sh start` runs (`.ci/run` starts
it before the suite); they are skipped, loudly, only when none answers."""

from __future__ import annotations

import os
import time

import dj_database_url
import pytest
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import signed_in
from jingmin.core import routers
from jingmin.core.routers import (
    REPLICA,
    REPLICA_VIEWS,
    PrimaryReplicaRouter,
    ReplicaReadsMiddleware,
    replica_reads,
)
from jingmin.org.models import Unit, User

router = PrimaryReplicaRouter()


@pytest.fixture
def replica_named(monkeypatch):
    """A replica in the settings, for the routing decisions alone (nothing connects to it)."""
    monkeypatch.setitem(connections.settings, REPLICA, {**connections["default"].settings_dict})


def test_without_a_replica_every_read_goes_to_the_primary():
    assert REPLICA not in connections.settings
    with replica_reads():
        assert router.db_for_read(Unit) is None  # Django's default: the primary


@pytest.mark.django_db
def test_reads_go_to_the_replica_only_inside_replica_reads_and_outside_a_transaction(replica_named):
    assert router.db_for_read(Unit) is None
    # Django's test case holds a transaction open; outside it (autocommit), the replica is chosen.
    assert connection.in_atomic_block
    with replica_reads():
        assert router.db_for_read(Unit) is None
        connection.in_atomic_block = False
        try:
            assert router.db_for_read(Unit) == REPLICA
            assert router.db_for_read(User) == REPLICA
            from django.contrib.sessions.models import Session
            from django_otp.plugins.otp_totp.models import TOTPDevice

            assert router.db_for_read(Session) is None
            assert router.db_for_read(TOTPDevice) is None
        finally:
            connection.in_atomic_block = True


@pytest.mark.django_db
def test_writes_and_migrations_never_go_to_the_replica(replica_named, persona):
    unit = persona.station_a
    unit._state.db = REPLICA  # as if read there
    with replica_reads():
        assert router.db_for_write(Unit) is None
        assert router.db_for_write(Unit, instance=unit) == "default"
    assert router.db_for_read(Unit, instance=unit) == "default"
    assert router.allow_migrate(REPLICA, "org") is False
    assert router.allow_migrate("default", "org") is None
    other = persona.station_b
    assert router.allow_relation(unit, other) is True


def test_the_views_read_on_the_replica_exist():
    for name in REPLICA_VIEWS:
        assert reverse(name)


def _through_middleware(path, view):
    return ReplicaReadsMiddleware(view)(RequestFactory().get(path))


def test_the_middleware_reads_a_listed_view_on_the_replica_body_and_all(replica_named):
    seen = []

    def stats(request):
        seen.append(("view", routers._on_replica.get()))

        def body():
            seen.append(("body", routers._on_replica.get()))
            yield b"figures"

        return StreamingHttpResponse(body())

    response = _through_middleware(reverse("portal:stats"), stats)
    assert seen == [("view", True)]
    assert b"".join(response.streaming_content) == b"figures"
    assert seen == [("view", True), ("body", True)]
    assert routers._on_replica.get() is False


def test_the_middleware_leaves_other_views_on_the_primary(replica_named):
    seen = []

    def page(request):
        seen.append(routers._on_replica.get())
        return HttpResponse("ok")

    _through_middleware("/appeals/", page)
    _through_middleware("/no/such/page/", page)
    assert seen == [False, False]


# --- against a real streaming replica -------------------------------------------------------------


def _replica_settings() -> dict:
    url = dj_database_url.parse(os.environ["JINGMIN_TEST_REPLICA_URL"])
    default = connections["default"].settings_dict
    return {
        **default,
        "HOST": url["HOST"] or default["HOST"],
        "PORT": url["PORT"] or default["PORT"],
        "USER": url["USER"] or default["USER"],
        "PASSWORD": url["PASSWORD"] or default["PASSWORD"],
        "TEST": {**default["TEST"], "MIRROR": "default"},
    }


def _replayed_lsn(cursor) -> str:
    cursor.execute("SELECT pg_last_wal_replay_lsn()")
    return cursor.fetchone()[0]


@pytest.fixture
def replica(transactional_db, audit_guard_lifted, reference_data, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica is a PostgreSQL matter")
    import psycopg

    config = _replica_settings()
    try:
        probe = psycopg.connect(
            host=config["HOST"],
            port=config["PORT"],
            user=config["USER"],
            dbname=config["NAME"],
            connect_timeout=3,
        )
    except psycopg.OperationalError as error:
        pytest.skip(
            f"NO READ REPLICA REACHABLE at {config['HOST']}:{config['PORT']} ({error}): "
            "start one with scripts/pg_replica.sh start, as .ci/run does"
        )
    with probe:
        in_recovery = probe.execute("SELECT pg_is_in_recovery()").fetchone()
    assert in_recovery == (True,), "the server named by JINGMIN_TEST_REPLICA_URL is not a standby"
    # The connection is made here rather than named in the settings: Django's test case refuses
    # connections to configured aliases that the test did not declare before it started.
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, REPLICA)
    connections[REPLICA] = wrapper
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[REPLICA]


def caught_up(timeout: float = 30.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not replay up to {target} within {timeout} s")
            time.sleep(0.05)


@pytest.fixture
def paused(replica):
    """Replay paused on the replica: what the primary writes now is not there until resumed."""
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def test_routed_reads_are_answered_by_the_replica(replica, persona):
    caught_up()
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        with replica_reads():
            assert Unit.objects.filter(code="TA10").exists()
        assert Unit.objects.filter(code="TB10").exists()
    assert len(on_replica) == 1 and "TA10" in on_replica[0]["sql"]
    assert len(on_primary) == 1 and "TB10" in on_primary[0]["sql"]
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)


def test_a_row_not_yet_replayed_is_not_seen_there_but_is_on_the_primary(replica, persona, paused):
    Unit.objects.filter(pk=persona.district_a2.pk).update(name="改名警务区")
    with replica_reads():
        assert Unit.objects.get(pk=persona.district_a2.pk).name == "西门警务区"
        # A transaction reads its own world: on the primary.
        with transaction.atomic():
            assert Unit.objects.get(pk=persona.district_a2.pk).name == "改名警务区"
    assert Unit.objects.get(pk=persona.district_a2.pk).name == "改名警务区"


def test_writes_inside_replica_reads_land_on_the_primary(replica, persona):
    caught_up()
    with replica_reads():
        unit = Unit.objects.get(code="TA12")
        assert unit._state.db == REPLICA
        unit.name = "新名称"
        unit.save(update_fields=["name"])  # the standby would refuse it
        Unit.objects.filter(code="TB11").update(name="河滨二区")
    assert Unit.objects.get(code="TA12").name == "新名称"
    assert Unit.objects.get(code="TB11").name == "河滨二区"
    caught_up()
    with replica_reads():
        assert Unit.objects.get(code="TA12").name == "新名称"


def test_an_export_and_the_public_statistics_are_read_on_the_replica(replica, persona, settings):
    from django.core.cache import cache

    cache.clear()
    client = signed_in(persona.clara)
    caught_up()
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(reverse("appeals:export"))
        body = response.getvalue()
    assert response.status_code == 200 and body[:2] == b"PK"
    assert on_replica.captured_queries, "the export read nothing on the replica"
    assert not any("django_session" in q["sql"] for q in on_replica.captured_queries)
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("portal:stats")).status_code == 200
    assert any("appeals_appeal" in q["sql"] for q in on_replica.captured_queries)
    # Any other page reads the primary.
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("appeals:queue")).status_code == 200
    assert on_replica.captured_queries == []
