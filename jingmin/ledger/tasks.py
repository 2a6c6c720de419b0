"""Tasks of the ledger: the check and the writing of an Excel import, run by the worker.

Each re-reads the run and does nothing unless the run is in the state it expects, so a task run
twice writes nothing twice.
"""

from __future__ import annotations

from django_tasks import task


@task()
def ledger_import_check(*, run_id: int) -> str:
    from jingmin.ledger.imports import import_check

    run = import_check(run_id=run_id)
    return run.state if run else "missing"


@task()
def ledger_import_write(*, run_id: int) -> str:
    from jingmin.ledger.imports import import_write

    run = import_write(run_id=run_id)
    return run.state if run else "missing"
