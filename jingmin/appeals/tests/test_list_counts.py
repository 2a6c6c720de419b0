"""Every list says how many results it has, and the count stays cheap: beyond COUNT_LIMIT rows it
says "more than" instead of counting the rest."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import signed_in
from jingmin.appeals.models import Appeal
from jingmin.appeals.tests.conftest import walk_to
from jingmin.core import paging
from jingmin.core.paging import Count, bounded_count

COUNT = re.compile(r'<p class="list-count" data-count="([0-9+]+)" role="status">([^<]*)</p>')


def shown(html: str) -> tuple[str, str]:
    match = COUNT.search(html)
    assert match, "no count on the page"
    return match.group(1), match.group(2)


def test_a_bounded_count_stops_at_its_limit(persona, register):
    for _ in range(3):
        register()
    assert bounded_count(Appeal.objects.all(), limit=5) == Count(3)
    assert bounded_count(Appeal.objects.all(), limit=2) == Count(2, more=True)


def test_the_count_reads_no_more_rows_than_the_limit(persona, register):
    register()
    with CaptureQueriesContext(connection) as queries:
        bounded_count(Appeal.objects.all(), limit=7)
    assert "LIMIT 8" in queries[-1]["sql"]


@pytest.mark.django_db
def test_the_queue_shows_its_count_in_chinese(persona, register):
    for _ in range(3):
        register()
    client = signed_in(persona.clara)
    assert shown(client.get(reverse("appeals:queue")).content.decode()) == ("3", "共 3 条")


@pytest.mark.django_db
def test_past_the_limit_the_page_says_more_than(persona, register, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 2)
    monkeypatch.setattr(paging.bounded_count, "__defaults__", (2,))
    for _ in range(3):
        register()
    client = signed_in(persona.clara)
    assert shown(client.get(reverse("appeals:queue")).content.decode()) == ("2+", "超过 2 条")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("oliver", "appeals:mine"),
        ("chen", "appeals:supervision"),
        ("clara", "appeals:follow_ups"),
        ("ines", "appeals:reviews"),
        ("audrey", "audit:log"),
        ("oliver", "ledger:index"),
        ("oliver", "ledger:organisations"),
    ],
)
def test_every_list_shows_a_count(persona, register, who, url):
    walk_to(persona, register(), "dispatched")
    client = signed_in(getattr(persona, who))
    count, _text = shown(client.get(reverse(url)).content.decode())
    assert count.rstrip("+").isdigit()
