"""The visit form as a phone posts it: a household picked from the search or named in the link,
news and follow-ups as formset rows, errors beside their fields, and a second sending of the same
form recording nothing more."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.appeals.models import Appeal, Category
from jingmin.visits.models import Visit, VisitFollowUp, VisitItem


def form_data(household: int, **extra) -> dict[str, str]:
    data = {
        "submission_key": "page-key-1",
        "household": str(household),
        "kind": "household",
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "入户走访，了解家庭近况。",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-kind": "birth",
        "items-0-text": "家中添了一个男孩",
        "items-1-kind": "",
        "items-1-text": "",
        "follow_ups-TOTAL_FORMS": "1",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-0-kind": "",
        "follow_ups-0-text": "",
        "follow_ups-0-appeal_type": "help",
    }
    data.update(extra)
    return data


def test_the_form_opens_on_the_household_of_the_link(persona, world):
    client = signed_in(persona.oliver)
    response = client.get(reverse("visits:record"), {"household": world.a1[0].pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert world.a1[0].house.address.full_name in page
    assert "王*" in page and "王1" not in page  # the head's name masked
    assert f'name="household" value="{world.a1[0].pk}"' in page


def test_the_search_finds_households_of_the_officers_district_only(persona, world):
    client = signed_in(persona.oliver)
    response = client.get(reverse("visits:household_search"), {"q": "幸福路3号"})
    page = response.content.decode()
    assert f'data-household="{world.a1[2].pk}"' in page
    assert f'data-household="{world.b1[2 - 1].pk}"' not in page
    assert "TB11" not in page


def test_a_visit_with_news_is_recorded_and_a_second_sending_adds_nothing(persona, world):
    client = signed_in(persona.oliver)
    data = form_data(world.a1[0].pk)
    response = client.post(reverse("visits:record"), data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert response["Location"] == reverse("visits:detail", args=[visit.pk])
    assert list(VisitItem.objects.values_list("kind", "text")) == [("birth", "家中添了一个男孩")]
    again = client.post(reverse("visits:record"), data)
    assert again.status_code == 302 and Visit.objects.count() == 1


def test_after_recording_the_officer_goes_back_where_he_came_from(persona, world):
    client = signed_in(persona.oliver)
    back = f"{reverse('visits:coverage')}?unit={persona.district_a1.pk}"
    response = client.post(reverse("visits:record"), {**form_data(world.a1[0].pk), "next": back})
    assert response["Location"] == back
    evil = client.post(
        reverse("visits:record"),
        {**form_data(world.a1[1].pk, submission_key="k2"), "next": "https://evil.example/"},
    )
    assert evil["Location"] == reverse("visits:detail", args=[Visit.objects.get(household=world.a1[1]).pk])


def test_errors_are_shown_beside_their_fields_and_nothing_is_recorded(persona, world):
    client = signed_in(persona.oliver)
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("visits:record"), form_data(world.a1[0].pk, visited_at=future))
    assert response.status_code == 400
    assert "走访时间不能晚于当前时间" in response.content.decode()
    response = client.post(
        reverse("visits:record"), form_data(world.a1[0].pk, **{"items-1-kind": "death", "items-1-text": ""})
    )
    assert response.status_code == 400
    page = response.content.decode()
    # The message sits in the second news row, after its text field.
    row = page.split('name="items-1-text"')[1].split("row-card")[0]
    assert 'class="error"' in row
    assert Visit.objects.count() == 0


def test_a_follow_up_appeal_from_the_form(persona, world):
    client = signed_in(persona.oliver)
    category = Category.objects.get(code="order-noise")
    data = form_data(
        world.a1[3].pk,
        **{
            "follow_ups-0-kind": "appeal",
            "follow_ups-0-text": "楼上夜间噪音，邻居多次反映",
            "follow_ups-0-appeal_type": "complaint",
            "follow_ups-0-category": str(category.pk),
        },
    )
    assert client.post(reverse("visits:record"), data).status_code == 302
    follow_up = VisitFollowUp.objects.get()
    assert follow_up.appeal == Appeal.objects.get(channel="visit")


def test_olga_gets_a_404_for_a_household_of_olivers_district(persona, world):
    client = signed_in(persona.olga)
    assert client.get(reverse("visits:record"), {"household": world.a1[0].pk}).status_code == 404
    assert client.post(reverse("visits:record"), form_data(world.a1[0].pk)).status_code == 404
    assert Visit.objects.count() == 0


def test_the_clerk_has_no_visit_form(persona, world):
    client = signed_in(persona.clara)
    assert client.get(reverse("visits:record")).status_code == 403
