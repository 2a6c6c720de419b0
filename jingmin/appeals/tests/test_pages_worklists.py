"""The worklists: Oliver's "my work" by time left, the unit's queue with its filters and search,
the supervision list of what is overdue in one's scope; Olga (another station) sees none of it."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from conftest import make_user, signed_in
from jingmin.appeals import services
from jingmin.appeals.models import Appeal, Category, State
from jingmin.appeals.templatetags.appeals import describe_left
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit.models import AuditEntry
from jingmin.core.paging import COUNT_LIMIT
from jingmin.org.roles import Role

ITEM = re.compile(r'<li class="work-item ([^"]*)" id="appeal-(\d+)"')
ROW = re.compile(r'<tr class="[^"]*" data-appeal="(\d+)"')


def work_items(html: str) -> list[tuple[int, set[str]]]:
    return [(int(pk), set(classes.split())) for classes, pk in ITEM.findall(html)]


def queue_ids(html: str) -> list[int]:
    return [int(pk) for pk in ROW.findall(html)]


def set_due(appeal: Appeal, delta: timedelta) -> None:
    Appeal.objects.filter(pk=appeal.pk).update(due_at=timezone.now() + delta)


def workbook_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_time_left_reads_in_minutes_hours_and_days():
    with translation.override("en"):
        assert describe_left(timedelta(minutes=30, seconds=10)) == "30 minutes left"
        assert describe_left(timedelta(hours=3, minutes=20)) == "3 hours left"
        assert describe_left(timedelta(hours=30)) == "1 day left"
        assert describe_left(timedelta(days=3, hours=2)) == "3 days left"
        assert describe_left(-timedelta(minutes=90)) == "overdue by 1 hour"
        assert describe_left(-timedelta(days=1, hours=5)) == "overdue by 1 day"
        assert describe_left(-timedelta(seconds=5)) == "overdue by 1 minute"


def test_my_work_lists_the_nearest_deadline_first_and_marks_overdue_and_soon(persona, register, walk):
    later = walk(register(title="下周到期"), State.DISPATCHED)
    overdue = walk(register(title="已经超时"), State.SIGNED)
    soon = walk(register(title="马上到期"), State.DISPATCHED)
    set_due(later, timedelta(days=3, hours=1))
    set_due(overdue, -timedelta(days=1, hours=2))
    set_due(soon, timedelta(hours=3, minutes=10))
    not_mine = walk(register(title="还没派单"), State.ACCEPTED)

    response = english(signed_in(persona.oliver)).get(reverse("appeals:mine"))

    assert response.status_code == 200
    items = work_items(response.content.decode())
    assert [pk for pk, _classes in items] == [overdue.pk, soon.pk, later.pk]
    classes = dict(items)
    assert "overdue" in classes[overdue.pk] and "soon" not in classes[overdue.pk]
    assert "soon" in classes[soon.pk]
    assert not {"overdue", "soon"} & classes[later.pk]
    html = response.content.decode()
    assert "overdue by 1 day" in html and "3 hours left" in html and "3 days left" in html
    assert f'id="appeal-{not_mine.pk}"' not in html
    # One-tap sign on the dispatched rows only; the signed one has no sign button.
    assert html.count('class="primary big sign"') == 2
    # The phone is only masked; calling goes through the audited reveal.
    assert "138****5678" in html and "13812345678" not in html
    assert reverse("appeals:reveal_phone", args=[soon.pk]) in html


def test_my_work_in_chinese_says_time_left_in_words(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    set_due(appeal, -timedelta(days=1, hours=1))
    html = signed_in(persona.oliver).get(reverse("appeals:mine")).content.decode()
    assert "已超时1天" in html


def test_one_tap_sign_from_my_work_swaps_the_row(persona, register, walk):
    appeal = walk(register(), State.DISPATCHED)
    client = signed_in(persona.oliver)
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "sign"]),
        {"fragment": "work-item"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<li") and 'data-state="signed"' in html
    assert "<html" not in html
    appeal.refresh_from_db()
    assert appeal.state == State.SIGNED and appeal.handler == persona.oliver


def test_an_empty_worklist_says_what_happens_next(persona):
    response = signed_in(persona.oliver).get(reverse("appeals:mine"))
    assert response.status_code == 200
    assert 'class="empty"' in response.content.decode()


def test_my_work_is_for_those_who_handle_appeals(persona):
    assert signed_in(persona.clara).get(reverse("appeals:mine")).status_code == 403
    assert signed_in(persona.sam).get(reverse("appeals:mine")).status_code == 403


def test_queue_filters_by_state_type_urgency_and_category(persona, register, walk):
    noise = register(title="噪音扰民", type="complaint", urgency="urgent")
    parking = register(
        title="门口违停",
        type="help",
        category=Category.objects.get(code="traffic-parking"),
        urgency="general",
    )
    dispatched = walk(register(title="已派单的求助", type="help"), State.DISPATCHED)
    client = signed_in(persona.chen)
    url = reverse("appeals:queue")

    assert set(queue_ids(client.get(url).content.decode())) == {noise.pk, parking.pk, dispatched.pk}
    assert queue_ids(client.get(url, {"type": "complaint"}).content.decode()) == [noise.pk]
    assert queue_ids(client.get(url, {"urgency": "urgent"}).content.decode()) == [noise.pk]
    assert queue_ids(client.get(url, {"state": "dispatched"}).content.decode()) == [dispatched.pk]
    assert queue_ids(client.get(url, {"category": "traffic"}).content.decode()) == [parking.pk]
    assert queue_ids(client.get(url, {"category": "traffic-parking"}).content.decode()) == [parking.pk]
    unit = client.get(url, {"unit": persona.district_a1.pk}).content.decode()
    assert queue_ids(unit) == [dispatched.pk]
    # The form keeps what was asked for.
    assert 'value="complaint" selected' in client.get(url, {"type": "complaint"}).content.decode()


def test_queue_searches_chinese_words_of_two_characters(persona, register):
    lamp = register(title="路灯不亮", content="小区门口路灯坏了三天")
    noise = register(title="楼上噪音", content="深夜装修")
    water = register(title="楼道漏水", content="三楼水管", address="东门路路灯下")
    client = signed_in(persona.chen)
    url = reverse("appeals:queue")
    assert set(queue_ids(client.get(url, {"q": "路灯"}).content.decode())) == {lamp.pk, water.pk}
    assert queue_ids(client.get(url, {"q": "噪音"}).content.decode()) == [noise.pk]
    assert queue_ids(client.get(url, {"q": "路灯 漏水"}).content.decode()) == [water.pk]
    empty = client.get(url, {"q": "诈骗"}).content.decode()
    assert queue_ids(empty) == [] and 'class="empty"' in empty


def test_queue_answers_htmx_with_the_table_only(persona, register):
    appeal = register()
    response = signed_in(persona.chen).get(
        reverse("appeals:queue"), {"q": "噪音"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and queue_ids(html) == [appeal.pk]


def test_queue_pages_with_next_and_previous_without_counting(persona, register):
    created = [register(title=f"诉求{i}") for i in range(35)]
    newest_first = [a.pk for a in sorted(created, key=lambda a: (a.received_at, a.pk), reverse=True)]
    client = signed_in(persona.chen)
    url = reverse("appeals:queue")

    with CaptureQueriesContext(connection) as queries:
        first = client.get(url)
    # A million rows: no OFFSET, and the count only over the first COUNT_LIMIT + 1 rows.
    appeal_queries = [q["sql"] for q in queries.captured_queries if "appeals_appeal" in q["sql"]]
    assert appeal_queries and not [sql for sql in appeal_queries if "OFFSET" in sql.upper()]
    counts = [sql for sql in appeal_queries if "COUNT(" in sql.upper()]
    assert len(counts) == 1 and f"LIMIT {COUNT_LIMIT + 1}" in counts[0]
    first_ids = queue_ids(first.content.decode())
    assert first_ids == newest_first[:30]
    assert first.context["page"].previous_cursor == ""
    cursor = first.context["page"].next_cursor
    assert cursor

    second = client.get(url, {"after": cursor})
    assert queue_ids(second.content.decode()) == newest_first[30:]
    assert second.context["page"].next_cursor == ""
    back = client.get(url, {"before": second.context["page"].previous_cursor})
    assert queue_ids(back.content.decode()) == newest_first[:30]
    assert back.context["page"].previous_cursor == ""
    # A garbled cursor is the first page, not an error.
    assert queue_ids(client.get(url, {"after": "x.y"}).content.decode()) == newest_first[:30]


def test_queue_exports_the_filtered_list_to_excel_with_masked_phones(persona, register):
    complaint = register(title="投诉态度", type="complaint")
    register(title="求助开锁", type="help")
    response = signed_in(persona.chen).get(reverse("appeals:export"), {"type": "complaint"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = workbook_rows(response)
    assert len(rows) == 2
    assert rows[1][0] == complaint.tracking_code
    assert "138****5678" in rows[1] and "13812345678" not in rows[1]
    assert AuditEntry.objects.filter(action="appeals.appeal_export", actor_username="chen").exists()


def test_supervision_lists_only_what_is_overdue_or_due_soon_in_scope(persona, register, walk):
    bella = make_user("bella", persona.station_b, Role.CLERK, "贝拉")
    overdue_a = walk(register(title="A所超时"), State.SIGNED)
    soon_a = walk(register(title="A所将到期"), State.DISPATCHED)
    calm_a = walk(register(title="A所不急"), State.DISPATCHED)
    overdue_b = register(actor=bella, title="B所超时")
    set_due(overdue_a, -timedelta(hours=5))
    set_due(soon_a, timedelta(hours=6))
    set_due(calm_a, timedelta(days=4))
    set_due(overdue_b, -timedelta(days=2))

    chen = signed_in(persona.chen).get(reverse("appeals:supervision"))
    assert chen.status_code == 200
    assert [pk for pk, _c in work_items(chen.content.decode())] == [overdue_a.pk, soon_a.pk]
    assert chen.context["counts"]["overdue"] == 1 and chen.context["counts"]["due_soon"] == 1
    assert chen.context["counts"]["new_today"] == 3

    leader = signed_in(persona.li).get(reverse("appeals:supervision"))
    assert [pk for pk, _c in work_items(leader.content.decode())] == [overdue_b.pk, overdue_a.pk, soon_a.pk]
    assert leader.context["counts"]["overdue"] == 2

    narrow = signed_in(persona.chen).get(reverse("appeals:supervision"), {"hours": "1"})
    assert [pk for pk, _c in work_items(narrow.content.decode())] == [overdue_a.pk]


def test_supervising_from_the_list_marks_the_appeal_and_returns_to_the_list(persona, register, walk):
    appeal = walk(register(), State.SIGNED)
    set_due(appeal, -timedelta(hours=1))
    url = reverse("appeals:supervision")
    response = signed_in(persona.chen).post(
        reverse("appeals:act", args=[appeal.pk, "supervise"]),
        {"supervise-note": "今天下班前联系群众", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    appeal.refresh_from_db()
    assert appeal.supervised
    assert appeal.events.filter(action="supervise", note="今天下班前联系群众").exists()


@pytest.mark.parametrize("who", ["oliver", "clara", "sam"])
def test_supervision_is_for_those_who_supervise(persona, who):
    assert signed_in(getattr(persona, who)).get(reverse("appeals:supervision")).status_code == 403


def test_olga_of_another_station_sees_none_of_station_a(persona, register, walk):
    dispatched = walk(register(title="A所的诉求"), State.DISPATCHED)
    set_due(dispatched, -timedelta(hours=2))
    other, _ = services.appeal_register(actor=persona.clara, data=appeal_input(title="另一件"))
    olga = signed_in(persona.olga)

    assert work_items(olga.get(reverse("appeals:mine")).content.decode()) == []
    queue = olga.get(reverse("appeals:queue")).content.decode()
    assert queue_ids(queue) == [] and dispatched.tracking_code not in queue
    assert olga.get(reverse("appeals:detail", args=[dispatched.pk])).status_code == 404
    assert olga.get(reverse("appeals:detail", args=[other.pk])).status_code == 404
    export = olga.get(reverse("appeals:export"))
    rows = workbook_rows(export)
    assert len(rows) == 1  # the header only


def test_the_home_cards_count_what_waits_for_each_person(persona, register, walk):
    from django.template.loader import render_to_string

    overdue = walk(register(), State.DISPATCHED)
    walk(register(), State.SIGNED)
    register()
    walk(register(), State.CONCLUDED)
    set_due(overdue, -timedelta(hours=3))

    def cards(user) -> dict[str, str]:
        html = render_to_string("appeals/_home_cards.html", {"user": user})
        return dict(re.findall(r'data-card="([\w:]+)"><span class="value">([\d.]+)</span>', html))

    oliver = cards(persona.oliver)
    assert oliver["appeals:mine"] == "2" and oliver["appeals:mine:bad"] == "1"
    chen = cards(persona.chen)
    assert chen["appeals:supervision:bad"] == "1"  # overdue in station A
    # The signed one and the new one: their first-contact clocks (24 hours) run out today.
    assert chen["appeals:supervision:warn"] == "2"
    assert "appeals:reviews" in cards(persona.ines) and "appeals:mine" not in cards(persona.ines)
    assert cards(persona.olga)["appeals:mine"] == "0"
    assert cards(persona.sam) == {}
    page = render_to_string("appeals/_home_cards.html", {"user": persona.chen})
    assert 'class="card tone-bad"' in page
