"""The follow-up is never recorded by the hand that handled the appeal: not the officer who
concluded it, nor anyone of their police district; the intake unit, the command centre or the
supervising unit records it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import signed_in
from jingmin.appeals import services
from jingmin.appeals.models import Action, State
from jingmin.appeals.selectors import allowed_actions, follow_up_list


@pytest.fixture
def concluded(persona, register, walk):
    return walk(register(), State.CONCLUDED)


def answer(actor, appeal):
    return services.appeal_follow_up(actor=actor, appeal_id=appeal.pk, resolved=True, satisfaction=4)


def test_the_officer_who_concluded_cannot_record_the_follow_up(persona, concluded):
    with pytest.raises(PermissionDenied):
        answer(persona.oliver, concluded)
    assert Action.FOLLOW_UP not in allowed_actions(actor=persona.oliver, appeal=concluded)


def test_nor_can_a_colleague_of_the_same_police_district(persona, concluded, oscar):
    with pytest.raises(PermissionDenied):
        answer(oscar, concluded)


@pytest.mark.parametrize("who", ["clara", "chen"])
def test_the_intake_unit_or_the_supervising_unit_records_it(persona, concluded, who):
    actor = getattr(persona, who)
    assert Action.FOLLOW_UP in allowed_actions(actor=actor, appeal=concluded)
    assert answer(actor, concluded).state == State.FOLLOWED_UP


def test_a_chief_who_concluded_himself_is_barred_but_not_his_station(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    services.appeal_transfer(
        actor=persona.chen, appeal_id=appeal.pk, unit=persona.station_a, reason="所长亲办"
    )
    services.appeal_sign(actor=persona.chen, appeal_id=appeal.pk)
    services.appeal_conclude(actor=persona.chen, appeal_id=appeal.pk, result="solved", note="已处理")
    with pytest.raises(PermissionDenied):
        answer(persona.chen, appeal)
    assert answer(persona.clara, appeal).state == State.FOLLOWED_UP


def test_the_command_centre_follows_up_what_arrived_on_its_desk(persona, centre):
    from jingmin.appeals.tests.conftest import appeal_input

    appeal, _ = services.appeal_register(
        actor=None, data=appeal_input(channel="web"), intake_unit=persona.bureau
    )
    services.appeal_accept(actor=centre.cora, appeal_id=appeal.pk)
    services.appeal_dispatch(actor=centre.cora, appeal_id=appeal.pk, unit=persona.district_a1)
    services.appeal_sign(actor=persona.oliver, appeal_id=appeal.pk)
    services.appeal_conclude(actor=persona.oliver, appeal_id=appeal.pk, result="solved", note="已处理")
    assert answer(centre.cora, appeal).state == State.FOLLOWED_UP


def test_follow_ups_owed_leave_out_what_the_officer_handled(persona, concluded):
    assert not follow_up_list(actor=persona.oliver).filter(appeal=concluded).exists()
    assert follow_up_list(actor=persona.clara).filter(appeal=concluded).exists()


def test_the_page_refuses_the_handler_before_reading_the_form(persona, concluded):
    url = reverse("appeals:act", args=[concluded.pk, "follow-up"])
    assert signed_in(persona.oliver).post(url, {}).status_code == 403
    html = signed_in(persona.oliver).get(reverse("appeals:detail", args=[concluded.pk])).content.decode()
    assert url not in html
