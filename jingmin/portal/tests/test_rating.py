"""Rating on the tracking page: once the officer has concluded the appeal, the citizen answers
the follow-up with a few taps (resolved? how satisfied?) and is thanked; once only."""

from __future__ import annotations

import re

from django.urls import reverse

from jingmin.appeals.models import Action, AppealEvent, FollowUp, FollowUpChannel, ReviewOutcome, State
from jingmin.portal.tests.conftest import concluded, portal_post


def submitted_at_station_a(persona, citizen):
    from jingmin.appeals.models import Appeal

    assert portal_post(citizen, anonymous="on", station=str(persona.station_a.pk)).status_code == 302
    return Appeal.objects.get()


def test_no_rating_before_conclusion(persona, citizen):
    appeal = submitted_at_station_a(persona, citizen)
    url = reverse("portal:track_detail", args=[appeal.tracking_code])
    assert 'id="rating"' not in citizen.get(url).content.decode()
    response = citizen.post(
        reverse("portal:rate", args=[appeal.tracking_code]), {"resolved": "1", "satisfaction": "5"}
    )
    assert response.status_code == 302
    assert not FollowUp.objects.exists()
    assert not AppealEvent.objects.filter(appeal=appeal, action=Action.FOLLOW_UP).exists()


def test_the_citizen_rates_after_the_officer_concludes(persona, citizen):
    appeal = submitted_at_station_a(persona, citizen)
    concluded(persona, appeal)
    url = reverse("portal:track_detail", args=[appeal.tracking_code])
    html = citizen.get(url).content.decode()
    assert 'id="rating"' in html
    assert re.findall(r'name="satisfaction" value="(\d)"', html) == ["5", "4", "3", "2", "1"]

    response = citizen.post(
        reverse("portal:rate", args=[appeal.tracking_code]),
        {"resolved": "1", "satisfaction": "4", "note": "谢谢"},
    )
    assert response.status_code == 302 and response["Location"] == f"{url}?rated=1#thanks"
    thanks = citizen.get(f"{url}?rated=1").content.decode()
    assert 'id="thanks"' in thanks and 'id="rating"' not in thanks
    follow_up = FollowUp.objects.get(appeal=appeal)
    assert follow_up.channel == FollowUpChannel.LINK and follow_up.answered_by is None
    assert follow_up.resolved is True and follow_up.satisfaction == 4 and follow_up.note == "谢谢"
    appeal.refresh_from_db()
    assert appeal.state == State.FOLLOWED_UP
    event = AppealEvent.objects.get(appeal=appeal, action=Action.FOLLOW_UP)
    assert event.actor is None and event.data["channel"] == "link"

    # Only once.
    again = citizen.post(
        reverse("portal:rate", args=[appeal.tracking_code]), {"resolved": "0", "satisfaction": "1"}
    )
    assert again.status_code == 302
    assert FollowUp.objects.get(appeal=appeal).satisfaction == 4


def test_a_dissatisfied_answer_awaits_review(persona, citizen):
    appeal = submitted_at_station_a(persona, citizen)
    concluded(persona, appeal)
    citizen.post(reverse("portal:rate", args=[appeal.tracking_code]), {"resolved": "0", "satisfaction": "1"})
    assert FollowUp.objects.get(appeal=appeal).review == ReviewOutcome.PENDING


def test_a_rating_without_its_answers_is_shown_again(persona, citizen):
    appeal = submitted_at_station_a(persona, citizen)
    concluded(persona, appeal)
    response = citizen.post(reverse("portal:rate", args=[appeal.tracking_code]), {"note": "还行"})
    assert response.status_code == 400
    assert set(response.context["rating_form"].errors) == {"resolved", "satisfaction"}
    assert "还行" in response.content.decode()
    assert FollowUp.objects.get(appeal=appeal).answered_at is None


def test_rating_an_unknown_code_counts_as_a_miss(persona, citizen):
    from jingmin.portal import limits

    response = citizen.post(
        reverse("portal:rate", args=["23456789ABCD"]), {"resolved": "1", "satisfaction": "5"}
    )
    assert response.status_code == 404
    assert limits.peek("track-miss-ip", "203.0.113.7").count == 1
