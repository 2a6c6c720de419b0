"""Who sees which appeal: the unit holding it, the unit that received it, assisting units, and
everyone above them — no one else."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jingmin.appeals import services
from jingmin.appeals.models import State
from jingmin.appeals.selectors import appeal_get, appeal_list, my_work, supervision_list


def visible(user):
    return set(appeal_list(actor=user).values_list("pk", flat=True))


def test_each_persona_sees_only_appeals_of_their_subtree(persona, register, walk):
    at_a1 = walk(register(), State.DISPATCHED)  # received at station A, now with district A1
    waiting = register()  # still at station A's intake
    assert visible(persona.clara) == {at_a1.pk, waiting.pk}
    assert visible(persona.chen) == {at_a1.pk, waiting.pk}
    assert visible(persona.oliver) == {at_a1.pk}
    assert visible(persona.olga) == set()
    assert visible(persona.li) == visible(persona.ines) == {at_a1.pk, waiting.pk}
    with pytest.raises(Http404):
        appeal_get(actor=persona.olga, pk=at_a1.pk)


@pytest.mark.parametrize("admin", ["sam", "sue", "audrey"])
def test_administrators_do_not_read_appeals(persona, register, admin):
    register()
    with pytest.raises(PermissionDenied):
        appeal_list(actor=getattr(persona, admin))


def test_a_transfer_out_of_the_station_keeps_the_receiving_station_informed(persona, register, walk):
    appeal = walk(register(), State.SIGNED)
    services.appeal_transfer(
        actor=persona.chen, appeal_id=appeal.pk, unit=persona.district_b1, reason="属地不符"
    )
    assert appeal.pk in visible(persona.olga)
    assert appeal.pk in visible(persona.clara)  # first-contact responsibility: still in view
    assert appeal.pk not in visible(persona.oliver)


def test_others_cannot_act_on_an_appeal_they_cannot_see(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    with pytest.raises(Http404):
        services.appeal_sign(actor=persona.olga, appeal_id=appeal.pk)
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED


def test_my_work_holds_what_the_officer_signed_and_what_waits_in_the_district(persona, register, walk, oscar):
    mine = walk(register(), State.SIGNED)  # Oliver signed
    waiting = walk(register(), State.DISPATCHED)
    services.appeal_sign(actor=oscar, appeal_id=walk(register(), State.DISPATCHED).pk)
    assert {a.pk for a in my_work(actor=persona.oliver)} == {mine.pk, waiting.pk}
    due = [a.due_at for a in my_work(actor=persona.oliver) if a.due_at is not None]
    assert len(due) == 2
    assert due == sorted(due)


def test_supervision_lists_the_overdue_of_its_scope_most_overdue_first(persona, register, walk):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    appeal = walk(register(), State.DISPATCHED)
    assert appeal.due_at is not None
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert [a.pk for a in supervision_list(actor=persona.chen)] == [appeal.pk]
        assert appeal.due_at < timezone.now()
    with pytest.raises(PermissionDenied):
        supervision_list(actor=persona.oliver)
