"""The coverage page, today's plan, the tasks list and the plans page, as each persona sees them."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.visits import services
from jingmin.visits.models import VisitFollowUp, VisitPlan


def test_oliver_sees_his_districts_coverage_and_the_not_yet_visited_first(persona, world, record):
    record(household=world.a1[0].pk)
    response = signed_in(persona.oliver).get(reverse("visits:coverage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="coverage-percent" data-percent="11"' in page
    listed = page.split('id="coverage-list"')[1].split("</ul>")[0]
    order = [int(pk) for pk in re.findall(r'data-household="(\d+)"', listed)]
    assert order[-1] == world.a1[0].pk and len(order) == 9
    assert f'href="{reverse("visits:record")}?household={world.a1[1].pk}&amp;next=' in page
    assert "王1" not in page and "王*" in page
    assert 'data-tiles=""' in page  # no tile server by default


def test_the_chief_sees_the_station_rolled_up_by_district(persona, world, record):
    record(household=world.a1[0].pk)
    record(actor=persona.chen, household=world.a2[0].pk)
    page = signed_in(persona.chen).get(reverse("visits:coverage")).content.decode()
    assert 'data-percent="16"' in page  # 2 of 12
    assert f'data-unit="{persona.district_a1.pk}"' in page and f'data-unit="{persona.district_a2.pk}"' in page
    assert 'id="coverage-list"' not in page  # households are listed per district


def test_a_configured_tile_server_is_handed_to_the_map(persona, world, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example"
    page = signed_in(persona.oliver).get(reverse("visits:coverage")).content.decode()
    assert 'data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in page and "© Example" in page


def test_todays_plan_tasks_and_todays_visits(persona, world, record):
    visit = record(
        household=world.a1[0].pk,
        follow_ups=[
            services.FollowUpInput(
                kind="task", text="送去困难补助申请表", due_on=timezone.localdate() + timedelta(days=2)
            )
        ],
    )
    client = signed_in(persona.oliver)
    page = client.get(reverse("visits:today")).content.decode()
    assert page.count('<li class="work-item') >= 8 + 1  # eight households due, one task
    assert f'data-household="{world.a1[0].pk}"' not in page.split('id="plan-list"')[1].split("</ul>")[0]
    assert "送去困难补助申请表" in page
    assert f'data-visit="{visit.pk}"' in page
    task = VisitFollowUp.objects.get()
    response = client.post(reverse("visits:task_done", args=[task.pk]), {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-done="1"' in response.content.decode()
    task.refresh_from_db()
    assert task.done_at is not None


def test_the_chief_sets_a_districts_plan_on_the_plans_page(persona, world):
    client = signed_in(persona.chen)
    page = client.get(reverse("visits:plans")).content.decode()
    assert (
        f'data-district="{persona.district_a1.pk}"' in page
        and f'data-district="{persona.district_b1.pk}"' not in page
    )
    prefix = f"d{persona.district_a1.pk}"
    response = client.post(
        reverse("visits:plans"),
        {
            "district_pk": persona.district_a1.pk,
            f"{prefix}-district": persona.district_a1.pk,
            f"{prefix}-months": "3",
        },
    )
    assert response.status_code == 302
    assert VisitPlan.objects.get().months == 3
    bad = client.post(
        reverse("visits:plans"),
        {
            "district_pk": persona.district_a1.pk,
            f"{prefix}-district": persona.district_a1.pk,
            f"{prefix}-months": "99",
        },
    )
    assert bad.status_code == 400 and VisitPlan.objects.count() == 1
    outside = client.post(
        reverse("visits:plans"),
        {
            "district_pk": persona.district_b1.pk,
            f"d{persona.district_b1.pk}-district": persona.district_b1.pk,
            f"d{persona.district_b1.pk}-months": "3",
        },
    )
    assert outside.status_code == 404
    assert signed_in(persona.oliver).get(reverse("visits:plans")).status_code == 403


def test_the_visit_page_and_its_photo(persona, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jingmin.audit.models import AuditEntry
    from jingmin.visits.models import VisitPhoto
    from jingmin.visits.tests.conftest import visit_input

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    visit, _ = services.visit_record(
        actor=persona.oliver,
        data=visit_input(
            household=world.a1[0].pk, items=[services.ItemInput(kind="marriage", text="女儿下月结婚")]
        ),
        photos=[SimpleUploadedFile("a.png", png)],
    )
    client = signed_in(persona.chen)
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert "女儿下月结婚" in page and 'data-action="record"' in page
    photo = VisitPhoto.objects.get()
    response = client.get(reverse("visits:photo", args=[photo.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == png  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="audit.record_read", target_type="visits.visitphoto").count() == 1
    assert signed_in(persona.olga).get(reverse("visits:photo", args=[photo.pk])).status_code == 404
    assert signed_in(persona.olga).get(reverse("visits:detail", args=[visit.pk])).status_code == 404


def test_the_household_visits_list(persona, world, record):
    visit = record(household=world.a1[0].pk)
    record(household=world.a1[1].pk)
    page = signed_in(persona.oliver).get(reverse("visits:household", args=[world.a1[0].pk])).content.decode()
    assert page.count('class="visit-row') == 1 and f'data-visit="{visit.pk}"' in page
    assert signed_in(persona.olga).get(reverse("visits:household", args=[world.a1[0].pk])).status_code == 404
