"""The public statistics on a hand-made set: counts by heading and by station without merged
duplicates, and the three rates as the GUIDE defines them, with k for "fairly satisfied", the
exclusions of reviewed answers, the flag on rates standing on fewer than 20 cases, and the cache."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jingmin.appeals.clocks import ALERT_FIELDS
from jingmin.appeals.models import Appeal, Category, FollowUp, ReviewOutcome, State
from jingmin.metrics.models import IndicatorSettings
from jingmin.portal import statistics
from jingmin.portal.tests.conftest import registered

N = 0


def appeal(persona, code: str, unit, *, days_ago: int = 10, **fields):
    a = registered(persona, category=Category.objects.get(code=code))
    received = timezone.now() - timedelta(days=days_ago)
    if fields.get("is_open") is False:
        # A closed appeal owes no alert, as the service leaves it.
        fields.update(dict.fromkeys(ALERT_FIELDS))
    Appeal.objects.filter(pk=a.pk).update(received_at=received, unit=unit, unit_path=unit.path, **fields)
    return a


def follow_up(a, *, resolved, satisfaction, review=ReviewOutcome.NONE, answered=True):
    global N
    N += 1
    now = timezone.now()
    return FollowUp.objects.create(
        appeal=a,
        round=1,
        due_at=now,
        token_hash=f"stat-token-{N}",
        token_expires_at=now + timedelta(days=30),
        answered_at=now if answered else None,
        resolved=resolved if answered else None,
        satisfaction=satisfaction if answered else None,
        review=review,
    )


@pytest.fixture
def hand_made(persona):
    p = persona
    now = timezone.now()
    early, late, past, future = (
        now - timedelta(days=9, hours=20),
        now - timedelta(days=5),
        now - timedelta(days=1),
        now + timedelta(days=1),
    )
    sent = {"dispatcher_unit": p.station_a, "state": State.HANDLING}
    # Signed and contacted within their clocks.
    a1 = appeal(
        p,
        "order-noise",
        p.district_a1,
        sign_by=late,
        signed_at=early,
        contact_by=late,
        contacted_at=early,
        **sent,
    )
    # Signed after the sign-for clock ran out.
    a2 = appeal(p, "order-noise", p.district_a1, sign_by=early, signed_at=late, **sent, contact_by=None)
    # Signed in time, but the citizen never contacted and the clock has run out.
    a3 = appeal(
        p,
        "traffic-parking",
        p.district_b1,
        sign_by=late,
        signed_at=early,
        contact_by=past,
        contacted_at=None,
        **sent,
    )
    # Signed in time, the contact clock still running: not counted yet.
    a4 = appeal(
        p,
        "traffic-parking",
        p.district_b1,
        sign_by=late,
        signed_at=early,
        contact_by=future,
        contacted_at=None,
        **sent,
    )
    # Never dispatched: still at the bureau.
    a5 = appeal(p, "fraud-telecom", p.bureau, contact_by=None)
    # A merged duplicate: not counted anywhere.
    appeal(
        p,
        "order-noise",
        p.district_a1,
        state=State.MERGED,
        is_open=False,
        due_at=None,
        merged_into=a1,
        dispatcher_unit=p.station_a,
        sign_by=past,
    )
    # Received before the period.
    a7 = appeal(p, "order-noise", p.district_a1, days_ago=400, **sent, sign_by=late, signed_at=late)
    # No phone, so no contact clock; signed in time.
    a8 = appeal(p, "order-noise", p.district_a2, sign_by=late, signed_at=early, contact_by=None, **sent)

    follow_up(a1, resolved=True, satisfaction=5)
    follow_up(a2, resolved=True, satisfaction=4)
    follow_up(a3, resolved=False, satisfaction=3)
    follow_up(a4, resolved=False, satisfaction=1, review=ReviewOutcome.UNREASONABLE)
    follow_up(a8, resolved=False, satisfaction=2, review=ReviewOutcome.PENDING)
    follow_up(a7, resolved=True, satisfaction=3)
    follow_up(a5, resolved=None, satisfaction=None, answered=False)
    return p


def test_the_figures_of_a_hand_made_set(hand_made):
    p = hand_made
    figures = statistics.compute("12m")
    assert figures.total == 6 and figures.merged == 1
    by_category = {row.name: row.count for row in figures.by_category}
    assert by_category["治安管理"] == 3 and by_category["交通管理"] == 2 and by_category["反诈防骗"] == 1
    assert sum(by_category.values()) == 6
    by_station = {row.name: row.count for row in figures.by_station}
    assert by_station == {p.station_a.name: 3, p.station_b.name: 2}
    assert figures.elsewhere == 1

    # Response: a1 and a8 met their clocks, a2 and a3 did not, a4 is still within its clock.
    assert (figures.response.numerator, figures.response.denominator) == (2, 4)
    assert figures.response.percent == 50.0 and figures.response.few
    # Valid answers, counted on the day answered: a1 (resolved, 5), a2 (resolved, 4), a3 (not
    # resolved, 3) and a7 (resolved, 3: the appeal is older, the answer came in the period); a4 was
    # found unreasonable, a8's review is pending, a5 is unanswered.
    assert (figures.resolution.numerator, figures.resolution.denominator) == (3, 4)
    assert figures.resolution.percent == 75.0
    assert figures.satisfaction.denominator == 4 and figures.satisfaction.numerator == pytest.approx(3.0)
    assert figures.satisfaction.percent == 75.0
    assert figures.follow_ups_pending_review == 1 and figures.follow_ups_unreasonable == 1


def test_k_is_the_indicator_setting(hand_made):
    year_ago = timezone.localdate() - timedelta(days=400)
    setting = IndicatorSettings.objects.create(version=1, effective_from=year_ago, k=Decimal("1"))
    assert statistics.compute("12m").satisfaction.percent == 100.0
    IndicatorSettings.objects.filter(pk=setting.pk).update(k=Decimal("0"))
    assert statistics.compute("12m").satisfaction.percent == 50.0


def test_the_portal_and_the_indicators_give_the_same_rates(hand_made):
    from jingmin.metrics.compute import figures
    from jingmin.metrics.registry import Period
    from jingmin.org.scope import Scope

    public = statistics.compute("30d")
    period = Period(timezone.localtime(public.start).date(), timezone.localtime(public.end).date())
    same = {f.key: f for f in figures(scope=Scope.under(hand_made.bureau), period=period)}
    for key in ("response", "resolution", "satisfaction"):
        assert getattr(public, key).percent == float(same[key].value or 0), key


def test_a_shorter_period_counts_less(hand_made):
    Appeal.objects.filter(category__code="fraud-telecom").update(
        received_at=timezone.now() - timedelta(days=45)
    )
    assert statistics.compute("30d").total == 5
    assert statistics.compute("90d").total == 6


def test_the_page_states_the_formulas_and_flags_few_cases(hand_made):
    html = Client().get(reverse("portal:stats")).content.decode()
    assert 'id="rate-response"' in html and 'data-value="50.0"' in html
    assert html.count('data-value="75.0"') == 2
    assert html.count('class="few"') == 3
    assert 'id="formulas"' in html and "0.5" in html
    assert hand_made.station_a.name in html


def test_the_figures_are_cached_for_a_few_minutes(hand_made, settings):
    first = statistics.public_statistics("12m")
    registered(hand_made)
    assert statistics.public_statistics("12m").total == first.total
    from django.core.cache import cache

    cache.clear()
    assert statistics.public_statistics("12m").total == first.total + 1


def test_an_unknown_period_falls_back_to_twelve_months(hand_made):
    response = Client().get(reverse("portal:stats"), {"period": "'; drop table"})
    assert response.status_code == 200 and response.context["figures"].period == "12m"
