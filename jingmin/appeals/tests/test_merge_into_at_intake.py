"""Merge into at intake: Clara takes a call about a matter already open; one tap appends the
call to that appeal's history (an event and an audit row) and registers nothing; a second tap
of the same form appends nothing; another station's appeal cannot be reached."""

from __future__ import annotations

from django.urls import reverse

from conftest import make_user, signed_in
from jingmin.appeals.models import Action, Appeal, AppealEvent
from jingmin.appeals.tests.test_pages_intake import form_data
from jingmin.audit.models import AuditEntry
from jingmin.org.roles import Role

HX = {"HTTP_HX_REQUEST": "true"}


def merge(client, appeal, data):
    return client.post(reverse("appeals:merge_into", args=[appeal.pk]), data, **HX)


def test_merging_into_creates_no_appeal_and_records_the_contact(persona, register):
    earlier = register()
    client = signed_in(persona.clara)
    data = form_data(
        client, title="又来电反映噪音", content="昨晚又吵到一点，还是没人管。", citizen_phone="13900001111"
    )
    audit_before = AuditEntry.objects.count()

    response = merge(client, earlier, data)

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("appeals:detail", args=[earlier.pk])
    assert Appeal.objects.count() == 1
    event = AppealEvent.objects.filter(appeal=earlier).latest("seq")
    assert event.action == Action.MERGE and event.actor == persona.clara
    assert event.data["contact"] == "phone" and event.data["caller"] == "139****1111"
    assert event.data["same_caller"] is False
    assert "昨晚又吵到一点" in event.note
    assert event.from_state == event.to_state == earlier.state
    row = AuditEntry.objects.latest("pk")
    assert AuditEntry.objects.count() == audit_before + 1
    assert row.action == "appeals.appeal_merge" and row.target_id == str(earlier.pk)
    # The history shows it in words.
    detail = client.get(reverse("appeals:detail", args=[earlier.pk])).content.decode()
    assert "昨晚又吵到一点" in detail and "139****1111" in detail


def test_a_retried_merge_appends_nothing_twice(persona, register):
    earlier = register()
    client = signed_in(persona.clara)
    data = form_data(client, content="又打来了")
    assert merge(client, earlier, data).status_code == 204
    events = AppealEvent.objects.filter(appeal=earlier).count()
    audit = AuditEntry.objects.count()
    assert merge(client, earlier, data).status_code == 204
    assert AppealEvent.objects.filter(appeal=earlier).count() == events
    assert AuditEntry.objects.count() == audit
    # Nor does the same form, sent with Register afterwards, make an appeal of it.
    client.post(reverse("appeals:new"), data)
    assert Appeal.objects.count() == 1


def test_another_stations_appeal_cannot_be_merged_into(persona, register):
    clerk_b = make_user("bob", persona.station_b, Role.CLERK, "鲍勃")
    theirs = register(clerk_b)
    client = signed_in(persona.clara)
    events = AppealEvent.objects.count()
    assert merge(client, theirs, form_data(client)).status_code == 404
    assert AppealEvent.objects.count() == events


def test_words_are_required_and_nothing_changes_without_them(persona, register):
    earlier = register()
    client = signed_in(persona.clara)
    events = AppealEvent.objects.count()
    response = merge(client, earlier, form_data(client, title="", content=""))
    assert response.status_code == 400
    assert "请填写诉求内容" in response.content.decode()
    assert AppealEvent.objects.count() == events


def test_the_handler_hears_the_citizen_raised_it_again(persona, register):
    from jingmin.appeals.tests.conftest import walk_to
    from jingmin.notify.models import Notification

    earlier = walk_to(persona, register(), "signed")
    client = signed_in(persona.clara)
    assert merge(client, earlier, form_data(client, content="还在吵")).status_code == 204
    assert Notification.objects.filter(recipient=persona.oliver, kind="appeal.merge").exists()
