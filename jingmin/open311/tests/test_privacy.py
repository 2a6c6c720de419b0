"""Reading is public, so a public answer carries no personal data: no description, address,
media or contact, coarse coordinates only, and never the citizen's tracking code (their secret
for tracking and rating). Tip-offs are not listed at all. The partner that brought a request in
sees, with its key, what it sent itself, and that read is audited."""

from __future__ import annotations

import json

from jingmin.appeals import services as appeal_services
from jingmin.appeals.models import Appeal
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit.models import AuditEntry
from jingmin.open311.services import partner_create
from jingmin.open311.tests.conftest import call, noise_post, post_form

PERSONAL = [
    "王小明",
    "小明",
    "13812345678",
    "东门小区",
    "wang@example.com",
    "dev-778",
    "acc-42",
    "img.example.com",
    "影响休息",
]


def posted(public, key: str, **changes) -> Appeal:
    [answer] = json.loads(post_form(public, "json", noise_post(key, **changes)).content)
    return Appeal.objects.get(pk=int(answer["service_request_id"]))


def test_the_public_sees_no_personal_data(persona, public, hotline):
    appeal = posted(public, hotline.key)
    for fmt in ("json", "xml"):
        for path in ("requests", f"requests/{appeal.pk}"):
            body = call(public, "GET", path, fmt).content.decode()
            for secret in [*PERSONAL, appeal.tracking_code]:
                assert secret not in body, (fmt, path, secret)
    [row] = json.loads(call(public, "GET", f"requests/{appeal.pk}").content)
    assert row["description"] is None and row["address"] is None and row["media_url"] is None
    assert row["address_id"] is None
    # About a kilometre: enough for a map of the city, not for a door.
    assert (row["lat"], row["long"]) == (39.91, 116.4)


def test_the_request_id_is_not_the_tracking_code(persona, public, hotline):
    appeal = posted(public, hotline.key)
    [answer] = json.loads(post_form(public, "json", noise_post(hotline.key)).content)
    assert appeal.tracking_code not in json.dumps(answer)
    assert str(appeal.pk) != appeal.tracking_code
    assert call(public, "GET", f"requests/{appeal.tracking_code}").status_code == 404


def test_tip_offs_are_not_public(persona, public):
    tip, _ = appeal_services.appeal_register(
        actor=persona.clara, data=appeal_input(type="report", title="举报赌博")
    )
    help_, _ = appeal_services.appeal_register(actor=persona.clara, data=appeal_input())
    listed = [int(r["service_request_id"]) for r in json.loads(call(public, "GET", "requests").content)]
    assert listed == [help_.pk]
    assert call(public, "GET", f"requests/{tip.pk}").status_code == 404
    by_id = call(public, "GET", "requests", "json", {"service_request_id": f"{tip.pk},{help_.pk}"})
    assert [int(r["service_request_id"]) for r in json.loads(by_id.content)] == [help_.pk]


def test_the_partner_sees_what_it_sent(persona, public, hotline):
    appeal = posted(public, hotline.key, address_id="BJ-77")
    response = call(public, "GET", f"requests/{appeal.pk}", "json", {"api_key": hotline.key})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    [row] = json.loads(response.content)
    assert row["description"] == "楼上每晚12点后装修噪音\n影响休息"
    assert row["address"] == "东门小区3栋2单元"
    assert row["address_id"] == "BJ-77"
    assert row["media_url"] == "https://img.example.com/noise/1.jpg"
    assert (row["lat"], row["long"]) == (39.908724, 116.397475)
    # Still never the citizen's contact or their tracking code.
    body = response.content.decode()
    for secret in ("13812345678", "王小明", "wang@example.com", appeal.tracking_code):
        assert secret not in body
    entry = AuditEntry.objects.get(action="open311.request_read")
    assert entry.actor_username == "open311:12345市民服务热线"
    assert entry.detail["requests"] == [appeal.pk]


def test_a_partner_sees_nothing_more_of_what_others_brought_in(persona, public, hotline):
    _other, other_key = partner_create(actor=persona.sam, name="某某App", intake_unit=persona.station_b)
    theirs = posted(public, other_key)
    clerks, _ = appeal_services.appeal_register(actor=persona.clara, data=appeal_input())
    response = call(public, "GET", "requests", "json", {"api_key": hotline.key})
    rows = {int(r["service_request_id"]): r for r in json.loads(response.content)}
    assert set(rows) == {theirs.pk, clerks.pk}
    for row in rows.values():
        assert row["description"] is None and row["address"] is None and row["media_url"] is None
    body = response.content.decode()
    assert "影响休息" not in body and "东门小区" not in body
    # Nothing personal was shown, so nothing to audit.
    assert not AuditEntry.objects.filter(action="open311.request_read").exists()


def test_public_answers_are_readable_from_other_sites(db, public):
    response = call(public, "GET", "requests")
    assert response["Access-Control-Allow-Origin"] == "*"
