"""The queue's pages walk appeals received at the same instant by their id, so that paging
forwards and back shows each appeal exactly once, in one order, however many share a time."""

from __future__ import annotations

from datetime import UTC, datetime

from jingmin.appeals.models import Appeal
from jingmin.appeals.views import NEWEST_RECEIVED
from jingmin.core.paging import keyset_page


def test_pages_through_appeals_received_at_the_same_instant(register):
    created = [register(title=f"同时{i}") for i in range(9)]
    same = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    Appeal.objects.filter(pk__in=[a.pk for a in created[2:7]]).update(received_at=same)
    qs = Appeal.objects.filter(pk__in=[a.pk for a in created])
    expected = list(qs.order_by("-received_at", "-id").values_list("pk", flat=True))

    seen: list[int] = []
    pages = []
    after = ""
    while True:
        page = keyset_page(qs, NEWEST_RECEIVED, after=after, size=2)
        pages.append(page)
        seen += [a.pk for a in page.rows]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == expected and len(pages) == 5

    # And back from the last page, to the first.
    page = pages[-1]
    back = [a.pk for a in page.rows]
    while page.previous_cursor:
        page = keyset_page(qs, NEWEST_RECEIVED, before=page.previous_cursor, size=2)
        back = [a.pk for a in page.rows] + back
    assert back == expected
