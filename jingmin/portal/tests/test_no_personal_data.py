"""The public pages leak nothing personal: appeals are seeded with distinctive names, phone
numbers, addresses, texts and officer notes, taken through every step, and then the tracking
pages, the statistics, the notices and the home page are read; none of those values appears."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from jingmin.appeals import services
from jingmin.core.crypto import mask
from jingmin.portal import services as portal_services
from jingmin.portal.statistics import PERIODS
from jingmin.portal.tests.conftest import concluded, registered

CITIZENS = [
    ("欧阳泄密", "13700001234", "秘密胡同99号3单元", "私密内容甲：邻居家里常有争吵"),
    ("司马隐私", "15911112222", "保密大街1号院", "私密内容乙：我家老人走失了"),
    ("诸葛档案", "18633334444", "隐蔽小区7栋", "私密内容丙：有人冒充民警打电话"),
]
NOTES = ["警员笔记甲：当事人情绪激动", "警员笔记乙：已电话告知家属", "督办要求丙：务必今日办结"]


def seeded(persona):
    appeals = []
    for name, phone, address, content in CITIZENS:
        appeals.append(
            registered(
                persona,
                citizen_name=name,
                citizen_phone=phone,
                address=address,
                content=content,
                title=content[:12],
            )
        )
    first, second, third = appeals
    services.appeal_supervise(actor=persona.chen, appeal_id=first.pk, note=NOTES[2])
    concluded(persona, first, note=NOTES[0])
    services.appeal_follow_up(
        actor=persona.clara, appeal_id=first.pk, resolved=False, satisfaction=1, note="回访记录：很不满意"
    )
    concluded(persona, second, note=NOTES[1])
    services.appeal_reject(actor=persona.clara, appeal_id=third.pk, reason="拒绝理由：重复投诉")
    notice = portal_services.notice_publish(
        actor=persona.chen, kind="safety", title="防骗提示", body="不要转账"
    )
    return appeals, notice


def forbidden(persona) -> list[str]:
    values = []
    for name, phone, address, content in CITIZENS:
        values += [name, phone, mask(phone), address, content, content[:12]]
    values += [*NOTES, "回访记录：很不满意", "拒绝理由：重复投诉"]
    for user in persona.all_users():
        values.append(user.full_name)
        # "li" or "sam" occur in any HTML ("<li>"); the longer usernames are distinctive.
        if len(user.username) > 3:
            values.append(user.username)
    return values


def test_no_public_page_shows_personal_data(persona):
    appeals, notice = seeded(persona)
    public = Client(REMOTE_ADDR="203.0.113.50")
    pages = [reverse("portal:track_detail", args=[a.tracking_code]) for a in appeals]
    pages += [f"{reverse('portal:stats')}?period={p}" for p in PERIODS]
    pages += [reverse("portal:notices"), reverse("portal:home"), reverse("portal:track")]
    pages += [reverse("portal:notice", args=[notice.pk])]
    values = forbidden(persona)
    for url in pages:
        response = public.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        leaked = [v for v in values if v in html]
        assert leaked == [], f"{url} shows {leaked}"
    # The pages did show the unit that handled them and their states: the test read real pages.
    first = public.get(pages[0]).content.decode()
    assert persona.district_a1.name in first and 'data-action="conclude"' in first
    stats = public.get(f"{reverse('portal:stats')}?period=12m").content.decode()
    assert persona.station_a.name in stats and "治安管理" in stats
