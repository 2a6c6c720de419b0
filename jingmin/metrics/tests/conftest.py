"""A hand-made station for the indicator tests: station A in March 2026, written straight to the
tables with times chosen so that every expected figure can be worked out by hand.

Appeals received in March 2026 (T = 10 March, 09:00 Beijing time; "late" = after its deadline):

| appeal | district | handler | sign-for | contact | conclusion | hand-offs | other |
|---|---|---|---|---|---|---|---|
| a1 | A1 | Oliver | on time | on time | on time | 0 | |
| a2 | A1 | Oliver | late | on time | late | 2 | at 东门路1号 |
| a3 | A1 | Oliver | on time | late | on time | 1 | same phone and category as a10 (20 Feb): a repeat |
| a4 | A1 | Oliver | on time | no clock | open past its deadline | 0 | same phone as a10, other category |
| a5 | A1 | Oliver | — | — | — | 0 | rejected |
| a6 | A1 | Oliver | on time | on time | — | 0 | merged into a1 (a duplicate) |
| a7 | A1 | Oliver | on time | on time | on time | 0 | 东门路1号 again 5 days after a2: a repeat |
| a8 | A1 | Oliver | clocks still running on 31 March | | | 0 | received 31 March |
| a9 | A2 | — | on time | on time | on time | 1 | |

a10 was received on 20 February (district A1, Oliver); b1 lies in station B.

Follow-ups answered in March: a1 resolved, very satisfied (5); a2 unresolved, dissatisfied (2);
a3 resolved, fairly satisfied (3); a7 resolved, satisfied (4); a9 unresolved, very dissatisfied
(1), found unreasonable on review; a10 resolved, fairly satisfied (3); b1's (station B).

Ledger: A1 has four active households and one that moved away, A2 one; 40 residents in station A.
Visits in March: two to h1 and one to h2 by Oliver, one to h5 (A2) by Chen; a withdrawn one to
h3, a persuasion to h4, one in February to h3, one in B1.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from conftest import Personas
from jingmin.appeals import services, tallies
from jingmin.appeals.clocks import ALERT_FIELDS
from jingmin.appeals.models import Appeal, Category, FollowUp, State
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.ledger.models import AddressKind, Household, Person
from jingmin.metrics import rollup
from jingmin.metrics.registry import LOCAL_TZ, Period
from jingmin.visits.models import Visit
from jingmin.visits.tests.conftest import _address, make_household

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
FEBRUARY = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
T = dt.datetime(2026, 3, 10, 9, 0, tzinfo=LOCAL_TZ)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
_tokens = itertools.count(1)


@dataclass
class Station:
    p: Personas
    appeals: dict[str, Appeal]
    households: list[Household]


def _appeal(p: Personas, name: str, *, district: Any, received: dt.datetime, **fields: Any) -> Appeal:
    # Each citizen their own phone unless the table says otherwise.
    overrides = {"citizen_phone": f"1380000{next(_tokens):04d}"}
    overrides.update({k: fields.pop(k) for k in ("category", "address", "citizen_phone") if k in fields})
    appeal, _ = services.appeal_register(actor=p.clara, data=appeal_input(title=f"诉求{name}", **overrides))
    values: dict[str, Any] = {
        "received_at": received,
        "unit": district,
        "unit_path": district.path,
        "sign_by": None,
        "contact_by": None,
        "conclude_by": None,
        "due_at": None,
        **dict.fromkeys(ALERT_FIELDS),
        "is_open": False,
        "state": State.CONCLUDED,
    }
    values.update(fields)
    Appeal.objects.filter(pk=appeal.pk).update(**values)
    return Appeal.objects.get(pk=appeal.pk)


def _clocks(*, sign: str = "", contact: str = "", conclude: str = "", at: dt.datetime = T) -> dict[str, Any]:
    """Deadlines a day after `at`; a step done an hour after `at` (on time) or two days after (late)."""
    out: dict[str, Any] = {}
    for name, how, deadline, done in (
        ("sign", sign, "sign_by", "signed_at"),
        ("contact", contact, "contact_by", "contacted_at"),
        ("conclude", conclude, "conclude_by", "concluded_at"),
    ):
        if not how:
            continue
        out[deadline] = at + (D if name != "conclude" else 5 * D)
        if how == "on time":
            out[done] = at + H
        elif how == "late":
            out[done] = at + (2 * D if name != "conclude" else 6 * D)
    return out


def _follow_up(
    appeal: Appeal, *, answered: dt.datetime, resolved: bool, score: int, review: str = ""
) -> FollowUp:
    """An answered follow-up, written straight to its table and added to the roll-ups as the
    services add one (its appeal's facts before and after)."""
    before = tallies.appeal_facts(appeal.pk)
    row = FollowUp.objects.create(
        appeal=appeal,
        due_at=answered,
        token_hash=f"metrics-test-{next(_tokens)}",
        token_expires_at=answered + 7 * D,
        answered_at=answered,
        channel="phone",
        resolved=resolved,
        satisfaction=score,
        review=review,
    )
    rollup.apply(before, tallies.appeal_facts(appeal.pk))
    return row


def build_station(p: Personas) -> Station:
    noise = Category.objects.get(code="order-noise")
    other = Category.objects.exclude(pk=noise.pk).filter(children__isnull=True).first()
    a1d, a2d = p.district_a1, p.district_a2
    oliver = {"handler": p.oliver}
    phone_x = "13911112222"
    ap: dict[str, Appeal] = {}
    ap["a10"] = _appeal(
        p,
        "a10",
        district=a1d,
        received=T - 18 * D,
        citizen_phone=phone_x,
        category=noise,
        **oliver,
        **_clocks(sign="on time", contact="on time", conclude="on time", at=T - 18 * D),
    )
    ap["a1"] = _appeal(
        p,
        "a1",
        district=a1d,
        received=T,
        address="东门路9号",
        **oliver,
        **_clocks(sign="on time", contact="on time", conclude="on time"),
    )
    ap["a2"] = _appeal(
        p,
        "a2",
        district=a1d,
        received=T,
        address="东门路1号",
        handoffs=2,
        **oliver,
        **_clocks(sign="late", contact="on time", conclude="late"),
    )
    ap["a3"] = _appeal(
        p,
        "a3",
        district=a1d,
        received=T,
        citizen_phone=phone_x,
        category=noise,
        address="东门路3号",
        handoffs=1,
        **oliver,
        **_clocks(sign="on time", contact="late", conclude="on time"),
    )
    ap["a4"] = _appeal(
        p,
        "a4",
        district=a1d,
        received=T,
        citizen_phone=phone_x,
        category=other,
        address="东门路4号",
        state=State.HANDLING,
        is_open=True,
        **oliver,
        **_clocks(sign="on time", conclude="open"),
    )
    ap["a5"] = _appeal(p, "a5", district=a1d, received=T, address="东门路5号", state=State.REJECTED, **oliver)
    ap["a6"] = _appeal(
        p,
        "a6",
        district=a1d,
        received=T + D,
        address="东门路9号",
        state=State.MERGED,
        merged_into=ap["a1"],
        **oliver,
        **_clocks(sign="on time", contact="on time", at=T + D),
    )
    ap["a7"] = _appeal(
        p,
        "a7",
        district=a1d,
        received=T + 5 * D,
        address="东门路1号",
        **oliver,
        **_clocks(sign="on time", contact="on time", conclude="on time", at=T + 5 * D),
    )
    last_day = dt.datetime(2026, 3, 31, 20, 0, tzinfo=LOCAL_TZ)
    ap["a8"] = _appeal(
        p,
        "a8",
        district=a1d,
        received=last_day,
        address="东门路8号",
        state=State.SIGNED,
        is_open=True,
        **oliver,
        **_clocks(sign="running", contact="running", conclude="running", at=last_day),
    )
    ap["a9"] = _appeal(
        p,
        "a9",
        district=a2d,
        received=T,
        address="西门路2号",
        handoffs=1,
        **_clocks(sign="on time", contact="on time", conclude="on time"),
    )
    ap["b1"] = _appeal(
        p,
        "b1",
        district=p.district_b1,
        received=T,
        address="河滨路1号",
        handoffs=5,
        handler=p.olga,
        **_clocks(sign="late", contact="late", conclude="late"),
    )
    ap["a4"].conclude_by = T + 5 * D
    Appeal.objects.filter(pk=ap["a4"].pk).update(conclude_by=T + 5 * D, due_at=T + 5 * D)

    answered = T + 10 * D
    _follow_up(ap["a1"], answered=answered, resolved=True, score=5)
    _follow_up(ap["a2"], answered=answered, resolved=False, score=2)
    _follow_up(ap["a3"], answered=answered, resolved=True, score=3)
    _follow_up(ap["a7"], answered=answered, resolved=True, score=4)
    _follow_up(ap["a9"], answered=answered, resolved=False, score=1, review="unreasonable")
    _follow_up(ap["a10"], answered=T - 7 * D, resolved=True, score=3)
    _follow_up(ap["b1"], answered=answered, resolved=False, score=1)

    road_a1 = _address(a1d, None, AddressKind.ROAD, "东门路")
    road_a2 = _address(a2d, None, AddressKind.ROAD, "西门路")
    road_b1 = _address(p.district_b1, None, AddressKind.ROAD, "河滨路")
    hh = [make_household(a1d, road_a1, n, head_name=f"王{n}") for n in range(1, 5)]
    make_household(a1d, road_a1, 99, head_name="赵走", active=False)
    hh.append(make_household(a2d, road_a2, 1, head_name="李一"))
    hb = make_household(p.district_b1, road_b1, 1, head_name="张一")
    # Forty residents in station A: the five heads and 35 more in h1.
    Person.objects.bulk_create(
        Person(
            name=f"住户{n}",
            household=hh[0],
            relation="other",
            house=hh[0].house,
            district=a1d,
            district_path=a1d.path,
        )
        for n in range(35)
    )

    def visit(household: Household, officer: Any, when: dt.datetime, **extra: Any) -> Visit:
        return Visit.objects.create(
            kind=extra.pop("kind", "household"),
            household=household,
            officer=officer,
            unit=officer.unit,
            district=household.district,
            district_path=household.district_path,
            visited_at=when,
            summary=f"走访{household.number}",
            **extra,
        )

    visit(hh[0], p.oliver, T)
    visit(hh[0], p.oliver, T + 3 * D)
    visit(hh[1], p.oliver, T + 4 * D)
    visit(hh[4], p.chen, T + 2 * D)
    visit(hh[2], p.oliver, T + D, withdrawn=True)
    visit(hh[3], p.oliver, T + D, kind="persuasion")
    visit(hh[2], p.oliver, T - 20 * D)
    visit(hb, p.olga, T)
    return Station(p=p, appeals=ap, households=hh)


@pytest.fixture(autouse=True)
def _home_figures_not_cached(settings):
    """The home page's figures are cached per unit, and units' ids repeat from one test to the
    next: each test computes its own."""
    settings.METRICS_HOME_CACHE_SECONDS = 0


@pytest.fixture(params=["records", "roll-ups"])
def station(persona: Personas, request: pytest.FixtureRequest) -> Station:
    """The station, its figures counted from the records and (the second run of each test) from
    the roll-ups, built from the tables the station was written to."""
    built = build_station(persona)
    if request.param == "roll-ups":
        rollup.rebuild()
    return built


def pct(text: str) -> Decimal:
    return Decimal(text)


def signed_in_desktop_page(browser: Any, base: str, username: str) -> Any:
    """A desktop page of Chromium in Chinese, signed in as `username` (the browser tests)."""
    from conftest import PASSWORD
    from jingmin.core.browser import DESKTOP

    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{base}/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.mainnav", state="attached")
    return page
