"""The audit log is append-only in the database, and any edit or deletion of a sealed row made
around that is reported by `audit_verify` with the number of the row where the chain breaks."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from jingmin.audit.models import AuditCheckpoint, AuditEntry
from jingmin.audit.services import AuditPurgeRefused, audit_purge, audit_record, audit_seal
from jingmin.audit.verify import audit_chain_verify


def sealed(rows):
    """The rows as the sealer left them (the test's transaction never commits, so the sealer that
    runs after a commit does not run here)."""
    audit_seal()
    return [AuditEntry.objects.get(pk=row.pk) for row in rows]


def write_rows(actor, n):
    return sealed(
        [audit_record(actor=actor, action="update", target=actor, detail={"i": i}) for i in range(n)]
    )


def raw(sql, params=()):
    """Tamper as someone with the database's own superuser would: triggers off, then SQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_young_delete")
            cursor.execute(sql, params)


def verify_output():
    try:
        call_command("audit_verify")
    except CommandError as exc:
        return str(exc)
    return "ok"


@pytest.mark.django_db
def test_intact_chain_verifies(persona):
    rows = write_rows(persona.oliver, 5)
    report = audit_chain_verify()
    assert report.ok
    assert report.checked == rows[-1].seq
    assert verify_output() == "ok"


@pytest.mark.django_db
def test_each_row_links_to_the_previous(persona):
    rows = write_rows(persona.oliver, 3)
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + 3))


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["detail", "actor_username", "at", "action"])
def test_edited_row_is_reported_by_number(persona, column):
    rows = write_rows(persona.oliver, 6)
    victim = rows[3]
    values = {
        "detail": '{"i": 99}',
        "actor_username": "someone-else",
        "action": "read",
        "at": (victim.at - timedelta(hours=1)),
    }
    raw(f"UPDATE audit_auditentry SET {column} = %s WHERE seq = %s", [values[column], victim.seq])  # noqa: S608
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == victim.seq
    assert f"broken at row {victim.seq}" in verify_output()


@pytest.mark.django_db
def test_rehashed_row_still_breaks_the_next_link(persona):
    rows = write_rows(persona.oliver, 5)
    raw("UPDATE audit_auditentry SET hash = %s WHERE seq = %s", ["f" * 64, rows[2].seq])
    assert audit_chain_verify().broken_at == rows[2].seq


@pytest.mark.django_db
def test_deleted_middle_row_is_reported(persona):
    rows = write_rows(persona.oliver, 6)
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [rows[2].seq])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == rows[2].seq
    assert f"broken at row {rows[2].seq}" in verify_output()


@pytest.mark.django_db
def test_deleted_newest_rows_are_reported(persona):
    rows = write_rows(persona.oliver, 6)
    raw("DELETE FROM audit_auditentry WHERE seq >= %s", [rows[4].seq])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == rows[4].seq


@pytest.mark.django_db
def test_database_refuses_update_and_young_delete(persona):
    row = write_rows(persona.oliver, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=row.pk).update(action="read")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=row.pk).delete()
    assert AuditEntry.objects.get(pk=row.pk).action == "update"


@pytest.mark.django_db
def test_purge_refuses_rows_younger_than_retention(persona):
    write_rows(persona.oliver, 2)
    with pytest.raises(AuditPurgeRefused):
        audit_purge(actor_username="ops", before=timezone.now() - timedelta(days=179))
    with pytest.raises(CommandError, match="180"):
        call_command(
            "audit_purge",
            "--before",
            (timezone.localdate() - timedelta(days=10)).isoformat(),
            "--operator",
            "ops",
        )
    assert AuditEntry.objects.count() >= 2


def anonymous_rows(n):
    return sealed(
        [audit_record(actor=None, actor_username="nobody", action="auth.signin_failed") for _ in range(n)]
    )


@pytest.mark.django_db
def test_purge_of_old_rows_keeps_the_chain_verifiable():
    long_ago = timezone.now() - timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        old = anonymous_rows(4)
    young = anonymous_rows(3)
    result = audit_purge(actor_username="ops", before=timezone.now() - timedelta(days=200))
    assert result.through_seq == old[-1].seq
    assert not AuditEntry.objects.filter(seq__lte=old[-1].seq).exists()
    assert AuditEntry.objects.filter(seq__in=[r.seq for r in young]).count() == 3
    assert AuditCheckpoint.objects.get().through_hash == old[-1].hash
    assert AuditEntry.objects.filter(action="audit.log_purge").exists()
    assert audit_chain_verify().ok
    # Removing a young row after a purge is still caught.
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [young[0].seq])
    assert audit_chain_verify().broken_at == young[0].seq
