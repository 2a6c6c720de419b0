"""The intake form with routing: while Clara types, the suggestion and the likely duplicates
appear under the citizen's words; what was shown is recorded with the registration, with whether
she took it; a retried submission records it once."""

from __future__ import annotations

import re

from django.urls import reverse

from conftest import signed_in
from jingmin.appeals.models import Appeal, Category
from jingmin.appeals.tests.test_pages_intake import form_data
from jingmin.routing.models import Suggestion

TEXT = {
    "title": "楼上邻居深夜装修噪音扰民",
    "content": "我住在西门花园5栋，每天晚上11点以后还在敲打，吵得睡不着。",
}


def suggest(client, **data):
    return client.post(reverse("routing:suggest"), data, HTTP_HX_REQUEST="true")


def test_the_intake_form_asks_for_suggestions_with_the_words_only(persona):
    html = signed_in(persona.clara).get(reverse("appeals:new")).content.decode()
    container = re.search(r'<div id="routing-suggest"[^>]*>', html)
    assert container is not None
    tag = container.group(0)
    assert f'hx-post="{reverse("routing:suggest")}"' in tag
    assert 'hx-params="title,content,address,district,urgency,citizen_phone"' in tag
    assert "from:#id_title" in tag and "from:#id_content" in tag
    # Inside the form, so that the suggestion's hidden inputs are sent with it.
    assert html.index('id="intake-form"') < html.index('id="routing-suggest"') < html.rindex("</form>")


def test_the_fragment_shows_the_suggestion_with_one_tap_to_apply(persona, active_model):
    response = suggest(signed_in(persona.clara), district=str(persona.district_a2.pk), **TEXT)
    html = response.content.decode()
    noise = Category.objects.get(code="order-noise")
    assert response.status_code == 200
    assert f'name="routing_model" value="{active_model.pk}"' in html
    assert f'name="routing_category" value="{noise.pk}"' in html
    assert f'data-apply-field="id_category" data-apply-value="{noise.pk}"' in html
    assert f'data-apply-field="id_dispatch_to" data-apply-value="{persona.district_a2.pk}"' in html
    assert re.search(r'class="confidence">[^<]*\d{2,3}%', html)


def test_nothing_is_shown_below_the_floor(persona, active_model, settings):
    settings.ROUTING_MIN_CONFIDENCE = 1.01
    html = suggest(signed_in(persona.clara), **TEXT).content.decode()
    assert "routing_model" not in html and "data-apply-field" not in html


def test_likely_duplicates_are_listed_with_a_link_each(persona):
    client = signed_in(persona.clara)
    client.post(reverse("appeals:new"), form_data(client, district=str(persona.district_a1.pk)))
    earlier = Appeal.objects.get()
    html = suggest(
        client,
        title="东门小区楼上深夜噪音",
        content="东门小区3栋楼上每晚12点后装修噪音，影响休息。",
        district=str(persona.district_a1.pk),
    ).content.decode()
    assert f'href="{reverse("appeals:detail", args=[earlier.pk])}"' in html
    assert earlier.tracking_code in html


def test_a_district_outside_the_clerks_scope_is_ignored(persona):
    client = signed_in(persona.clara)
    response = suggest(client, district=str(persona.district_b1.pk), **TEXT)
    assert response.status_code == 200
    assert response.context["district"] is None


def test_only_intake_staff_may_ask(persona):
    assert suggest(signed_in(persona.oliver), **TEXT).status_code == 403
    assert signed_in(persona.clara).get(reverse("routing:suggest")).status_code == 405


def shown(model, *, category=None, unit=None) -> dict[str, str]:
    data = {"routing_model": str(model.pk)}
    if category is not None:
        data |= {"routing_category": str(category.pk), "routing_category_confidence": "0.8312"}
    if unit is not None:
        data |= {"routing_unit": str(unit.pk), "routing_unit_confidence": "0.7000"}
    return data


def test_a_suggestion_taken_is_recorded_with_the_registration(persona, active_model):
    client = signed_in(persona.clara)
    noise = Category.objects.get(code="order-noise")
    data = form_data(client, dispatch_to=str(persona.district_a1.pk))
    data |= shown(active_model, category=noise, unit=persona.district_a1)
    client.post(reverse("appeals:new"), data)
    client.post(reverse("appeals:new"), data)  # the same form again: nothing twice

    record = Suggestion.objects.get()
    appeal = Appeal.objects.get()
    assert record.appeal == appeal and record.model == active_model and record.actor == persona.clara
    assert record.category == noise and record.category_taken is True and record.category_confidence == 0.8312
    assert record.unit == persona.district_a1 and record.unit_taken is True
    assert record.chosen_unit == persona.district_a1 and record.unit_path == persona.station_a.path


def test_a_suggestion_overridden_is_recorded_as_such(persona, active_model):
    client = signed_in(persona.clara)
    fraud = Category.objects.get(code="fraud-telecom")
    data = form_data(client, dispatch_to=str(persona.district_a1.pk))
    data |= shown(active_model, category=fraud, unit=persona.district_a2)
    client.post(reverse("appeals:new"), data)
    record = Suggestion.objects.get()
    assert record.category_taken is False and record.chosen_category.code == "order-noise"
    assert record.unit_taken is False and record.chosen_unit == persona.district_a1


def test_a_unit_suggested_but_not_dispatched_at_intake_is_undecided(persona, active_model):
    client = signed_in(persona.clara)
    client.post(reverse("appeals:new"), form_data(client) | shown(active_model, unit=persona.district_a1))
    record = Suggestion.objects.get()
    assert record.category is None and record.category_taken is None
    assert record.unit == persona.district_a1 and record.unit_taken is None


def test_no_suggestion_shown_records_nothing_and_a_forged_one_is_ignored(persona, active_model):
    client = signed_in(persona.clara)
    client.post(reverse("appeals:new"), form_data(client))
    forged = form_data(client, title="另一件事") | {"routing_model": "999", "routing_category": "1"}
    response = client.post(reverse("appeals:new"), forged)
    assert response.status_code == 302 and Appeal.objects.count() == 2
    assert not Suggestion.objects.exists()


def test_after_registering_a_likely_duplicate_can_be_merged_in_one_tap(persona):
    client = signed_in(persona.clara)
    client.post(reverse("appeals:new"), form_data(client, district=str(persona.district_a1.pk)))
    earlier = Appeal.objects.get()
    response = client.post(reverse("appeals:new"), form_data(client, district=str(persona.district_a1.pk)))
    page = client.get(response["Location"]).content.decode()
    later = Appeal.objects.exclude(pk=earlier.pk).get()
    action = reverse("appeals:act", args=[later.pk, "merge"])
    assert f'action="{action}"' in page
    assert f'name="merge-into" value="{earlier.tracking_code}"' in page

    client.post(action, {"merge-into": earlier.tracking_code})
    later.refresh_from_db()
    assert later.state == "merged" and later.merged_into == earlier
