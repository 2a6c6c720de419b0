"""What came in through Open311 is an appeal like any other for the receiving unit: Clara (the
clerk of the station the hotline posts to) finds it in her queue with the channel and the partner,
and its page shows the partner, the answers with their questions and the media as a plain link.
Olga, at another station, sees none of it."""

from __future__ import annotations

import json
import re

from django.urls import reverse
from django.utils import translation

from conftest import signed_in
from jingmin.appeals.models import Appeal, Channel
from jingmin.open311.tests.conftest import noise_post, post_form


def posted(public, key: str, **changes) -> Appeal:
    data = noise_post(
        key, **{"attribute[still_ongoing]": "yes", "attribute[noise_since]": "2026-11-28T22:00:00+08:00"}
    )
    data.update(changes)
    [answer] = json.loads(post_form(public, "json", data).content)
    return Appeal.objects.get(pk=int(answer["service_request_id"]))


def test_clara_finds_it_in_her_queue_with_channel_and_partner(persona, public, hotline):
    appeal = posted(public, hotline.key)
    html = signed_in(persona.clara).get(reverse("appeals:queue")).content.decode()
    row = re.search(rf'<tr class="[^"]*" data-appeal="{appeal.pk}">(.*?)</tr>', html, re.S)
    assert row is not None
    with translation.override("zh-hans"):
        channel = str(Channel.OPEN311.label)
    assert f'<span class="channel">{channel}（12345市民服务热线）</span>' in row.group(1)
    assert appeal.title in row.group(1)


def test_olga_at_another_station_does_not_see_it(persona, public, hotline):
    appeal = posted(public, hotline.key)
    client = signed_in(persona.olga)
    assert f'data-appeal="{appeal.pk}"' not in client.get(reverse("appeals:queue")).content.decode()
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404


def test_the_appeal_page_shows_partner_answers_and_media(persona, public, hotline):
    appeal = posted(public, hotline.key)
    html = signed_in(persona.clara).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert '<dd id="partner">12345市民服务热线</dd>' in html
    assert '<a href="https://img.example.com/noise/1.jpg" rel="noopener noreferrer" id="media-url">' in html
    answers = dict(re.findall(r'<dt data-attribute="[^"]+">([^<]*)</dt><dd>([^<]*)</dd>', html))
    assert answers["噪音来自哪里？"] == "装修"
    assert answers["现在还在持续吗？"] == "是"
    assert answers["噪音从什么时候开始？"].startswith("2026")


def test_an_appeal_without_answers_or_media_shows_neither(persona, public, hotline):
    appeal = posted(
        public,
        hotline.key,
        **{
            "media_url": "",
            "attribute[noise_source]": "other",
            "attribute[still_ongoing]": "",
            "attribute[noise_since]": "",
        },
    )
    html = signed_in(persona.clara).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="media-url"' not in html
    assert html.count("data-attribute=") == 1
