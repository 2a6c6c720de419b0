"""Every appeal, whatever channel brought it and whatever state it is in, has at least one active
account able to take its next step."""

from __future__ import annotations

import pytest

from jingmin.appeals import services
from jingmin.appeals.attention import NEXT_STEPS, able_to_act
from jingmin.appeals.models import Appeal, Channel, State
from jingmin.appeals.tests.conftest import appeal_input

STAFF_CHANNELS = [Channel.WINDOW, Channel.PHONE, Channel.HOTLINE_110, Channel.HOTLINE_12345]


def arrive(persona, centre, channel: str) -> Appeal:
    if channel == Channel.VISIT:
        # An officer on a household visit writes down what the family asks for.
        appeal, _ = services.appeal_register(actor=persona.oliver, data=appeal_input(channel=channel))
    elif channel in (Channel.WEB, Channel.OPEN311):
        # The portal's "不确定" and a partner sending to the bureau name no station.
        appeal, _ = services.appeal_register(
            actor=None, data=appeal_input(channel=channel), intake_unit=persona.bureau
        )
    else:
        appeal, _ = services.appeal_register(actor=persona.clara, data=appeal_input(channel=channel))
    return appeal


def intake_clerk(persona, centre, appeal: Appeal):
    return centre.cora if appeal.unit_id == centre.unit.pk else persona.clara


def assert_someone_can_act(appeal: Appeal, seen: set[str]) -> None:
    appeal.refresh_from_db()
    able = able_to_act(appeal)
    assert able, f"{appeal.get_channel_display()} appeal {appeal.state}: no one can take its next step"
    seen.add(appeal.state)


@pytest.mark.parametrize("channel", [c.value for c in Channel])
def test_every_state_of_every_channel_has_someone_to_act(persona, centre, channel):
    seen: set[str] = set()
    p = persona
    appeal = arrive(p, centre, channel)
    clerk = intake_clerk(p, centre, appeal)
    assert_someone_can_act(appeal, seen)
    services.appeal_accept(actor=clerk, appeal_id=appeal.pk)
    assert_someone_can_act(appeal, seen)
    # Station B has no clerk and no chief: its district's officer is all there is.
    services.appeal_dispatch(actor=clerk, appeal_id=appeal.pk, unit=p.district_b1)
    assert_someone_can_act(appeal, seen)
    services.appeal_return(actor=p.olga, appeal_id=appeal.pk, reason="属地不符")
    assert_someone_can_act(appeal, seen)
    services.appeal_dispatch(actor=clerk, appeal_id=appeal.pk, unit=p.district_a1)
    services.appeal_sign(actor=p.oliver, appeal_id=appeal.pk)
    assert_someone_can_act(appeal, seen)
    services.appeal_contact(actor=p.oliver, appeal_id=appeal.pk, note="电话联系")
    assert_someone_can_act(appeal, seen)
    services.appeal_conclude(actor=p.oliver, appeal_id=appeal.pk, result="solved", note="已处理")
    assert_someone_can_act(appeal, seen)
    services.appeal_follow_up(actor=clerk, appeal_id=appeal.pk, resolved=False, satisfaction=1)
    assert_someone_can_act(appeal, seen)
    services.appeal_review(actor=p.ines, appeal_id=appeal.pk, reasonable=True, note="诉求合理")
    assert_someone_can_act(appeal, seen)
    assert seen == set(NEXT_STEPS), "the walk passed through every state that owes a step"


def test_a_station_without_clerks_leaves_its_submitted_appeal_to_no_one(persona):
    appeal = services.appeal_register(actor=persona.clara, data=appeal_input())[0]
    persona.clara.is_active = False
    persona.clara.save()
    persona.chen.is_active = False
    persona.chen.save()
    assert able_to_act(appeal) == []


def test_a_closed_appeal_owes_no_step(persona, register, walk):
    assert able_to_act(walk(register(), State.ARCHIVED)) == []
