import pytest
from jingmin.core.browser import PHONE, chromium
from jingmin.ledger.tests.conftest import make_id
from jingmin.ledger.tests.test_browser_phone import _phone, _seeded  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a(live_server, persona, ledger_a1):
    base = live_server.url
    person = ledger_a1["person"]
    with chromium() as browser:
        oliver = _phone(browser, base, "oliver")
        oliver.goto(f"{base}/ledger/")
        oliver.fill("#id_q", "张")
        oliver.wait_for_url("**/ledger/?q=*")
        oliver.wait_for_selector(f'tr[data-person="{person.pk}"]')
        oliver.click(f'tr[data-person="{person.pk}"] a')
        oliver.wait_for_selector("#id-number")
        oliver.context.close()
