"""The appeal exports carry what people need to work from them: the content, the handling notes
and the result; the supervision view and the follow-ups owed export too; the audit row of an
export keeps the list, its filters and the number of rows."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import signed_in
from jingmin.appeals.codes import AuditAction
from jingmin.appeals.models import Appeal, State
from jingmin.audit.models import AuditEntry


def sheet(response) -> list[dict[str, object]]:
    assert response.status_code == 200, response.status_code
    active = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    assert active is not None
    rows = list(active.iter_rows(values_only=True))
    heads = [str(h) for h in rows[0]]
    return [dict(zip(heads, row, strict=True)) for row in rows[1:]]


def last_export(username: str) -> dict[str, object]:
    return (
        AuditEntry.objects.filter(action=AuditAction.APPEAL_EXPORT, actor_username=username)
        .latest("seq")
        .detail
    )


@pytest.fixture
def concluded(persona, register, walk):
    return walk(register(title="楼道灯坏了", content="三楼楼道灯坏了一周，晚上看不见台阶。"), State.CONCLUDED)


def test_the_queue_export_carries_content_notes_and_result(persona, concluded):
    rows = sheet(signed_in(persona.chen).get(reverse("appeals:export"), {"state": State.CONCLUDED}))
    assert len(rows) == 1
    row = rows[0]
    assert row["诉求内容"] == "三楼楼道灯坏了一周，晚上看不见台阶。"
    assert row["结果"] == str(concluded.get_result_display())
    notes = str(row["办理记录"])
    # Every step with a note, in order, each with its time and its step's name.
    assert notes.count("\n") >= 1 and "：" in notes
    assert concluded.result_note in notes


def test_the_audit_row_keeps_the_list_its_filters_and_the_row_count(persona, concluded, register):
    register(title="另一件")
    signed_in(persona.chen).get(reverse("appeals:export"), {"state": State.CONCLUDED, "q": "楼道"})
    assert last_export("chen") == {
        "list": "appeals",
        "filters": {"q": "楼道", "state": "concluded"},
        "rows": 1,
    }


def test_supervision_exports_what_it_lists_with_its_window(persona, register, walk):
    late = walk(register(title="超时未办"), State.DISPATCHED)
    calm = walk(register(title="时间还早"), State.DISPATCHED)
    Appeal.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=3))
    Appeal.objects.filter(pk=calm.pk).update(due_at=timezone.now() + timedelta(days=5))
    rows = sheet(signed_in(persona.chen).get(reverse("appeals:supervision_export"), {"hours": "24"}))
    assert [r["标题"] for r in rows] == ["超时未办"]
    assert last_export("chen") == {"list": "supervision", "filters": {"hours": "24"}, "rows": 1}


def test_follow_ups_owed_export_as_appeals(persona, concluded):
    rows = sheet(signed_in(persona.clara).get(reverse("appeals:follow_ups_export")))
    assert [r["查询码"] for r in rows] == [concluded.tracking_code]
    assert last_export("clara")["rows"] == 1


def test_an_officer_of_another_station_exports_nothing_of_it(persona, concluded):
    assert sheet(signed_in(persona.olga).get(reverse("appeals:follow_ups_export"))) == []
