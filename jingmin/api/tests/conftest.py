"""API clients for the named personas, and appeals in the states the tests need.

The personas are the root conftest's; `register` and `walk` are the appeals domain's own fixtures,
so an appeal reaches a state here exactly the way the product takes it there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import Personas
from jingmin.appeals import services
from jingmin.appeals.models import Appeal, State
from jingmin.appeals.tests.conftest import register, walk  # noqa: F401 (fixtures shared with the domain's tests)
from jingmin.org.models import User


def api_as(user: User) -> APIClient:
    """A client that presents `user`'s token, as a program would after POST /api/v1/auth/token/."""
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def act(
    client: APIClient, appeal: Appeal | int, action: str, body: dict[str, Any] | None = None, **headers: str
):
    pk = appeal.pk if isinstance(appeal, Appeal) else appeal
    url = reverse(f"api:appeal_{action.replace('-', '_')}", args=[pk])
    return client.post(url, body or {}, format="json", headers=headers)


@pytest.fixture
def dissatisfied(persona: Personas, register, walk) -> Callable[..., Appeal]:  # noqa: F811
    """A followed-up appeal whose citizen was not satisfied: its answer awaits review."""

    def make(*, reviewed: bool = False) -> Appeal:
        appeal = walk(register(), State.CONCLUDED)
        appeal = services.appeal_follow_up(
            actor=persona.clara, appeal_id=appeal.pk, resolved=False, satisfaction=1, note="仍有噪音"
        )
        if reviewed:
            appeal = services.appeal_review(
                actor=persona.li, appeal_id=appeal.pk, reasonable=False, note="诉求超出职责范围"
            )
        return appeal

    return make
