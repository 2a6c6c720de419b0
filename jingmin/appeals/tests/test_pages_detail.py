"""The appeal's page: its history, the forms each persona may use, the steps posted from it, a
refused step answered 409 to htmx, the audited phone reveal and the scoped file download."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import signed_in
from jingmin.appeals import services
from jingmin.appeals.models import Action, AppealEvent, Attachment, State
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit.models import AuditEntry

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ACTION = re.compile(r'data-action="([a-z-]+)"')


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def offered(client, appeal) -> list[str]:
    """The step forms on the page (the timeline's items carry `data-action` too: cut them off)."""
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    actions = html.split('id="actions"', 1)[1].split("</section>", 1)[0] if 'id="actions"' in html else ""
    return ACTION.findall(actions)


def act(client, appeal, action, data=None, **kwargs):
    return client.post(reverse("appeals:act", args=[appeal.pk, action]), data or {}, **kwargs)


def test_the_history_shows_each_step_with_who_when_and_the_state_change(persona, register, walk):
    appeal = walk(register(), State.HANDLING)
    response = signed_in(persona.oliver).get(reverse("appeals:detail", args=[appeal.pk]))
    html = response.content.decode()
    timeline = html.split('id="timeline"', 1)[1]
    assert ACTION.findall(timeline) == ["register", "accept", "dispatch", "sign", "contact"]
    events = list(AppealEvent.objects.filter(appeal=appeal).order_by("seq"))
    # Chinese dates: 2026年11月29日 14:30.
    at = timezone.localtime(events[-1].at)
    assert f"{at.year}年{at.month}月{at.day}日 {at:%H:%M}" in timeline
    assert "电话联系，约定上门" in timeline  # the contact's note
    assert "欧立文" in timeline and "柯拉" in timeline  # who
    assert persona.district_a1.name in timeline  # dispatched to
    # Masked citizen, never the full number.
    assert "138****5678" in html and "13812345678" not in html and "王**" in html


def test_the_clocks_show_the_time_left(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    client = signed_in(persona.oliver)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    clocks = html.split('id="clocks-h"', 1)[1].split("</section>", 1)[0]
    assert "Sign for" in clocks and "Conclusion" in clocks
    assert re.search(r"\d+ (hour|hours|minutes|day|days) left", clocks)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("oliver", ["sign", "transfer", "return", "attach"]),
        ("clara", ["transfer", "merge", "attach"]),
        ("chen", ["sign", "transfer", "return", "supervise", "merge", "attach"]),
        ("ines", ["transfer", "supervise", "merge"]),
        ("li", ["transfer", "supervise", "merge"]),
    ],
)
def test_each_persona_gets_the_forms_of_the_steps_they_may_take(persona, register, walk, who, expected):
    appeal = walk(register(), State.DISPATCHED)
    assert offered(signed_in(getattr(persona, who)), appeal) == expected


def test_the_forms_follow_the_state(persona, register, walk):
    submitted = register()
    assert offered(signed_in(persona.clara), submitted) == ["accept", "reject", "merge", "attach"]
    # Not yet dispatched to his district: Oliver does not see it at all.
    assert signed_in(persona.oliver).get(reverse("appeals:detail", args=[submitted.pk])).status_code == 404
    handling = walk(register(), State.HANDLING)
    assert offered(signed_in(persona.oliver), handling) == [
        "contact",
        "transfer",
        "return",
        "conclude",
        "attach",
    ]
    concluded = walk(register(), State.CONCLUDED)
    assert offered(signed_in(persona.clara), concluded) == ["follow-up", "attach"]
    assert offered(signed_in(persona.ines), concluded) == []
    archived = walk(register(), State.ARCHIVED)
    assert offered(signed_in(persona.chen), archived) == []


def test_olga_of_another_station_cannot_open_or_act_on_it(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    olga = signed_in(persona.olga)
    assert olga.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    assert act(olga, appeal, "sign").status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED


def test_a_step_without_the_capability_is_forbidden_and_changes_nothing(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    assert act(signed_in(persona.clara), appeal, "sign").status_code == 403
    assert act(signed_in(persona.oliver), appeal, "supervise", {"supervise-note": "x"}).status_code == 403
    assert act(signed_in(persona.oliver), appeal, "no-such-step").status_code == 404
    assert not AppealEvent.objects.filter(appeal=appeal, action__in=[Action.SIGN, Action.SUPERVISE]).exists()


def test_oliver_signs_records_contact_and_concludes_with_a_photo(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    client = signed_in(persona.oliver)
    detail = reverse("appeals:detail", args=[appeal.pk])

    assert act(client, appeal, "sign")["Location"] == detail
    assert act(client, appeal, "contact", {"contact-note": "已电话联系群众"})["Location"] == detail
    photo = SimpleUploadedFile("整改后.png", PNG, content_type="image/png")
    response = act(
        client,
        appeal,
        "conclude",
        {"conclude-result": "solved", "conclude-note": "已上门调解，噪音停止", "conclude-files": [photo]},
    )
    assert response["Location"] == detail
    appeal.refresh_from_db()
    assert appeal.state == State.CONCLUDED and appeal.result == "solved"
    assert Attachment.objects.get(appeal=appeal).original_name == "整改后.png"
    assert [e.action for e in AppealEvent.objects.filter(appeal=appeal).order_by("seq")][-3:] == [
        Action.SIGN,
        Action.CONTACT,
        Action.CONCLUDE,
    ]
    # Each step left a message for the next page.
    page = client.get(detail)
    assert [m.level_tag for m in page.context["messages"]] == ["success", "success", "success"]


def test_a_step_with_missing_input_is_shown_again_with_the_error_beside_the_field(persona, register, walk):
    appeal = walk(register(), State.SIGNED)
    response = act(signed_in(persona.oliver), appeal, "conclude", {"conclude-note": "已处理"})
    assert response.status_code == 400
    form = next(item["form"] for item in response.context["actions"] if item["action"] == "conclude")
    assert form.errors["result"] and "note" not in form.errors
    html = response.content.decode()
    assert re.search(r'<details class="act-panel" data-action="conclude" open>', html)
    assert "已处理" in html  # what was typed is kept
    appeal.refresh_from_db()
    assert appeal.state == State.SIGNED


def test_a_service_refusal_is_shown_beside_its_field(persona, register, walk):
    appeal = walk(register(), State.SIGNED)
    response = act(
        signed_in(persona.oliver),
        appeal,
        "transfer",
        {"transfer-unit": str(persona.district_a1.pk), "transfer-reason": "属地不符"},
    )
    assert response.status_code == 400
    form = next(item["form"] for item in response.context["actions"] if item["action"] == "transfer")
    assert form.errors["unit"]  # already with that unit
    assert not AppealEvent.objects.filter(appeal=appeal, action=Action.TRANSFER).exists()


def test_a_step_the_state_no_longer_allows_is_409_to_htmx(persona, register, walk, oscar):
    appeal = walk(register(), State.SIGNED)  # Oliver signed first
    client = signed_in(oscar)
    response = act(client, appeal, "sign", headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "欧立文" in response.content.decode()  # who signed already
    # From "my work", the row comes back as it is now, with the reason.
    row = act(client, appeal, "sign", {"fragment": "work-item"}, headers={"HX-Request": "true"})
    assert row.status_code == 409
    assert 'data-state="signed"' in row.content.decode() and 'class="error"' in row.content.decode()
    # Without htmx: back to the page with the message.
    plain = act(client, appeal, "sign")
    assert plain.status_code == 302 and plain["Location"] == reverse("appeals:detail", args=[appeal.pk])
    messages = [str(m) for m in client.get(plain["Location"]).context["messages"]]
    assert len(messages) == 1 and "欧立文" in messages[0]
    appeal.refresh_from_db()
    assert appeal.handler == persona.oliver
    assert AppealEvent.objects.filter(appeal=appeal, action=Action.SIGN).count() == 1


def test_a_transfer_out_of_scope_leads_back_to_my_work(persona, register, walk):
    appeal = walk(register(), State.SIGNED)
    response = act(
        signed_in(persona.oliver),
        appeal,
        "transfer",
        {"transfer-unit": str(persona.district_b1.pk), "transfer-reason": "属地不符，应由河西所办理"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("appeals:mine")
    appeal.refresh_from_db()
    assert appeal.unit == persona.district_b1 and appeal.handoffs == 1


def test_merge_by_tracking_code_links_both_appeals(persona, register):
    duplicate = register(title="重复来电")
    original = register(title="第一次来电")
    client = signed_in(persona.clara)
    code = original.tracking_code
    response = act(client, duplicate, "merge", {"merge-into": f" {code[:4]} {code[4:].lower()} "})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.state == State.MERGED and duplicate.merged_into == original
    html = client.get(reverse("appeals:detail", args=[duplicate.pk])).content.decode()
    assert f'href="{reverse("appeals:detail", args=[original.pk])}" id="merged-into"' in html
    other = client.get(reverse("appeals:detail", args=[original.pk])).content.decode()
    assert duplicate.tracking_code in other and 'class="merged-from"' in other
    unknown = act(client, register(), "merge", {"merge-into": "ZZZZZZZZZZZZ"})
    assert unknown.status_code == 400


def test_reveal_phone_gives_a_tel_link_and_is_audited(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    response = signed_in(persona.oliver).post(
        reverse("appeals:reveal_phone", args=[appeal.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'href="tel:13812345678"' in response.content.decode()
    entry = AuditEntry.objects.get(action="audit.record_read", actor_username="oliver")
    assert entry.target_type == "appeals.appeal" and entry.target_id == str(appeal.pk)
    assert entry.detail == {"what": "citizen_phone"}
    # Without JavaScript, a small page with the same link.
    page = signed_in(persona.clara).post(reverse("appeals:reveal_phone", args=[appeal.pk]))
    assert "<html" in page.content.decode() and 'href="tel:13812345678"' in page.content.decode()


def test_reveal_phone_is_scoped_and_only_by_post(persona, register):
    appeal = register()
    reads = AuditEntry.objects.filter(action="audit.record_read").count()
    assert signed_in(persona.olga).post(reverse("appeals:reveal_phone", args=[appeal.pk])).status_code == 404
    assert signed_in(persona.oliver).get(reverse("appeals:reveal_phone", args=[appeal.pk])).status_code == 405
    assert signed_in(persona.sam).post(reverse("appeals:reveal_phone", args=[appeal.pk])).status_code == 403
    assert AuditEntry.objects.filter(action="audit.record_read").count() == reads
    anonymous, _ = services.appeal_register(
        actor=persona.clara, data=appeal_input(anonymous=True, citizen_name="", citizen_phone="")
    )
    assert (
        signed_in(persona.clara).post(reverse("appeals:reveal_phone", args=[anonymous.pk])).status_code == 404
    )


def test_attachments_stream_only_to_those_who_see_the_appeal(persona):
    appeal, _ = services.appeal_register(
        actor=persona.clara,
        data=appeal_input(),
        files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )
    attachment = Attachment.objects.get(appeal=appeal)
    url = reverse("appeals:attachment", args=[attachment.pk])
    client = signed_in(persona.chen)
    assert f'href="{url}"' in client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert response.getvalue() == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert AuditEntry.objects.filter(
        action="audit.record_read", actor_username="chen", detail={"what": "attachment"}
    ).exists()
    assert signed_in(persona.olga).get(url).status_code == 404
    assert signed_in(persona.sam).get(url).status_code == 403
    assert (
        signed_in(persona.chen).get(reverse("appeals:attachment", args=[attachment.pk + 99])).status_code
        == 404
    )
    # The stored file's (random) name never reaches the page: there is no public URL to guess.
    stored = attachment.file.name.rsplit("/", 1)[-1]
    assert stored not in client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()


def test_attach_from_the_page(persona, register, walk):
    appeal = walk(register(), State.SIGNED)
    pdf = SimpleUploadedFile("说明.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = act(
        signed_in(persona.oliver), appeal, "attach", {"attach-files": [pdf], "attach-note": "补充材料"}
    )
    assert response.status_code == 302
    assert Attachment.objects.get(appeal=appeal).content_type == "application/pdf"
