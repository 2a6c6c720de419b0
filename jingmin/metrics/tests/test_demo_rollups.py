"""The demo bureau is loaded in bulk, past the services that keep the indicators' roll-ups: the
load counts them once, so the demo's dashboards read the roll-ups as production does, and what
they read equals a fresh count from the records."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from jingmin.metrics import rollup
from jingmin.metrics.registry import LOCAL_TZ, Period


@pytest.mark.django_db
def test_the_demo_load_counts_the_rollups_and_they_match_the_records(_fast_hasher):
    call_command("seed_demo", "--seed", "3", "--appeals", "300")
    assert rollup.ready()
    today = timezone.now().astimezone(LOCAL_TZ).date()
    first = today.replace(day=1)
    last_month = Period((first - dt.timedelta(days=1)).replace(day=1), first - dt.timedelta(days=1))
    this_month = Period(first, today)
    assert list(rollup.differences([last_month, this_month])) == []
