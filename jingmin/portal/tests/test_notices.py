"""Notices (宣传): Chen publishes for station A, edits and withdraws; each step is kept in the
history and the audit log; the public sees only published notices, escaped, with their line
breaks; nobody outside the scope or without the capability touches them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import signed_in
from jingmin.audit.models import AuditEntry
from jingmin.portal import services
from jingmin.portal.models import Notice, NoticeRevision, NoticeState

SCRIPT = '<script>alert("x")</script>'


def publish(client, **fields):
    data = {"kind": "safety", "title": "防范电信诈骗", "body": "第一段。\n\n第二段：不要转账。"}
    data.update(fields)
    return client.post(reverse("portal:notice_manage"), data)


def test_chen_publishes_and_the_public_reads_it(persona):
    response = publish(signed_in(persona.chen))
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.unit == persona.station_a and notice.state == NoticeState.PUBLISHED and notice.version == 1
    assert NoticeRevision.objects.get(notice=notice).action == "publish"
    assert AuditEntry.objects.filter(
        action="portal.notice_publish", target_id=str(notice.pk), actor_id=persona.chen.pk
    ).exists()

    public = Client()
    listing = public.get(reverse("portal:notices")).content.decode()
    assert "防范电信诈骗" in listing and persona.station_a.name in listing
    page = public.get(reverse("portal:notice", args=[notice.pk])).content.decode()
    # Paragraphs and line breaks kept; the publisher's name is not shown.
    assert "<p>第一段。</p>" in page and "<p>第二段：不要转账。</p>" in page
    assert persona.chen.full_name not in page
    assert "防范电信诈骗" in public.get(reverse("portal:home")).content.decode()


def test_text_is_stored_as_written_and_shown_escaped(persona):
    publish(signed_in(persona.li), title=f"标题{SCRIPT}", body=f"正文{SCRIPT}\n<b>粗</b>")
    notice = Notice.objects.get()
    assert SCRIPT in notice.body and SCRIPT in notice.title
    for url in (
        reverse("portal:notice", args=[notice.pk]),
        reverse("portal:notices"),
        reverse("portal:home"),
    ):
        html = Client().get(url).content.decode()
        assert SCRIPT not in html and "<b>粗</b>" not in html
        assert "&lt;script&gt;" in html
    staff = signed_in(persona.li).get(reverse("portal:notice_edit", args=[notice.pk])).content.decode()
    assert SCRIPT not in staff and "&lt;script&gt;" in staff


def test_an_edit_keeps_the_history_and_a_withdrawal_takes_it_off_the_portal(persona):
    chen = signed_in(persona.chen)
    publish(chen)
    notice = Notice.objects.get()
    url = reverse("portal:notice_edit", args=[notice.pk])
    response = chen.post(
        url, {"which": "edit", "kind": "safety", "title": "防范电信诈骗（更新）", "body": "新的正文"}
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.version == 2 and notice.title == "防范电信诈骗（更新）"
    assert "新的正文" in Client().get(reverse("portal:notice", args=[notice.pk])).content.decode()

    response = chen.post(url, {"which": "withdraw", "reason": "内容过时"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == NoticeState.WITHDRAWN and notice.withdrawn_at is not None and notice.version == 3
    assert Client().get(reverse("portal:notice", args=[notice.pk])).status_code == 404
    assert "防范电信诈骗" not in Client().get(reverse("portal:notices")).content.decode()

    history = list(
        NoticeRevision.objects.filter(notice=notice)
        .order_by("version")
        .values_list("version", "action", "title")
    )
    assert history == [
        (1, "publish", "防范电信诈骗"),
        (2, "edit", "防范电信诈骗（更新）"),
        (3, "withdraw", "防范电信诈骗（更新）"),
    ]
    assert list(
        AuditEntry.objects.filter(target_id=str(notice.pk), action__startswith="portal.notice_")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "portal.notice_publish",
        "portal.notice_edit",
        "portal.notice_withdraw",
    ]
    page = chen.get(url).content.decode()
    assert "内容过时" in page and 'id="edit-form"' not in page
    # A withdrawn notice is not edited again.
    refused = chen.post(url, {"which": "edit", "kind": "safety", "title": "再改", "body": "x"})
    assert refused.status_code == 400 and 'class="error form-error"' in refused.content.decode()
    notice.refresh_from_db()
    assert notice.title == "防范电信诈骗（更新）" and notice.version == 3


def test_a_missing_title_is_shown_beside_it(persona):
    response = publish(signed_in(persona.chen), title="")
    assert response.status_code == 400 and "title" in response.context["form"].errors
    assert not Notice.objects.exists()


def test_scope_a_chief_sees_only_his_units_the_leader_all(persona):
    mine = services.notice_publish(actor=persona.chen, kind="announcement", title="城关所通知", body="x")
    bureau = services.notice_publish(actor=persona.li, kind="announcement", title="全局通知", body="y")
    chen_list = signed_in(persona.chen).get(reverse("portal:notice_manage")).content.decode()
    assert "城关所通知" in chen_list and "全局通知" not in chen_list
    li_list = signed_in(persona.li).get(reverse("portal:notice_manage")).content.decode()
    assert "城关所通知" in li_list and "全局通知" in li_list
    # Outside his scope a notice does not exist for Chen, and nothing changes.
    chen = signed_in(persona.chen)
    assert chen.get(reverse("portal:notice_edit", args=[bureau.pk])).status_code == 404
    response = chen.post(reverse("portal:notice_edit", args=[bureau.pk]), {"which": "withdraw"})
    assert response.status_code == 404
    bureau.refresh_from_db()
    assert bureau.state == NoticeState.PUBLISHED
    # The leader may withdraw the station's notice.
    services.notice_withdraw(actor=persona.li, notice_id=mine.pk, reason="")
    mine.refresh_from_db()
    assert mine.state == NoticeState.WITHDRAWN


@pytest.mark.parametrize("who", ["clara", "oliver", "ines", "sam"])
def test_those_without_the_capability_are_refused(persona, who):
    notice = services.notice_publish(actor=persona.chen, kind="announcement", title="通知", body="x")
    client = signed_in(getattr(persona, who))
    assert client.get(reverse("portal:notice_manage")).status_code == 403
    assert publish(client).status_code == 403
    assert (
        client.post(reverse("portal:notice_edit", args=[notice.pk]), {"which": "withdraw"}).status_code == 403
    )
    assert Notice.objects.count() == 1
    notice.refresh_from_db()
    assert notice.state == NoticeState.PUBLISHED


def test_a_citizen_is_sent_to_sign_in(db):
    response = Client().get(reverse("portal:notice_manage"))
    assert response.status_code == 302 and reverse("org:signin") in response["Location"]
