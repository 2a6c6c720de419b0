"""Visit plans per police district: the chief sets how often every household is to be visited,
which moves the coverage window at once; each change is kept and audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.visits import services
from jingmin.visits.coverage import coverage_by_district
from jingmin.visits.models import VisitPlan
from jingmin.visits.selectors import current_months, months_before


def a1_covered(persona) -> int:
    return coverage_by_district([persona.district_a1.pk])[persona.district_a1.pk].covered


def test_a_shorter_plan_shrinks_the_window(persona, world, record, settings):
    settings.VISIT_PLAN_DEFAULT_MONTHS = 6
    with time_machine.travel(timezone.now() - timedelta(days=120)):
        record(household=world.a1[0].pk)
    record(household=world.a1[1].pk)
    assert a1_covered(persona) == 2
    services.plan_set(actor=persona.chen, district_id=persona.district_a1.pk, months=3)
    assert current_months([persona.district_a1.pk]) == {persona.district_a1.pk: 3}
    assert a1_covered(persona) == 1
    services.plan_set(actor=persona.chen, district_id=persona.district_a1.pk, months=12)
    assert a1_covered(persona) == 2
    # The history of the plan is kept, newest first; the other districts keep the default.
    assert list(
        VisitPlan.objects.filter(district=persona.district_a1)
        .order_by("-set_at", "-id")
        .values_list("months", flat=True)
    ) == [12, 3]
    assert current_months([persona.district_a2.pk]) == {persona.district_a2.pk: 6}
    audit = AuditEntry.objects.filter(action="visits.plan_set").order_by("pk").last()
    assert audit is not None and audit.detail == {"months": [3, 12]}


def test_setting_the_plan_in_force_again_adds_nothing(persona):
    services.plan_set(actor=persona.chen, district_id=persona.district_a1.pk, months=4)
    assert services.plan_set(actor=persona.chen, district_id=persona.district_a1.pk, months=4) is None
    assert VisitPlan.objects.count() == 1


@pytest.mark.parametrize("months", [0, 37, "3", 2.5, None, True])
def test_a_plan_is_a_whole_number_of_months(persona, months):
    with pytest.raises(ServiceError) as caught:
        services.plan_set(actor=persona.chen, district_id=persona.district_a1.pk, months=months)
    assert caught.value.field == "months"
    assert VisitPlan.objects.count() == 0


def test_only_a_chief_sets_the_plans_of_his_own_districts(persona):
    with pytest.raises(PermissionDenied):
        services.plan_set(actor=persona.oliver, district_id=persona.district_a1.pk, months=3)
    with pytest.raises(Http404):
        services.plan_set(actor=persona.chen, district_id=persona.district_b1.pk, months=3)
    with pytest.raises(Http404):
        services.plan_set(actor=persona.chen, district_id=persona.station_a.pk, months=3)
    assert VisitPlan.objects.count() == 0


def test_the_window_starts_at_the_start_of_the_day_whole_months_ago():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    moment = datetime(2026, 8, 31, 15, 20, tzinfo=shanghai)
    assert months_before(moment, 6) == datetime(2026, 2, 28, tzinfo=shanghai)
    assert months_before(moment, 12) == datetime(2025, 8, 31, tzinfo=shanghai)
    assert months_before(datetime(2026, 1, 15, 1, 0, tzinfo=shanghai), 1) == datetime(
        2025, 12, 15, tzinfo=shanghai
    )
