"""The dispute register's list says how many disputes it holds, as every list does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import signed_in
from jingmin.disputes.tests.conftest import register

pytestmark = pytest.mark.django_db


def test_chen_sees_how_many_disputes_his_station_holds(persona, ledger_a1):
    for title in ("楼道堆物", "宠物扰民"):
        register(persona.oliver, persona.district_a1.pk, title=title)
    page = signed_in(persona.chen).get(reverse("disputes:list"))
    assert page.status_code == 200
    assert page.context["total"].value == 2
    assert 'data-count="2"' in page.content.decode()
    # Olga's station holds none of them: her list counts nothing.
    other = signed_in(persona.olga).get(reverse("disputes:list"))
    assert 'data-count="0"' in other.content.decode() and other.context["total"].value == 0
