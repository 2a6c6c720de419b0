"""In Debian's Chromium on a 360-px phone, with Playwright's offline mode.

1. Oliver opens the field app, goes offline, records two visits (one with a photo, made smaller
   on the phone) and an appeal, reloads the page while offline and finds them waiting; back
   online, each reaches the server exactly once.
2. A visit with a birth in a household that changed meanwhile comes back as a conflict; Oliver
   sees the household as it is now and sends his news against it.
3. Signing out leaves nothing of the copy on the phone: IndexedDB empty, Cache Storage holding
   the shell only.

The live server listens on `localhost`, a secure context over plain HTTP, where service workers
run.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from conftest import PASSWORD
from jingmin.appeals.models import Appeal
from jingmin.core.browser import PHONE, chromium
from jingmin.ledger.models import Person
from jingmin.visits.models import Visit, VisitItem, VisitPhoto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(audit_guard_lifted, reference_data):
    """A transactional test run before this one emptied every table, seeded rows included."""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def open_app(browser, live_server):
    assert live_server.url.startswith("http://localhost:"), live_server.url
    # Playwright evaluates a string predicate in the page, which the enforced policy forbids; the policy
    # itself is walked page by page in jingmin/core/tests/test_browser_csp.py.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, bypass_csp=True)
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/signin/?next=/field/")
    page.fill("#id_username", "oliver")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/field/")
    # The worker controls the page and the district's copy is on the phone.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20000)
    page.wait_for_selector("#copy-line", timeout=20000)
    return context, page


def queue_count(page) -> int:
    return int(page.get_attribute("#queue-count", "data-count"))


def big_photo(tmp_path: Path) -> Path:
    path = tmp_path / "door.jpg"
    Image.new("RGB", (3200, 2400), (90, 140, 200)).save(path, "JPEG", quality=95)
    return path


def record_visit(page, household: int, summary: str, *, news=None, photo: Path | None = None) -> None:
    page.goto(page.url.split("#")[0] + f"#visit/{household}")
    page.wait_for_selector("#visit-form")
    page.fill("#visit-form textarea[name=summary]", summary)
    if news:
        page.click("[data-add-news]")
        page.select_option(".news-row select[name=kind]", news[0])
        page.fill(".news-row textarea[name=text]", news[1])
    if photo:
        page.set_input_files("#visit-form input[type=file]", str(photo))
        page.wait_for_selector('#photo-count[data-count="1"]')
    save = page.locator("#save-visit")
    assert save.bounding_box()["height"] >= 44
    save.click()
    page.wait_for_selector('#view[data-route="outbox"]')


def test_offline_records_survive_a_reload_and_reach_the_server_once(
    browser, live_server, persona, world, tmp_path
):
    context, page = open_app(browser, live_server)
    assert no_sideways_scroll(page)
    assert page.get_attribute("#copy-line", "data-households") == str(len(world.a1))

    context.set_offline(True)
    page.wait_for_selector('#net[data-online="0"]')
    first, second = world.a1[0], world.a1[1]
    record_visit(page, first.pk, "入户走访，家中一切正常。", news=("illness", "老人腿脚不便"))
    record_visit(page, second.pk, "入户走访，查看门锁。", photo=big_photo(tmp_path))
    assert no_sideways_scroll(page)

    page.click('#tabs a[data-tab="appeal"]')
    page.wait_for_selector("#appeal-form")
    page.select_option("#appeal-form select[name=category]", index=1)
    page.fill("#appeal-form input[name=title]", "村口路灯坏了")
    page.fill("#appeal-form textarea[name=content]", "村口的路灯坏了一个月，晚上看不见路。")
    page.fill("#appeal-form input[name=citizen_name]", "王大爷")
    page.click("#save-appeal")
    page.wait_for_selector('#view[data-route="outbox"]')
    assert queue_count(page) == 3
    assert not Visit.objects.exists() and not Appeal.objects.exists()

    # A reload without a network: the worker serves the shell, IndexedDB still holds the records.
    page.reload()
    page.wait_for_selector('#view[data-ready="1"]')
    assert queue_count(page) == 3
    page.goto(page.url.split("#")[0] + "#outbox")
    page.wait_for_selector('#outbox-list li[data-status="waiting"]')
    assert page.locator("#outbox-list li").count() == 3

    context.set_offline(False)
    page.wait_for_function("document.getElementById('queue-count').dataset.count === '0'", timeout=20000)
    page.wait_for_selector('#outbox-list li[data-status="sent"] >> nth=2')

    assert Visit.objects.count() == 2
    assert set(Visit.objects.values_list("household_id", flat=True)) == {first.pk, second.pk}
    assert list(VisitItem.objects.values_list("kind", flat=True)) == ["illness"]
    photo = VisitPhoto.objects.get()
    with Image.open(io.BytesIO(photo.file.read())) as image:
        assert max(image.size) == 1600
    assert photo.size < 1_000_000
    appeal = Appeal.objects.get()
    assert appeal.channel == "visit" and appeal.title == "村口路灯坏了"

    # A second round of sending (the button, or the worker's background sync) creates nothing.
    page.click("#send-now")
    page.wait_for_function("document.body.dataset.sending === '0'")
    assert Visit.objects.count() == 2 and Appeal.objects.count() == 1
    context.close()


def test_a_conflict_is_shown_and_the_officer_resolves_it(browser, live_server, persona, world):
    context, page = open_app(browser, live_server)
    household = world.a1[2]
    context.set_offline(True)
    page.wait_for_selector('#net[data-online="0"]')
    record_visit(page, household.pk, "入户走访，得知添丁。", news=("birth", "家中添了一个儿子"))

    # Meanwhile a colleague enters the newborn in the ledger.
    Person.objects.create(
        name="王新生",
        household=household,
        relation="child",
        house=household.house,
        district=persona.district_a1,
        district_path=persona.district_a1.path,
    )
    context.set_offline(False)
    conflict = page.locator('#outbox-list li[data-status="conflict"]')
    conflict.wait_for(timeout=20000)
    assert not Visit.objects.exists()
    assert "王**" in conflict.inner_text()
    assert queue_count(page) == 1
    assert no_sideways_scroll(page)

    conflict.locator("[data-send-anyway]").click()
    page.wait_for_selector('#outbox-list li[data-status="sent"]', timeout=20000)
    assert queue_count(page) == 0
    visit = Visit.objects.get()
    assert visit.household_id == household.pk
    assert list(visit.items.values_list("kind", flat=True)) == ["birth"]
    context.close()


STORED = """async () => {
  const dbs = await indexedDB.databases();
  let rows = 0;
  for (const info of dbs) {
    const db = await new Promise((ok, ko) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = ko; });
    for (const name of db.objectStoreNames) {
      rows += await new Promise((ok) => { const r = db.transaction(name).objectStore(name).count(); r.onsuccess = () => ok(r.result); });
    }
    db.close();
  }
  const urls = [];
  for (const key of await caches.keys()) {
    const cache = await caches.open(key);
    for (const req of await cache.keys()) urls.push(new URL(req.url).pathname);
  }
  return { rows, urls };
}"""


def test_signing_out_leaves_no_personal_data_on_the_phone(browser, live_server, persona, world):
    context, page = open_app(browser, live_server)
    before = page.evaluate(STORED)
    assert before["rows"] > len(world.a1)
    context.set_offline(True)
    page.wait_for_selector('#net[data-online="0"]')
    record_visit(page, world.a1[3].pk, "入户走访。")
    context.set_offline(False)
    page.wait_for_function("document.getElementById('queue-count').dataset.count === '0'", timeout=20000)

    page.click("#signout")
    page.wait_for_url("**/signin/**")
    page.wait_for_function("document.documentElement.dataset.fieldWiped === '1'")
    after = page.evaluate(STORED)
    assert after["rows"] == 0
    # Cache Storage holds the app shell only: static files and the empty page, no answer of the
    # session, the copy or the sync.
    assert after["urls"]
    for url in after["urls"]:
        assert url.startswith("/static/") or url == "/field/", url
    context.close()


COUNTS = """async () => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("jingmin-field"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const out = {};
  for (const name of db.objectStoreNames) {
    out[name] = await new Promise((ok) => { const r = db.transaction(name).objectStore(name).count(); r.onsuccess = () => ok(r.result); });
  }
  db.close();
  return out;
}"""

SET_META = """async ([key, change]) => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open("jingmin-field"); r.onsuccess = () => ok(r.result); r.onerror = ko; });
  const store = db.transaction("meta", "readwrite").objectStore("meta");
  const value = await new Promise((ok) => { const r = store.get(key); r.onsuccess = () => ok(r.result); });
  const next = change === "old" ? Date.now() - 31 * 60 * 1000 : { ...value, expires_at: "2020-01-01T00:00:00+08:00" };
  await new Promise((ok) => { const r = store.put(next, key); r.onsuccess = ok; });
  db.close();
}"""


def test_the_idle_time_out_and_the_expiry_delete_the_copy_but_not_the_waiting_records(
    browser, live_server, persona, world
):
    context, page = open_app(browser, live_server)
    context.set_offline(True)
    page.wait_for_selector('#net[data-online="0"]')
    record_visit(page, world.a1[4].pk, "入户走访，了解近况。")

    # Thirty-one minutes without a touch, offline: the copy goes, the record stays.
    page.evaluate(SET_META, ["last_active", "old"])
    page.reload()
    page.wait_for_selector('#view[data-ready="1"]')
    page.wait_for_selector("#view .msg.warning")
    counts = page.evaluate(COUNTS)
    assert counts["households"] == counts["work"] == counts["plan"] == counts["meta"] == 0
    assert counts["outbox"] == 1
    assert queue_count(page) == 1

    # Back online and still signed in on the server: the record is sent, the copy made again.
    context.set_offline(False)
    page.wait_for_function("document.getElementById('queue-count').dataset.count === '0'", timeout=20000)
    assert Visit.objects.filter(household=world.a1[4]).count() == 1
    page.goto(page.url.split("#")[0] + "#today")
    page.wait_for_selector("#copy-line", timeout=20000)

    # A copy past its expiry is deleted when the app opens, with or without a network.
    context.set_offline(True)
    page.wait_for_selector('#net[data-online="0"]')
    page.evaluate(SET_META, ["copy", "expired"])
    page.reload()
    page.wait_for_selector("#no-copy")
    assert page.evaluate(COUNTS)["households"] == 0
    context.close()
