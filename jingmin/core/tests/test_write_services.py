"""A write service runs in a durable transaction of its own, refuses a caller's transaction it was
not meant to join, and joins as a savepoint where its caller composes services on purpose."""

import pytest
from django.db import connection, transaction

from jingmin.core.writes import NestedWriteError, composing, write_service, write_steps

pytestmark = pytest.mark.django_db


def _innermost() -> tuple[bool, int]:
    """Whether the innermost transaction block is durable, and how many savepoints are open."""
    return connection.atomic_blocks[-1].durable, len(connection.savepoint_ids)  # type: ignore[attr-defined]


@write_service
def case_note_record() -> tuple[bool, int]:
    return _innermost()


@write_service
def case_open_with_note() -> tuple[tuple[bool, int], tuple[bool, int]]:
    return _innermost(), case_note_record()


@write_steps
def cases_sweep() -> list[tuple[bool, int]]:
    seen = []
    for _batch in range(2):
        with transaction.atomic():
            seen.append(case_note_record())
    # Between its steps, a service it calls has a transaction of its own.
    seen.append(case_note_record())
    return seen


def test_a_clerk_page_calling_a_service_gets_a_durable_transaction():
    durable, _savepoints = case_note_record()
    assert durable is True


def test_a_view_wrapping_a_service_in_its_own_transaction_is_refused():
    with pytest.raises(NestedWriteError, match="case_note_record is a write service"), transaction.atomic():
        case_note_record()


def test_a_service_composing_another_runs_it_inline_in_its_own_transaction():
    outer, inner = case_open_with_note()
    assert outer[0] is True
    assert inner == outer


def test_a_caller_that_declares_it_composes_runs_services_as_savepoints():
    with composing():
        first = case_note_record()
        second = case_note_record()
    assert first[0] is False and second[0] is False
    assert first[1] == second[1] >= 1


def test_a_sweep_commits_in_its_own_steps_and_is_refused_inside_a_transaction():
    assert [durable for durable, _ in cases_sweep()] == [False, False, True]
    with pytest.raises(NestedWriteError, match="cases_sweep"), transaction.atomic():
        cases_sweep()


def test_what_runs_on_commit_after_composing_is_called_at_the_top_again(django_capture_on_commit_callbacks):
    seen = []
    with django_capture_on_commit_callbacks(execute=True), composing():
        transaction.on_commit(lambda: seen.append(case_note_record()))
    assert [durable for durable, _ in seen] == [True]


def test_a_refused_service_changes_nothing_and_leaves_the_flag_unset():
    with pytest.raises(NestedWriteError), transaction.atomic():
        case_note_record()
    # Refused once, the next call at the top is durable again.
    assert case_note_record()[0] is True
