"""While a sealer (or the purge) holds the chain's head, Clara still registers an appeal: writers
insert their audit rows unsealed and never touch the head, and the rows are sealed once the head
is free. Two real connections: PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from jingmin.appeals import services
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit.models import AuditEntry, AuditHead
from jingmin.audit.services import audit_seal
from jingmin.audit.verify import audit_chain_verify

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_an_appeal_is_registered_while_another_connection_holds_the_head(
    audit_guard_lifted, reference_data, persona
):
    audit_seal()
    held, release = threading.Event(), threading.Event()

    def hold_head():
        try:
            with transaction.atomic():
                AuditHead.objects.select_for_update().get(pk=1)
                held.set()
                release.wait(60)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_head)
    holder.start()
    try:
        assert held.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # a wait on the head would fail, not hang
        started = time.monotonic()
        appeal, _created = services.appeal_register(actor=persona.clara, data=appeal_input())
        took = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
        row = AuditEntry.objects.get(action="appeals.appeal_register", target_id=str(appeal.pk))
        assert not row.sealed  # its commit found the head taken and left the row to the next sealer
        assert took < 5
    finally:
        release.set()
        holder.join(30)
    assert audit_seal() >= 1
    row.refresh_from_db()
    assert row.sealed and audit_chain_verify().ok
