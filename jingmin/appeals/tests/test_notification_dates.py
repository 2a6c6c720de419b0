"""Dates in what is sent are in Chinese form: an officer's notification (in the app and by
e-mail) says "due 2026年11月23日 14:00", in Beijing time, never the ISO form a program writes.
One helper (`jingmin.core.dates`) writes them wherever a moment is quoted."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.utils import translation

from jingmin.appeals import services
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.core.dates import spoken_date, spoken_datetime
from jingmin.notify.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_the_helper_writes_chinese_dates_in_beijing_time():
    with translation.override("zh-hans"):
        # 06:05 UTC is 14:05 in Beijing.
        assert spoken_datetime(datetime(2026, 12, 3, 6, 5, tzinfo=UTC)) == "2026年12月3日 14:05"
        # 20:00 UTC on the 2nd is already the 3rd in Beijing.
        assert spoken_date(datetime(2026, 12, 2, 20, 0, tzinfo=UTC)) == "2026年12月3日"


def test_a_notification_gives_its_deadline_in_chinese(
    persona, django_capture_on_commit_callbacks, run_tasks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    persona.oliver.email = "oliver@example.org"
    persona.oliver.save(update_fields=["email"])
    with (
        translation.override("zh-hans"),
        time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        appeal, _created = services.appeal_register(actor=persona.clara, data=appeal_input())
        services.appeal_accept(actor=persona.clara, appeal_id=appeal.pk)
        appeal = services.appeal_dispatch(actor=persona.clara, appeal_id=appeal.pk, unit=persona.district_a1)
    run_tasks()
    assert appeal.due_at is not None
    note = Notification.objects.filter(recipient=persona.oliver, kind="appeal.dispatch").get()
    assert spoken_datetime(appeal.due_at) in note.body
    assert re.search(r"2026年11月2\d日 \d{2}:\d{2}", note.body), note.body
    assert not ISO.search(note.body)
    sent = [m for m in mail.outbox if "oliver@example.org" in m.to]
    assert sent, "the dispatch notice is e-mailed too"
    body = str(sent[0].body)
    assert spoken_datetime(appeal.due_at) in body and not ISO.search(body)
