"""Appeals in every state, made through the services the product uses.

`walk(appeal, state)` drives a fresh appeal along the usual path (Clara registers and dispatches
to Oliver's district, Oliver signs, contacts and concludes, Clara records the follow-up) and stops
at the state asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Personas, make_user
from jingmin.appeals import services
from jingmin.appeals.models import Appeal, Category, State
from jingmin.org.models import User
from jingmin.org.roles import Role


def appeal_input(**overrides) -> services.AppealInput:
    fields: dict[str, Any] = {
        "channel": "phone",
        "type": "help",
        "category": Category.objects.get(code="order-noise"),
        "title": "楼上深夜噪音扰民",
        "content": "东门小区3栋楼上每晚12点后装修噪音，影响休息。",
        "urgency": "general",
        "address": "东门小区3栋2单元",
        "citizen_name": "王小明",
        "citizen_phone": "13812345678",
    }
    fields.update(overrides)
    return services.AppealInput(**fields)


@pytest.fixture
def register(persona: Personas) -> Callable[..., Appeal]:
    def make(actor: User | None = None, **overrides) -> Appeal:
        appeal, _created = services.appeal_register(
            actor=actor or persona.clara, data=appeal_input(**overrides)
        )
        return appeal

    return make


PATH = [
    State.SUBMITTED,
    State.ACCEPTED,
    State.DISPATCHED,
    State.SIGNED,
    State.HANDLING,
    State.CONCLUDED,
    State.FOLLOWED_UP,
    State.ARCHIVED,
]


def walk_to(p: Personas, appeal: Appeal, state: str) -> Appeal:
    """Drive `appeal` along the usual path to `state` (see the module's docstring)."""
    pk = appeal.pk
    if state == State.REJECTED:
        return services.appeal_reject(actor=p.clara, appeal_id=pk, reason="重复诉求")
    if state == State.MERGED:
        other, _ = services.appeal_register(actor=p.clara, data=appeal_input(title="另一件"))
        return services.appeal_merge(actor=p.clara, appeal_id=pk, into=other.pk)
    for target in PATH[1 : PATH.index(State(state)) + 1]:
        if target == State.ACCEPTED:
            appeal = services.appeal_accept(actor=p.clara, appeal_id=pk)
        elif target == State.DISPATCHED:
            appeal = services.appeal_dispatch(actor=p.clara, appeal_id=pk, unit=p.district_a1)
        elif target == State.SIGNED:
            appeal = services.appeal_sign(actor=p.oliver, appeal_id=pk)
        elif target == State.HANDLING:
            appeal = services.appeal_contact(actor=p.oliver, appeal_id=pk, note="电话联系，约定上门")
        elif target == State.CONCLUDED:
            appeal = services.appeal_conclude(
                actor=p.oliver, appeal_id=pk, result="solved", note="已上门调解，噪音停止"
            )
        elif target == State.FOLLOWED_UP:
            appeal = services.appeal_follow_up(actor=p.clara, appeal_id=pk, resolved=True, satisfaction=5)
        elif target == State.ARCHIVED:
            appeal = services.appeal_archive(actor=p.clara, appeal_id=pk)
    return appeal


@pytest.fixture
def walk(persona: Personas) -> Callable[[Appeal, str], Appeal]:
    def step(appeal: Appeal, state: str) -> Appeal:
        return walk_to(persona, appeal, state)

    return step


@pytest.fixture
def oscar(persona: Personas) -> User:
    """A second officer of district A1, Oliver's colleague."""
    return make_user("oscar", persona.district_a1, Role.OFFICER, "欧思卡")
