"""A batch is written set-wise: its spent keys asked once, its appeals and their events inserted
in one statement each, so its statements do not grow with its size; a key spent on a "merge into"
at intake answers with that appeal; and a key that a registration running at the same moment
takes first (the look-up did not see it yet) still registers nothing twice."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingmin.api.tests.conftest import api_as
from jingmin.api.tests.test_appeal_batch import send
from jingmin.api.tests.test_field_errors import new_appeal
from jingmin.appeals import services
from jingmin.appeals.models import Action, Appeal, AppealEvent
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit.models import AuditEntry


def items(prefix: str, count: int) -> list[dict]:
    return [{"key": f"{prefix}-{i}", **new_appeal(title=f"第{i}件")} for i in range(count)]


def test_a_larger_batch_takes_no_more_statements(persona, django_capture_on_commit_callbacks):
    client = api_as(persona.clara)
    send(client, items("warm", 2))
    counts = []
    # Twelve, not a hundred: SQLite cuts an insert into pieces of at most 999 parameters.
    for prefix, size in (("small", 3), ("large", 12)):
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
            response = send(client, items(prefix, size))
        assert [r["status"] for r in response.json()["results"]] == ["created"] * size
        counts.append(len(captured))
    # Token and person; the keys spent on merges and the appeals under them; the savepoints;
    # appeals, events; the audit chain; the early-warning scans, queued once for the batch.
    assert counts[0] == counts[1], counts
    assert Appeal.objects.count() == 17
    assert AppealEvent.objects.filter(action=Action.REGISTER).count() == 17


def test_a_key_spent_on_a_merge_into_answers_with_that_appeal(persona, register):
    earlier = register()
    services.appeal_merge_contact(
        actor=persona.clara,
        appeal_id=earlier.pk,
        contact=services.RepeatContact(channel="phone", title="又来电", content="又吵到一点"),
        submission_key="merged-form",
    )
    outcomes = services.appeal_register_batch(
        actor=persona.clara,
        items=[("merged-form", appeal_input()), ("fresh-form", appeal_input(title="新的一件"))],
    )
    assert outcomes[0].appeal is not None and outcomes[0].appeal.pk == earlier.pk
    assert not outcomes[0].created
    assert outcomes[1].created and outcomes[1].appeal is not None
    assert Appeal.objects.count() == 2


def test_a_key_taken_at_the_same_moment_is_replayed_and_the_rest_registered(persona, monkeypatch):
    client = api_as(persona.clara)
    raced = client.post(
        "/api/v1/appeals/",
        json.dumps(new_appeal(title="另一请求先到")),
        content_type="application/json",
        headers={"Idempotency-Key": "race-1"},
    )
    assert raced.status_code == 201
    audit_before = AuditEntry.objects.count()
    # The look-up runs before the other registration commits, so it does not see its key: the
    # set-wise insert then meets the unique key, and the batch is registered one by one.
    monkeypatch.setattr(services, "_registered_under", lambda keys: {})
    results = send(client, [{"key": "race-0", **new_appeal()}, {"key": "race-1", **new_appeal()}]).json()[
        "results"
    ]
    assert [r["status"] for r in results] == ["created", "replayed"]
    assert results[1]["appeal"]["id"] == raced.json()["id"]
    assert Appeal.objects.count() == 2
    assert AuditEntry.objects.count() == audit_before + 1
