"""The signal list says how many signals it holds, as every list does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import signed_in
from jingmin.warnings.tests.conftest import appeal, scan

pytestmark = pytest.mark.django_db


def test_chen_sees_how_many_open_signals_his_station_has(persona, settings):
    settings.WARNING_REPEAT_MIN = 3
    settings.WARNING_REPEAT_DAYS = 30
    for i in range(3):
        scan("appeal", appeal(persona, address=f"不同地址{i}号").pk)
    page = signed_in(persona.chen).get(reverse("warnings:list"))
    assert page.status_code == 200
    shown = len(page.context["signals"])
    assert shown >= 1 and page.context["total"].value == shown
    assert f'data-count="{shown}"' in page.content.decode()
