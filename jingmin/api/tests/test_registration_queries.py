"""One API registration is one short transaction (and, with a key, the answer kept after it) with a
fixed, small number of statements.

Before the clocks' sweep and the per-process reference data it took 27 statements here (with an
Idempotency-Key): four clock tasks queued after the commit, the appeal read back with its
assisting units, the category, the person's unit and the deadline policy looked up, the last
event's number asked of a new appeal, a look for a repeated key the unique constraint answers
anyway, and a savepoint around the audit row. Counted inside the test's transaction, so the
outermost transaction shows as a savepoint too. A keyed registration also asks whether its key
was already spent on a "merge into" at intake, which leaves no appeal row to collide with.

The roll-ups of the indicators take four statements in the registration's transaction (the
repeat windows, the new appeal's repeat flag, its counts added, later appeals it makes repeats).

The audit row is one INSERT in the registration's transaction, which never touches the chain's
head; sealing it is a short transaction of its own after the commit (the head taken without
waiting, the unsealed rows read, sealed, the head moved).
"""

from __future__ import annotations

import json

from jingmin.api.tests.conftest import api_as
from jingmin.api.tests.test_field_errors import new_appeal
from jingmin.appeals.models import Appeal

APPEALS = "/api/v1/appeals/"


def post(client, body, **headers):
    return client.post(APPEALS, json.dumps(body), content_type="application/json", headers=headers)


def test_a_keyed_registration_takes_twenty_four_statements(
    persona, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client = api_as(persona.clara)
    assert post(client, new_appeal(), **{"Idempotency-Key": "warm-up"}).status_code == 201
    # token and person with unit; the key looked up; the registration's transaction and the
    # savepoint inside it (4); appeal, event, audit row; the answer kept under the key, in a
    # transaction of its own (3); the early-warning task; the sealing after the commit, in a
    # transaction of its own (2): head, unsealed rows, rows sealed, head moved (4); the roll-ups
    # (4): the settings' repeat windows, the appeal's repeat flag, its counts added, a look for
    # later appeals it makes repeats.
    with django_assert_num_queries(24), django_capture_on_commit_callbacks(execute=True):
        response = post(client, new_appeal(title="第二件"), **{"Idempotency-Key": "k-2"})
    assert response.status_code == 201
    appeal = Appeal.objects.get(pk=response.json()["id"])
    # The answer, built without reading the appeal back, is what a read gives.
    assert client.get(f"{APPEALS}{appeal.pk}/").json() == response.json()


def test_a_registration_without_a_key_takes_nineteen_statements(
    persona, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client = api_as(persona.clara)
    assert post(client, new_appeal()).status_code == 201
    # Four of them the roll-ups' (see above).
    with django_assert_num_queries(19), django_capture_on_commit_callbacks(execute=True):
        assert post(client, new_appeal(title="第二件")).status_code == 201
    assert Appeal.objects.count() == 2
