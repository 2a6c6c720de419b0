"""Writers insert their audit rows unsealed; the sealer gives each committed row its number and
hash exactly once, in an order `audit_verify` proves. Rows waiting are counted, and a row left
unsealed past the grace fails verification."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from jingmin.audit.chain import GENESIS_HASH, entry_hash
from jingmin.audit.models import AuditEntry, AuditHead
from jingmin.audit.services import audit_append, audit_entry, audit_record, audit_seal
from jingmin.audit.verify import audit_chain_verify
from jingmin.org.codes import AuditAction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _personas_rows_sealed(persona):
    # Making the personas wrote audit rows of its own: sealed here, so each test counts its own.
    audit_seal()


def signin_failures(n, username="nobody"):
    return [
        audit_record(actor=None, actor_username=username, action=AuditAction.SIGNIN_FAIL, detail={"i": i})
        for i in range(n)
    ]


def test_a_writer_leaves_its_row_unsealed_and_takes_no_lock_on_the_head(persona, django_assert_num_queries):
    with django_assert_num_queries(1):  # the INSERT alone: the head is neither read nor locked
        row = audit_record(actor=persona.oliver, action=AuditAction.USER_UPDATE, target=persona.oliver)
    stored = AuditEntry.objects.get(pk=row.pk)
    assert not stored.sealed and stored.hash == stored.prev_hash == ""


def test_rows_are_sealed_once_each_in_a_chain_that_verifies(persona):
    rows = signin_failures(7)
    assert audit_seal(batch_size=3) == 7  # in batches smaller than the work: it walks them all
    assert audit_seal() == 0
    sealed = list(AuditEntry.objects.filter(pk__in=[r.pk for r in rows]).order_by("seq"))
    assert [r.pk for r in sealed] == [r.pk for r in rows]
    seqs = [r.seq or 0 for r in sealed]
    assert seqs == list(range(seqs[0], seqs[0] + 7))
    prev = AuditEntry.objects.filter(seq=seqs[0] - 1).values_list("hash", flat=True).first() or GENESIS_HASH
    for row, seq in zip(sealed, seqs, strict=True):
        assert row.prev_hash == prev and row.hash == entry_hash(row, seq=seq, prev_hash=prev)
        prev = row.hash
    head = AuditHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (seqs[-1], prev)
    report = audit_chain_verify()
    assert report.ok and report.unsealed == 0 and report.checked >= 7


def test_the_chain_goes_on_from_the_last_sealed_row(persona):
    first = signin_failures(2)
    audit_seal()
    later = signin_failures(2)
    audit_seal()
    last_of_first = AuditEntry.objects.get(pk=first[-1].pk)
    first_of_later = AuditEntry.objects.get(pk=later[0].pk)
    assert (
        first_of_later.seq == (last_of_first.seq or 0) + 1 and first_of_later.prev_hash == last_of_first.hash
    )
    assert audit_chain_verify().ok


def test_a_batch_of_rows_is_written_in_one_statement_and_sealed_in_its_order(
    persona, django_assert_num_queries
):
    contents = [
        audit_entry(actor=persona.clara, action=AuditAction.USER_UPDATE, detail={"n": n}) for n in range(5)
    ]
    with django_assert_num_queries(1):
        rows = audit_append(contents)
    audit_seal()
    stored = AuditEntry.objects.filter(pk__in=[r.pk for r in rows]).order_by("seq")
    assert [r.detail["n"] for r in stored] == [0, 1, 2, 3, 4]


def test_the_writers_commit_seals_its_rows_at_once(persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = signin_failures(3)
    assert len(callbacks) == 1  # one sealing per transaction, however many rows it wrote
    assert all(AuditEntry.objects.get(pk=r.pk).sealed for r in rows)
    assert audit_chain_verify().ok


def test_rows_waiting_are_reported_and_fail_verification_only_past_the_grace(persona):
    signin_failures(1)
    audit_seal()
    with time_machine.travel(timezone.now() - timedelta(minutes=3), tick=False):
        signin_failures(2)
    report = audit_chain_verify()
    assert report.ok and report.unsealed == 2 and report.stale_unsealed == 0
    call_command("audit_verify", stdout=(out := io.StringIO()))
    assert "2 rows not sealed yet" in out.getvalue()

    with time_machine.travel(timezone.now() - timedelta(minutes=11), tick=False):
        signin_failures(1)
    report = audit_chain_verify()
    assert not report.ok and report.stale_unsealed == 1 and report.broken_at is None
    with pytest.raises(CommandError, match="1 rows have waited more than 10 minutes unsealed"):
        call_command("audit_verify")
    call_command("audit_seal", stdout=(out := io.StringIO()))
    assert out.getvalue().strip() == "sealed 3 rows"
    assert audit_chain_verify().ok


def test_the_database_lets_a_row_be_sealed_but_never_changed(persona):
    [row] = signin_failures(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=row.pk).update(actor_username="someone-else")
    with pytest.raises(DatabaseError), transaction.atomic():
        # Sealing may not change what the row says either.
        AuditEntry.objects.filter(pk=row.pk).update(seq=10**9, action="read")
    audit_seal()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=row.pk).update(seq=10**9, hash="f" * 64)  # sealed once only
    stored = AuditEntry.objects.get(pk=row.pk)
    assert stored.actor_username == "nobody" and stored.seq != 10**9
    assert audit_chain_verify().ok
