"""Oliver and Oscar tap "sign" on the same appeal at the same moment: exactly one holds it, and
the other is told who did. The row lock decides, so this runs against PostgreSQL, with two real
connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from jingmin.appeals import services
from jingmin.appeals.models import Action, AppealEvent, State

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_two_officers_sign_at_once_and_exactly_one_wins(
    audit_guard_lifted, reference_data, persona, oscar, register, walk
):
    appeal = walk(register(), State.DISPATCHED)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def sign(user):
        try:
            start.wait()
            outcomes[user.username] = services.appeal_sign(actor=user, appeal_id=appeal.pk)
        except Exception as exc:
            outcomes[user.username] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(u,)) for u in (persona.oliver, oscar)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    won = [name for name, o in outcomes.items() if not isinstance(o, Exception)]
    lost = [o for o in outcomes.values() if isinstance(o, Exception)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], services.TransitionNotAllowed)
    winner = persona.oliver if won[0] == "oliver" else oscar
    assert winner.full_name in lost[0].message
    appeal.refresh_from_db()
    assert appeal.state == State.SIGNED and appeal.handler == winner
    assert AppealEvent.objects.filter(appeal=appeal, action=Action.SIGN).count() == 1
