"""The tracking page shows the citizen's answer to the follow-up as given: a "not resolved" or
dissatisfied answer never reads as resolved or as a follow-up done."""

from __future__ import annotations

from django.urls import reverse

from jingmin.appeals import services
from jingmin.appeals.models import State
from jingmin.appeals.tests.conftest import appeal_input, walk_to


def status_of(client, appeal) -> str:
    html = client.get(reverse("portal:track_detail", args=[appeal.tracking_code])).content.decode()
    return html[html.index('aria-labelledby="status-h"') : html.index("</section>")]


def concluded(persona):
    appeal, _ = services.appeal_register(actor=persona.clara, data=appeal_input())
    return walk_to(persona, appeal, State.CONCLUDED)


def test_a_not_resolved_answer_is_shown_as_given(persona, client):
    appeal = concluded(persona)
    services.appeal_follow_up_by_tracking_code(code=appeal.tracking_code, resolved=False, satisfaction=1)
    status = status_of(client, appeal)
    assert 'id="answer" data-resolved="no"' in status
    assert "未解决" in status and "非常不满意" in status
    assert "已解决" not in status
    assert "回访已完成" not in status
    assert "正在审核" in status


def test_after_the_review_it_still_says_what_the_citizen_said(persona, client):
    appeal = concluded(persona)
    services.appeal_follow_up(actor=persona.clara, appeal_id=appeal.pk, resolved=False, satisfaction=2)
    services.appeal_review(actor=persona.ines, appeal_id=appeal.pk, reasonable=False, note="超出职责")
    status = status_of(client, appeal)
    assert "未解决" in status and "已解决" not in status and "回访已完成" not in status


def test_a_satisfied_answer_reads_as_done(persona, client):
    appeal = concluded(persona)
    services.appeal_follow_up(actor=persona.clara, appeal_id=appeal.pk, resolved=True, satisfaction=5)
    status = status_of(client, appeal)
    assert 'data-resolved="yes"' in status
    assert "回访已完成" in status and "已解决" in status


def test_the_timeline_says_what_the_citizen_answered(persona, client):
    appeal = concluded(persona)
    services.appeal_follow_up(actor=persona.clara, appeal_id=appeal.pk, resolved=False, satisfaction=2)
    html = client.get(reverse("portal:track_detail", args=[appeal.tracking_code])).content.decode()
    assert "未解决，不满意" in html
