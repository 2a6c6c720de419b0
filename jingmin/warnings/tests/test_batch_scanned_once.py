"""A batch of appeals registered together is read by early warning in one task: every appeal of it
is scanned, as each would be alone, and the queue holds one row for the batch, not one each."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from jingmin.appeals import services as appeal_services
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.warnings.models import Signal

pytestmark = pytest.mark.django_db


def test_a_batch_queues_one_scan_that_reads_each_of_its_appeals(
    persona, django_capture_on_commit_callbacks, run_tasks
):
    items = [
        ("hotline-1", appeal_input(district=persona.district_a1, content="邻居扬言要放火。")),
        ("hotline-2", appeal_input(district=persona.district_a1, title="路灯不亮", content="路灯坏了三天。")),
        (
            "hotline-3",
            appeal_input(
                district=persona.district_a1,
                content="讨薪无果，他说要跟老板同归于尽。",
                citizen_phone="13522223333",
            ),
        ),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = appeal_services.appeal_register_batch(actor=persona.clara, items=items)
    assert all(o.created for o in outcomes)
    queued = DBTaskResult.objects.all()
    assert [row.task_path for row in queued] == ["jingmin.warnings.tasks.scan_records"]
    run_tasks()
    raised = Signal.objects.filter(kind="risk_words")
    evidence = sorted(e.record_id for s in raised for e in s.evidence.all())
    assert evidence == sorted(o.appeal.pk for o in (outcomes[0], outcomes[2]) if o.appeal is not None)
