"""Appeals that arrive without a station land on the command centre's desk, whose clerk hears of
them at once and sees them above the rest of the queue."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import make_user, signed_in
from jingmin.appeals import services
from jingmin.appeals.models import Channel, State
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.notify.models import Notification
from jingmin.org.models import Unit
from jingmin.org.roles import Role


def from_partner(persona, **overrides):
    """What an Open311 partner (or any system sending to the bureau) hands in: no station."""
    appeal, _ = services.appeal_register(
        actor=None, data=appeal_input(channel=Channel.OPEN311, **overrides), intake_unit=persona.bureau
    )
    return appeal


def test_an_appeal_sent_to_the_bureau_lands_on_the_command_centres_desk(persona, centre):
    appeal = from_partner(persona)
    assert appeal.unit == centre.unit
    assert appeal.intake_unit == centre.unit
    assert services.appeal_accept(actor=centre.cora, appeal_id=appeal.pk).state == State.ACCEPTED


def test_a_portal_appeal_without_a_station_lands_on_the_desk(persona, centre, client):
    from jingmin.portal.tests.conftest import portal_post

    response = portal_post(client)
    assert response.status_code == 302
    from jingmin.appeals.models import Appeal

    appeal = Appeal.objects.get(channel=Channel.WEB)
    assert appeal.unit == centre.unit


def test_without_a_desk_the_appeal_stays_where_it_was_sent(persona):
    assert from_partner(persona).unit == persona.bureau


def test_the_desks_clerks_are_notified_once_the_appeal_is_committed(
    persona, centre, django_capture_on_commit_callbacks, run_tasks
):
    make_user("cody", centre.unit, Role.CLERK, "柯迪")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = from_partner(persona, urgency="urgent", title="老人走失")
    run_tasks()
    run_tasks()  # a second run of the worker notifies nobody twice
    notes = Notification.objects.filter(kind="appeal.arrival")
    assert sorted(n.recipient.username for n in notes) == ["cody", "cora"]
    assert all(n.url == reverse("appeals:detail", args=[appeal.pk]) for n in notes)
    assert "老人走失" in notes[0].title


def test_a_clerk_registering_at_the_window_notifies_no_one(
    persona, centre, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_register(actor=persona.clara, data=appeal_input())
    run_tasks()
    assert not Notification.objects.filter(kind="appeal.arrival").exists()


def test_the_desk_is_shown_above_the_queue_the_most_urgent_first(persona, centre):
    from_partner(persona, title="路灯不亮")
    from_partner(persona, title="孩子放学未归", urgency="urgent")
    accepted = services.appeal_accept(actor=centre.cora, appeal_id=from_partner(persona, title="井盖缺失").pk)
    dispatched = from_partner(persona, title="已派出的")
    services.appeal_accept(actor=centre.cora, appeal_id=dispatched.pk)
    services.appeal_dispatch(actor=centre.cora, appeal_id=dispatched.pk, unit=persona.district_a1)

    html = signed_in(centre.cora).get(reverse("appeals:queue")).content.decode()
    desk = html[html.index('class="desk"') : html.index("</section>")]
    assert desk.index("孩子放学未归") < desk.index("路灯不亮") < desk.index("井盖缺失")
    assert f'data-appeal="{accepted.pk}"' in desk
    assert "已派出的" not in desk


def test_a_clerk_with_nothing_waiting_sees_no_desk(persona, centre):
    html = signed_in(persona.clara).get(reverse("appeals:queue")).content.decode()
    assert 'class="desk"' not in html


@pytest.mark.django_db
def test_org_bootstrap_makes_the_command_centre_once(monkeypatch):
    monkeypatch.setenv("BOOT_PW", "Bootstrap#Pass1")
    args = [
        "--bureau",
        "测试县公安局",
        "--code",
        "X000",
        "--full-name",
        "管理员",
        "--password-env",
        "BOOT_PW",
    ]
    call_command("org_bootstrap", "--username", "sam", "--role", "sysadmin", *args)
    call_command("org_bootstrap", "--username", "sue", "--role", "secadmin", *args)
    desk = Unit.objects.get(is_intake_desk=True)
    assert desk.name == "指挥中心"
    assert desk.parent is not None and desk.parent.parent_id is None
    assert Unit.objects.filter(name="指挥中心").count() == 1
