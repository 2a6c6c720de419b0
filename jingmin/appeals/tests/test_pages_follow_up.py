"""Follow-ups: Clara records the citizen's answer by phone, the citizen answers through the SMS
link, and Ines's reasonableness review of a dissatisfied answer reopens the appeal."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import signed_in
from jingmin.appeals.models import Action, AppealEvent, FollowUp, FollowUpChannel, ReviewOutcome, State
from jingmin.core.crypto import lookup_hash

TOKEN = "citizen-link-token-for-tests"


def with_known_token(appeal) -> str:
    """The SMS carries a random token and only its hash is stored; a test sets its own."""
    FollowUp.objects.filter(appeal=appeal, answered_at__isnull=True).update(token_hash=lookup_hash(TOKEN))
    return reverse("appeals:citizen_follow_up", args=[TOKEN])


def dissatisfied(persona, walk, register):
    appeal = walk(register(), State.CONCLUDED)
    signed_in(persona.clara).post(
        reverse("appeals:act", args=[appeal.pk, "follow-up"]),
        {"follow-up-resolved": "0", "follow-up-satisfaction": "2", "follow-up-note": "噪音还在"},
    )
    appeal.refresh_from_db()
    assert appeal.state == State.FOLLOWED_UP
    return appeal


def test_the_follow_ups_owed_are_listed_with_the_five_point_scale(persona, register, walk):
    concluded = walk(register(title="已办结待回访"), State.CONCLUDED)
    walk(register(title="还在办理"), State.HANDLING)
    response = signed_in(persona.clara).get(reverse("appeals:follow_ups"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="follow-up-{concluded.follow_ups.get().pk}"' in html
    assert html.count('class="work-item') == 1
    # Five radio buttons, very satisfied first, labelled by the Satisfaction choices.
    values = re.findall(r'name="follow-up-satisfaction" value="(\d)"', html)
    assert values == ["5", "4", "3", "2", "1"]
    # The clerk calls from here: the number only through the audited reveal.
    assert reverse("appeals:reveal_phone", args=[concluded.pk]) in html and "13812345678" not in html


def test_clara_records_a_phone_follow_up(persona, register, walk):
    appeal = walk(register(), State.CONCLUDED)
    url = reverse("appeals:follow_ups")
    response = signed_in(persona.clara).post(
        reverse("appeals:act", args=[appeal.pk, "follow-up"]),
        {
            "follow-up-resolved": "1",
            "follow-up-satisfaction": "4",
            "follow-up-note": "已经安静了",
            "next": url,
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    follow_up = FollowUp.objects.get(appeal=appeal)
    assert follow_up.channel == FollowUpChannel.PHONE and follow_up.answered_by == persona.clara
    assert follow_up.resolved is True and follow_up.satisfaction == 4 and follow_up.note == "已经安静了"
    assert follow_up.review == ReviewOutcome.NONE
    appeal.refresh_from_db()
    assert appeal.state == State.FOLLOWED_UP
    assert 'class="work-item' not in signed_in(persona.clara).get(url).content.decode()


def test_a_follow_up_without_a_satisfaction_is_refused_beside_it(persona, register, walk):
    appeal = walk(register(), State.CONCLUDED)
    response = signed_in(persona.clara).post(
        reverse("appeals:act", args=[appeal.pk, "follow-up"]), {"follow-up-resolved": "1"}
    )
    assert response.status_code == 400
    form = next(item["form"] for item in response.context["actions"] if item["action"] == "follow-up")
    assert "satisfaction" in form.errors and "resolved" not in form.errors
    assert FollowUp.objects.get(appeal=appeal).answered_at is None


def test_the_citizen_answers_through_the_link_without_seeing_anyones_data(persona, register, walk):
    appeal = walk(register(), State.CONCLUDED)
    url = with_known_token(appeal)
    citizen = Client()

    page = citizen.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert appeal.title in html and appeal.tracking_code[:4] in html
    for private in (
        "王小明",
        "13812345678",
        "138****5678",
        "欧立文",
        "柯拉",
        persona.district_a1.name,
        "已上门调解",
    ):
        assert private not in html
    assert re.findall(r'name="satisfaction" value="(\d)"', html) == ["5", "4", "3", "2", "1"]

    response = citizen.post(url, {"resolved": "1", "satisfaction": "5", "note": "谢谢民警"})
    assert response.status_code == 302 and response["Location"] == f"{url}?answered=1"
    thanks = citizen.get(response["Location"])
    assert thanks.status_code == 200 and 'id="thanks"' in thanks.content.decode()
    follow_up = FollowUp.objects.get(appeal=appeal)
    assert follow_up.channel == FollowUpChannel.LINK and follow_up.answered_by is None
    assert follow_up.satisfaction == 5 and follow_up.note == "谢谢民警"
    event = AppealEvent.objects.get(appeal=appeal, action=Action.FOLLOW_UP)
    assert event.actor is None and event.data["channel"] == "link"

    # The link works once.
    again = citizen.get(url)
    assert again.status_code == 410 and 'id="closed"' in again.content.decode()
    assert citizen.post(url, {"resolved": "0", "satisfaction": "1"}).status_code == 410
    assert FollowUp.objects.get(appeal=appeal).satisfaction == 5


def test_an_unknown_or_expired_link_is_a_plain_page(persona, register, walk):
    appeal = walk(register(), State.CONCLUDED)
    assert Client().get(reverse("appeals:citizen_follow_up", args=["no-such-token"])).status_code == 410
    url = with_known_token(appeal)
    FollowUp.objects.filter(appeal=appeal).update(token_expires_at="2000-01-01T00:00:00Z")
    response = Client().get(url)
    assert response.status_code == 410 and appeal.title not in response.content.decode()


def test_a_citizen_answer_with_missing_choices_is_shown_again(persona, register, walk):
    appeal = walk(register(), State.CONCLUDED)
    url = with_known_token(appeal)
    response = Client().post(url, {"note": "还可以"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"resolved", "satisfaction"}
    assert "还可以" in response.content.decode()
    assert FollowUp.objects.get(appeal=appeal).answered_at is None


def test_a_dissatisfied_answer_waits_for_ines_review(persona, register, walk):
    appeal = dissatisfied(persona, walk, register)
    follow_up = FollowUp.objects.get(appeal=appeal)
    assert follow_up.review == ReviewOutcome.PENDING
    response = signed_in(persona.ines).get(reverse("appeals:reviews"))
    html = response.content.decode()
    assert f'id="review-{follow_up.pk}"' in html and "噪音还在" in html
    assert signed_in(persona.clara).get(reverse("appeals:reviews")).status_code == 403
    assert (
        signed_in(persona.olga).get(reverse("appeals:follow_ups")).content.decode().count('class="work-item')
        == 0
    )


def test_a_reasonable_demand_reopens_the_appeal(persona, register, walk):
    appeal = dissatisfied(persona, walk, register)
    url = reverse("appeals:reviews")
    response = signed_in(persona.ines).post(
        reverse("appeals:act", args=[appeal.pk, "review"]),
        {"review-reasonable": "1", "review-note": "噪音问题确未解决，诉求合理", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    appeal.refresh_from_db()
    assert appeal.state == State.HANDLING and appeal.reopen_count == 1 and appeal.is_open
    follow_up = FollowUp.objects.get(appeal=appeal)
    assert follow_up.review == ReviewOutcome.REASONABLE and follow_up.reviewed_by == persona.ines
    actions = list(AppealEvent.objects.filter(appeal=appeal).order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == [Action.REVIEW, Action.REOPEN]
    assert f'id="review-{follow_up.pk}"' not in signed_in(persona.ines).get(url).content.decode()
    # Back on Oliver's list, with the new 5-working-day clock.
    mine = signed_in(persona.oliver).get(reverse("appeals:mine")).content.decode()
    assert f'id="appeal-{appeal.pk}"' in mine


def test_an_unreasonable_demand_leaves_it_followed_up_and_a_supervisor_may_still_reopen(
    persona, register, walk
):
    appeal = dissatisfied(persona, walk, register)
    signed_in(persona.ines).post(
        reverse("appeals:act", args=[appeal.pk, "review"]),
        {"review-reasonable": "0", "review-note": "诉求超出公安职责"},
    )
    appeal.refresh_from_db()
    assert appeal.state == State.FOLLOWED_UP
    assert FollowUp.objects.get(appeal=appeal).review == ReviewOutcome.UNREASONABLE
    chen = signed_in(persona.chen)
    page = chen.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'data-action="reopen"' in page and 'data-action="archive"' in page
    response = chen.post(
        reverse("appeals:act", args=[appeal.pk, "reopen"]), {"reopen-reason": "所里决定再次上门"}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == State.HANDLING


@pytest.mark.parametrize("who", ["oliver", "clara"])
def test_a_review_by_someone_who_does_not_review_is_forbidden(persona, register, walk, who):
    appeal = dissatisfied(persona, walk, register)
    response = signed_in(getattr(persona, who)).post(
        reverse("appeals:act", args=[appeal.pk, "review"]), {"review-reasonable": "1", "review-note": "x"}
    )
    assert response.status_code == 403
    assert FollowUp.objects.get(appeal=appeal).review == ReviewOutcome.PENDING
