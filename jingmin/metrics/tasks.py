"""Tasks of the metrics app: run by the worker, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def metrics_rollup_rebuild() -> float:
    """Count the roll-ups afresh (after a settings change): the seconds it took."""
    from jingmin.metrics import rollup

    return rollup.rebuild()
