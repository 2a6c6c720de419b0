"""Urgency suggested by the citizen's words (or their answers on the portal), confirmed or not by
the clerk, each decision an event of the appeal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import signed_in
from jingmin.appeals import services
from jingmin.appeals.models import Action, AppealEvent, Urgency
from jingmin.appeals.urgency import suggest


@pytest.mark.parametrize(
    "text",
    [
        "我爷爷早上出门一直没回来，他有老年痴呆",
        "孩子放学后走失了，到现在联系不上",
        "邻居喝醉了拿刀威胁要杀了他老婆",
        "丈夫经常家暴，昨晚又动手打我",
        "我朋友发消息说不想活了，要跳楼",
    ],
)
def test_missing_people_violence_and_self_harm_are_suggested_urgent(text):
    suggestion = suggest(text, registered=Urgency.GENERAL)
    assert suggestion.urgency == Urgency.URGENT
    assert suggestion.reason


@pytest.mark.parametrize("text", ["楼上深夜装修噪音扰民", "小区门口车辆违停堵路", "想咨询居住证怎么办理"])
def test_everyday_matters_suggest_nothing(text):
    assert suggest(text, registered=Urgency.GENERAL).urgency == ""


def test_the_citizens_own_answers_suggest_too():
    assert suggest("路灯坏了", registered=Urgency.GENERAL, in_danger=True).urgency == Urgency.EMERGENCY
    assert suggest("路灯坏了", registered=Urgency.GENERAL, citizen_urgent=True).urgency == Urgency.URGENT
    # Nothing to suggest over what is already as urgent.
    assert suggest("孩子走失", registered=Urgency.URGENT).urgency == ""


def test_registering_keeps_the_urgency_and_records_the_suggestion(persona, register):
    appeal = register(content="我父亲78岁，早上出门买菜到现在没回家")
    assert appeal.urgency == Urgency.GENERAL
    assert appeal.urgency_suggested == Urgency.URGENT
    assert appeal.urgency_reason


def test_the_clerk_confirms_and_the_clocks_run_at_the_new_urgency(persona, register):
    appeal = register(content="我父亲78岁，早上出门买菜到现在没回家")
    general_deadline = appeal.conclude_by
    appeal = services.appeal_urgency_decide(actor=persona.clara, appeal_id=appeal.pk, confirm=True)
    assert appeal.urgency == Urgency.URGENT
    assert appeal.urgency_suggested == ""
    assert appeal.conclude_by < general_deadline
    event = AppealEvent.objects.filter(appeal=appeal, action=Action.URGENCY).get()
    assert event.data["confirmed"] is True
    assert (event.data["from"], event.data["to"]) == ("general", "urgent")


def test_the_clerk_may_keep_the_registered_urgency(persona, register):
    appeal = register(content="孩子不见了，后来在同学家找到了，想咨询以后怎么办")
    appeal = services.appeal_urgency_decide(
        actor=persona.clara, appeal_id=appeal.pk, confirm=False, note="已找到，咨询类"
    )
    assert appeal.urgency == Urgency.GENERAL
    assert appeal.urgency_suggested == ""
    event = AppealEvent.objects.filter(appeal=appeal, action=Action.URGENCY).get()
    assert event.data["confirmed"] is False
    # Settled once: there is nothing left to decide.
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_urgency_decide(actor=persona.clara, appeal_id=appeal.pk, confirm=True)


def test_a_leader_who_sees_it_cannot_decide_the_urgency(persona, register):
    from django.core.exceptions import PermissionDenied

    appeal = register(content="孩子走失")
    with pytest.raises(PermissionDenied):
        services.appeal_urgency_decide(actor=persona.li, appeal_id=appeal.pk, confirm=True)


def test_the_appeal_page_shows_the_suggestion_and_the_decision(persona, register):
    appeal = register(content="丈夫家暴，昨晚又动手打我")
    client = signed_in(persona.clara)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="urgency-suggested"' in html
    assert reverse("appeals:act", args=[appeal.pk, "urgency"]) in html
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "urgency"]), {"urgency-confirm": "1", "urgency-note": ""}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.urgency == Urgency.URGENT
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="urgency-suggested"' not in html


def test_the_intake_form_suggests_the_urgency_while_the_clerk_types(persona):
    response = signed_in(persona.clara).post(
        reverse("routing:suggest"),
        {"title": "老人走失", "content": "奶奶早上出门一直没回来", "urgency": "general"},
    )
    html = response.content.decode()
    assert 'data-kind="urgency"' in html
    assert 'data-apply-field="id_urgency" data-apply-value="urgent"' in html
