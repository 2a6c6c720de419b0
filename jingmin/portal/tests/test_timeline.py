"""The tracking page's timeline: each public step with the unit that took it and when; never a
staff name, a note, or the citizen's own data; steps inside the bureau are left out."""

from __future__ import annotations

from django.urls import reverse

from jingmin.appeals import services
from jingmin.appeals.models import AppealEvent
from jingmin.portal.tests.conftest import concluded, registered


def test_the_timeline_names_units_and_no_staff(persona, citizen):
    appeal = registered(persona)
    services.appeal_supervise(actor=persona.chen, appeal_id=appeal.pk, note="陈所长：请今天内处理")
    concluded(persona, appeal)
    html = citizen.get(reverse("portal:track_detail", args=[appeal.tracking_code])).content.decode()

    # The units: received by the station, sent to district A1, taken on and concluded there.
    assert persona.station_a.name in html and persona.district_a1.name in html
    actions = [e.action for e in AppealEvent.objects.filter(appeal=appeal).order_by("seq")]
    assert actions == ["register", "supervise", "accept", "dispatch", "sign", "contact", "conclude"]
    for action in actions:
        assert f'data-action="{action}"' in html
    assert 'id="state" data-state="concluded"' in html

    # No staff, no notes, nothing of the citizen.
    for private in (
        persona.clara.full_name,
        persona.oliver.full_name,
        persona.chen.full_name,
        "oliver",
        "请今天内处理",
        "电话联系了王小明",
        "已上门调解",
        "王小明",
        "13812345678",
        "138****5678",
        "东门小区3栋2单元",
        "楼上深夜噪音扰民",
        "影响休息",
    ):
        assert private not in html, private


def test_steps_inside_the_bureau_are_left_out(persona, citizen):
    appeal = registered(persona)
    concluded(persona, appeal)
    services.appeal_follow_up(
        actor=persona.clara, appeal_id=appeal.pk, resolved=False, satisfaction=2, note="还是吵"
    )
    services.appeal_review(actor=persona.ines, appeal_id=appeal.pk, reasonable=True, note="殷督察：诉求合理")
    html = citizen.get(reverse("portal:track_detail", args=[appeal.tracking_code])).content.decode()
    assert 'data-action="follow-up"' in html and 'data-action="reopen"' in html
    assert 'data-action="review"' not in html
    assert "还是吵" not in html and "殷督察" not in html and persona.ines.full_name not in html
    assert 'data-state="handling"' in html


def test_a_merged_appeal_shows_the_progress_of_the_one_it_joined(persona, citizen):
    first = registered(persona, citizen_name="赵一", citizen_phone="13800000001")
    duplicate = registered(persona, citizen_name="钱二", citizen_phone="13800000002")
    services.appeal_merge(actor=persona.clara, appeal_id=duplicate.pk, into=first.pk, note="重复")
    concluded(persona, first)
    html = citizen.get(reverse("portal:track_detail", args=[duplicate.tracking_code])).content.decode()
    assert 'id="merged"' in html and persona.district_a1.name in html
    # The other citizen's code and data stay hidden.
    assert first.tracking_code not in html and "赵一" not in html and "13800000001" not in html
