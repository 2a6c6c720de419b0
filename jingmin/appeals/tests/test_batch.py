"""Batch work on the queue: several appeals ticked, one step each in one request, each row's
result shown; one that cannot take the step leaves the others done."""

from __future__ import annotations

from django.urls import reverse

from conftest import signed_in
from jingmin.appeals.models import State


def test_the_clerk_dispatches_several_appeals_at_once(persona, register, walk):
    ready = [walk(register(title=f"第{i}件"), State.ACCEPTED) for i in range(3)]
    already = walk(register(title="已派出"), State.DISPATCHED)
    ids = [a.pk for a in ready] + [already.pk]
    response = signed_in(persona.clara).post(
        reverse("appeals:batch", args=["dispatch"]), {"ids": ids, "unit": persona.district_a2.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    for appeal in ready:
        appeal.refresh_from_db()
        assert appeal.state == State.DISPATCHED and appeal.unit == persona.district_a2
        assert f'data-appeal="{appeal.pk}" data-ok="1"' in html
    assert f'data-appeal="{already.pk}" data-ok="0"' in html
    already.refresh_from_db()
    assert already.unit == persona.district_a1  # untouched


def test_the_officer_signs_for_several_and_learns_which_were_taken(persona, register, walk):
    mine = [walk(register(title=f"第{i}件"), State.DISPATCHED) for i in range(2)]
    out_of_scope = register(actor=persona.clara, title="别人的")
    response = signed_in(persona.oliver).post(
        reverse("appeals:batch", args=["sign"]), {"ids": [a.pk for a in mine] + [out_of_scope.pk]}
    )
    html = response.content.decode()
    for appeal in mine:
        appeal.refresh_from_db()
        assert appeal.handler == persona.oliver
    assert f'data-appeal="{out_of_scope.pk}" data-ok="0"' in html


def test_supervision_of_several_needs_its_note(persona, register, walk):
    appeals = [walk(register(title=f"第{i}件"), State.DISPATCHED) for i in range(2)]
    client = signed_in(persona.ines)
    url = reverse("appeals:batch", args=["supervise"])
    assert client.post(url, {"ids": [a.pk for a in appeals]}).status_code == 400
    assert client.post(url, {"ids": [a.pk for a in appeals], "note": "限期办结"}).status_code == 200
    for appeal in appeals:
        appeal.refresh_from_db()
        assert appeal.supervised


def test_a_role_without_the_step_is_refused_and_nothing_changes(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    url = reverse("appeals:batch", args=["dispatch"])
    assert (
        signed_in(persona.oliver).post(url, {"ids": [appeal.pk], "unit": persona.district_a1.pk}).status_code
        == 403
    )
    appeal.refresh_from_db()
    assert appeal.state == State.ACCEPTED


def test_the_queue_offers_the_steps_the_person_may_take(persona, register):
    register()
    html = signed_in(persona.clara).get(reverse("appeals:queue")).content.decode()
    assert 'id="batch-dispatch"' in html and 'id="batch-supervise"' not in html
    assert 'class="batch-pick"' in html
