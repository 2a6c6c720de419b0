"""Each step of the life cycle has its endpoint: it reaches its state, appends its event and answers
the appeal; from a state the step does not start from it answers 409 with the reason."""

from __future__ import annotations

import pytest

from jingmin.api.serializers import API_ACTIONS
from jingmin.api.tests.conftest import act, api_as
from jingmin.appeals.models import AppealEvent, State


def prepare(p, register, walk, dissatisfied, action):
    """(actor, appeal, body, the state it should reach) for a step that is allowed."""
    if action in ("accept", "reject", "merge"):
        appeal = register()
    elif action == "dispatch":
        appeal = walk(register(), State.ACCEPTED)
    elif action in ("sign", "supervise"):
        appeal = walk(register(), State.DISPATCHED)
    elif action in ("contact", "transfer", "return"):
        appeal = walk(register(), State.SIGNED)
    elif action == "conclude":
        appeal = walk(register(), State.HANDLING)
    elif action == "follow-up":
        appeal = walk(register(), State.CONCLUDED)
    elif action == "archive":
        appeal = walk(register(), State.FOLLOWED_UP)
    elif action == "review":
        appeal = dissatisfied()
    else:
        appeal = dissatisfied(reviewed=True)
    other = register(title="同一楼栋噪音") if action == "merge" else None
    return {
        "accept": (p.clara, appeal, {"note": "属公安职责"}, State.ACCEPTED),
        "reject": (p.clara, appeal, {"reason": "非警务事项"}, State.REJECTED),
        "dispatch": (
            p.clara,
            appeal,
            {"unit": p.district_a1.pk, "assist_units": [p.district_a2.pk]},
            State.DISPATCHED,
        ),
        "sign": (p.oliver, appeal, {}, State.SIGNED),
        "contact": (p.oliver, appeal, {"note": "电话联系，约定上门"}, State.HANDLING),
        "transfer": (p.oliver, appeal, {"unit": p.district_a2.pk, "reason": "属地不符"}, State.DISPATCHED),
        "return": (p.oliver, appeal, {"reason": "职能交叉"}, State.ACCEPTED),
        "conclude": (p.oliver, appeal, {"result": "solved", "note": "已上门调解"}, State.CONCLUDED),
        "follow-up": (
            p.clara,
            appeal,
            {"resolved": True, "satisfaction": 5, "note": "满意"},
            State.FOLLOWED_UP,
        ),
        # A reasonable demand reopens the appeal in the same call.
        "review": (p.li, appeal, {"reasonable": True, "note": "诉求合理"}, State.HANDLING),
        "reopen": (p.li, appeal, {"reason": "群众再次反映"}, State.HANDLING),
        "supervise": (p.chen, appeal, {"note": "今日内联系群众"}, State.DISPATCHED),
        "merge": (p.clara, appeal, {"into": other.pk if other else None}, State.MERGED),
        "archive": (p.clara, appeal, {}, State.ARCHIVED),
    }[action]


@pytest.mark.parametrize("action", API_ACTIONS)
def test_each_step_reaches_its_state(persona, register, walk, dissatisfied, action):
    actor, appeal, body, target = prepare(persona, register, walk, dissatisfied, action)
    events_before = AppealEvent.objects.filter(appeal=appeal).count()

    response = act(api_as(actor), appeal, action, body)

    assert response.status_code == 200, response.json()
    data = response.json()
    appeal.refresh_from_db()
    assert data["id"] == appeal.pk
    assert data["state"] == appeal.state == target
    last = AppealEvent.objects.filter(appeal=appeal).order_by("-seq")
    assert last.count() > events_before
    # Review then reopen are two events; every other step is one.
    assert last.filter(action=action, actor=actor).exists()


def test_the_answers_carry_what_each_step_set(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    data = act(
        api_as(persona.clara),
        appeal,
        "dispatch",
        {"unit": persona.district_a1.pk, "assist_units": [persona.district_b1.pk]},
    ).json()
    assert data["unit"] == persona.district_a1.pk and data["unit_name"] == "东门警务区"
    assert data["assist_units"] == [persona.district_b1.pk]
    assert data["sign_by"] is not None

    data = act(api_as(persona.oliver), appeal, "sign").json()
    assert data["handler"] == persona.oliver.pk and data["handler_name"] == "欧立文"

    data = act(
        api_as(persona.oliver), appeal, "transfer", {"unit": persona.district_a2.pk, "reason": "属地不符"}
    ).json()
    assert data["handoffs"] == 1 and data["handler"] is None and data["unit"] == persona.district_a2.pk

    other = register(title="另一件")
    merged = register(title="重复")
    data = act(api_as(persona.clara), merged, "merge", {"into": other.pk}).json()
    assert data["merged_into"] == other.pk

    data = act(api_as(persona.chen), other, "supervise", {"note": "限期办结"}).json()
    assert data["supervised"] is True


def test_conclude_records_the_result(persona, register, walk):
    appeal = walk(register(), State.HANDLING)
    data = act(
        api_as(persona.oliver), appeal, "conclude", {"result": "explained", "note": "已解释政策"}
    ).json()
    assert data["result"] == "explained" and data["result_note"] == "已解释政策"


def test_an_unreasonable_review_leaves_it_followed_up(persona, dissatisfied):
    appeal = dissatisfied()
    data = act(api_as(persona.ines), appeal, "review", {"reasonable": False, "note": "诉求不合理"}).json()
    assert data["state"] == State.FOLLOWED_UP


def not_allowed(p, register, walk, dissatisfied, action):
    """(actor, appeal, body) for a step the actor may take, but not from the appeal's state."""
    submitted = register
    if action in ("accept", "reject"):
        return p.clara, walk(register(), State.ACCEPTED), {"note": "x", "reason": "x"}
    if action == "dispatch":
        return p.clara, submitted(), {"unit": p.district_a1.pk}
    if action == "sign":
        return p.oliver, walk(register(), State.SIGNED), {}
    if action == "contact":
        return p.oliver, walk(register(), State.DISPATCHED), {"note": "x"}
    if action == "transfer":
        return p.clara, submitted(), {"unit": p.district_a2.pk, "reason": "x"}
    if action == "return":
        return p.oliver, walk(register(), State.CONCLUDED), {"reason": "x"}
    if action == "conclude":
        return p.oliver, walk(register(), State.DISPATCHED), {"result": "solved", "note": "x"}
    if action == "follow-up":
        return p.clara, walk(register(), State.HANDLING), {"resolved": True, "satisfaction": 5}
    if action in ("review", "reopen"):
        return p.li, walk(register(), State.CONCLUDED), {"reasonable": True, "note": "x", "reason": "x"}
    if action == "supervise":
        return p.chen, walk(register(), State.CONCLUDED), {"note": "x"}
    if action == "merge":
        other = register(title="另一件")
        return p.clara, walk(register(), State.REJECTED), {"into": other.pk}
    return p.clara, walk(register(), State.HANDLING), {}


@pytest.mark.parametrize("action", API_ACTIONS)
def test_a_step_from_the_wrong_state_answers_409_and_changes_nothing(
    persona, register, walk, dissatisfied, action
):
    actor, appeal, body = not_allowed(persona, register, walk, dissatisfied, action)
    state = appeal.state
    events = AppealEvent.objects.filter(appeal=appeal).count()

    response = act(api_as(actor), appeal, action, body)

    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "transition_not_allowed"
    assert data["detail"]
    appeal.refresh_from_db()
    assert appeal.state == state
    assert AppealEvent.objects.filter(appeal=appeal).count() == events


def test_the_409_says_why_in_the_persons_language(persona, register, walk, settings):
    appeal = walk(register(), State.SIGNED)
    client = api_as(persona.chen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = act(client, appeal, "sign")
    assert response.status_code == 409
    # The domain's own explanation: who already signed, and when.
    assert response.json()["detail"].startswith("欧立文 already signed for this appeal at ")
