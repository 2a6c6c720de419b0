"""Sealers run at once (after every writer's commit and every minute): the head's lock lets one
seal at a time, so the chain never forks and no row is sealed twice; a row whose transaction
commits after a later-written row's is sealed after it. Real connections: PostgreSQL."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.db import connection, connections, transaction

from jingmin.audit.models import AuditEntry
from jingmin.audit.services import audit_record, audit_seal
from jingmin.audit.verify import audit_chain_verify
from jingmin.org.codes import AuditAction

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def in_threads(*jobs):
    failed: list[BaseException] = []

    def run(job):
        try:
            job()
        except BaseException as exc:  # reported below, in the test's thread
            failed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failed == []


def failure(i: int) -> None:
    audit_record(actor=None, actor_username=f"writer-{i}", action=AuditAction.SIGNIN_FAIL, detail={"i": i})


def test_writers_and_sealers_at_once_make_one_chain_each_row_sealed_once(audit_guard_lifted):
    start = threading.Barrier(4)
    sealed: list[int] = []

    def writer(base):
        def job():
            start.wait()
            for i in range(base, base + 60):
                with transaction.atomic():  # each commit seals what it can, never waiting
                    failure(i)

        return job

    def sealer():
        start.wait()
        for _ in range(30):
            sealed.append(audit_seal(wait=True, batch_size=7))

    in_threads(writer(0), writer(1000), sealer, sealer)
    sealed.append(audit_seal())

    rows = list(AuditEntry.objects.order_by("seq"))
    assert len(rows) == 120 and all(r.sealed for r in rows)
    assert [r.seq for r in rows] == list(range(1, 121))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    report = audit_chain_verify()
    assert report.ok and report.checked == 120 and report.unsealed == 0
    # The explicit sealers took what the writers' own commits had not already sealed.
    assert sum(sealed) <= 120


def test_a_row_committed_late_is_sealed_after_the_rows_that_committed_before_it(audit_guard_lifted):
    written, release = threading.Event(), threading.Event()
    late: list[int] = []

    def slow_writer():
        with transaction.atomic():
            late.append(audit_record(actor=None, actor_username="slow", action=AuditAction.SIGNIN_FAIL).pk)
            written.set()
            assert release.wait(30)

    def in_its_own_connection():
        try:
            slow_writer()
        finally:
            connections.close_all()

    thread = threading.Thread(target=in_its_own_connection)
    thread.start()
    assert written.wait(30)
    with transaction.atomic():
        quick = audit_record(actor=None, actor_username="quick", action=AuditAction.SIGNIN_FAIL)
    release.set()
    thread.join(30)
    audit_seal()

    slow_row, quick_row = AuditEntry.objects.get(pk=late[0]), AuditEntry.objects.get(pk=quick.pk)
    assert slow_row.pk < quick_row.pk  # written first ...
    assert slow_row.seq == (quick_row.seq or 0) + 1  # ... committed last, so sealed after
    assert audit_chain_verify().ok
