"""Steps of "my work" queued on the phone: taken once however often sent, and an appeal that
moved on meanwhile answers with the transitions table's conflict, never a forced step."""

from __future__ import annotations

import uuid

import pytest

from conftest import signed_in
from jingmin.appeals import services
from jingmin.appeals.models import AppealEvent, FollowUp, State
from jingmin.field.tests.conftest import jpeg

pytestmark = pytest.mark.django_db


def step(appeal, name, **fields):
    return {"record": "step", "appeal": appeal.pk, "step": name, **fields}


def test_sign_contact_and_conclude_each_taken_once(
    persona,
    register,
    walk,
    send,
    settings,
    tmp_path,
    sms_outbox,
    run_tasks,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    appeal = walk(register(), State.DISPATCHED)
    client = signed_in(persona.oliver)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    bodies = [
        step(appeal, "sign"),
        step(appeal, "contact", note="电话联系，约定明天上门"),
        step(appeal, "conclude", result="solved", note="已上门修好", files=jpeg()),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for client_id, body in zip(ids, bodies, strict=True):
            response = send(client, body, client_id)
            assert response.status_code == 200, response.content
        # Every step sent a second time (the phone never heard the first answers).
        for client_id, body in zip(ids, bodies, strict=True):
            if "files" in body:
                body = {**body, "files": jpeg()}
            response = send(client, body, client_id)
            assert response.status_code == 200, response.content
    run_tasks()
    actions = list(AppealEvent.objects.filter(appeal=appeal).order_by("seq").values_list("action", flat=True))
    assert actions == ["register", "accept", "dispatch", "sign", "contact", "conclude"]
    appeal.refresh_from_db()
    assert appeal.state == State.CONCLUDED
    assert FollowUp.objects.filter(appeal=appeal).count() == 1
    # One follow-up link to the citizen, not one per sending.
    assert len(sms_outbox) == 1
    assert response.json()["appeal"]["state"] == State.CONCLUDED


def test_a_step_on_an_appeal_that_moved_on_is_a_conflict_with_how_it_is_now(persona, register, walk, send):
    appeal = walk(register(), State.SIGNED)
    # While Oliver is offline, the appeal is concluded by a colleague's hand (here: his own, online).
    services.appeal_contact(actor=persona.oliver, appeal_id=appeal.pk, note="电话联系")
    services.appeal_conclude(actor=persona.oliver, appeal_id=appeal.pk, result="solved", note="已解决")
    client = signed_in(persona.oliver)
    before = AppealEvent.objects.count()
    response = send(client, step(appeal, "contact", note="上门了解情况"))
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "conflict"
    assert body["code"] == "transition_not_allowed"
    assert body["current"]["state"] == State.CONCLUDED
    assert AppealEvent.objects.count() == before


def test_a_step_on_an_appeal_transferred_away_is_refused(persona, register, walk, send):
    appeal = walk(register(), State.SIGNED)
    services.appeal_transfer(
        actor=persona.clara, appeal_id=appeal.pk, unit=persona.district_a2, reason="属地不符"
    )
    client = signed_in(persona.oliver)
    before = AppealEvent.objects.count()
    response = send(client, step(appeal, "contact", note="上门了解情况"))
    assert response.status_code in (403, 404)
    assert response.json()["status"] == "refused"
    assert AppealEvent.objects.count() == before


def test_a_step_without_its_note_is_refused(persona, register, walk, send):
    appeal = walk(register(), State.SIGNED)
    client = signed_in(persona.oliver)
    response = send(client, step(appeal, "contact", note=""))
    assert response.status_code == 400
    assert response.json()["field"] == "note"


def test_another_stations_appeal_is_not_found(persona, register, walk, send):
    appeal = walk(register(), State.DISPATCHED)
    response = send(signed_in(persona.olga), step(appeal, "sign"))
    assert response.status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED
