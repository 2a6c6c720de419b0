"""The permission matrix's rows for help and persuasion cases (see `jingmin/core/tests/access.py`).

A case is read by the officers assigned to it and their chain of command: Oliver (assigned), Chen
(the chief of his station) and Li (the bureau's leader); not by the clerk, the inspector, another
station's officer or the administrators, and each refused reading leaves an audit row. Oliver and
Chen record acts, contacts and closings; the leader only reads. The world is a help case for the
ledger's household and a persuasion case in district A1, both assigned to Oliver, and a second
household with no case yet.
"""

from __future__ import annotations

from types import SimpleNamespace

from jingmin.cases import services
from jingmin.core.tests.access import Row, action, get, page, post
from jingmin.ledger import services as ledger_services
from jingmin.ledger.models import AddressKind
from jingmin.ledger.tests.conftest import make_id

NEEDS = ("ledger",)

RECORD = frozenset({"oliver", "chen"})
READ = frozenset({"oliver", "chen", "li"})
REFUSAL = "a refused reading of a restricted case is recorded"


def build(w):
    # A door of its own: the ledger's rows need theirs still empty.
    door = ledger_services.address_ensure(
        actor=None,
        parts=[
            (AddressKind.DIVISION, "城关镇"),
            (AddressKind.DIVISION, "东门社区"),
            (AddressKind.ROAD, "东门路"),
            (AddressKind.NUMBER, "11号"),
        ],
        district=w.p.district_a1,
    )
    house = ledger_services.house_create(
        actor=w.p.oliver,
        address_id=door.pk,
        data=ledger_services.HouseInput(owner_name="李四"),
    )
    second = ledger_services.household_create(
        actor=w.p.oliver, house_id=house.pk, data=ledger_services.HouseholdInput(number="1")
    )
    help_case, _ = services.help_case_open(
        actor=w.p.oliver,
        household_id=w.ledger.household.pk,
        hardship="老人独居，行动不便",
        plan="每周上门一次",
    )
    persuasion, _ = services.persuasion_case_open(
        actor=w.p.oliver,
        district_id=w.p.district_a1.pk,
        wanted_name="孙某",
        wanted_id_number=make_id(seq=457),
    )
    return SimpleNamespace(help=help_case, persuasion=persuasion, second_household=second)


def _help(w):
    return {"pk": w.cases.help.pk}


def _persuasion(w):
    return {"pk": w.cases.persuasion.pk}


ROWS = [
    page("cases:index", frozenset({"oliver", "olga", "chen", "li"})),
    Row(
        "cases:help_new",
        (
            get(RECORD, query=lambda w: {"household": w.cases.second_household.pk}),
            post(
                RECORD,
                query=lambda w: {"household": w.cases.second_household.pk},
                body=lambda w: {
                    "household": str(w.cases.second_household.pk),
                    "hardship": "因病致贫",
                    "plan": "协助申请低保",
                },
                lands="cases:help_detail",
            ),
        ),
    ),
    page("cases:help_detail", READ, args=_help, audits_refusal=REFUSAL),
    action(
        "cases:help_act",
        RECORD,
        args=_help,
        body=lambda w: {"act-what": "送去米面油", "act-outcome": "老人表示感谢"},
        lands="cases:help_detail",
    ),
    action(
        "cases:help_close",
        RECORD,
        args=_help,
        body=lambda w: {"close-reason": "recovered"},
        lands="cases:help_detail",
    ),
    Row(
        "cases:persuasion_new",
        (
            get(RECORD | {"olga"}),
            # Olga records cases, but district A1 is not hers: the form says so.
            post(
                RECORD | {"olga"},
                body=lambda w: {
                    "district": str(w.p.district_a1.pk),
                    "wanted_name": "周某",
                    "wanted_id_number": make_id(seq=459),
                },
                lands="cases:persuasion_detail",
                ok_for={"olga": (400,)},
                writes=RECORD,
            ),
        ),
    ),
    page("cases:persuasion_detail", READ, args=_persuasion, audits_refusal=REFUSAL),
    action(
        "cases:persuasion_contact",
        RECORD,
        args=_persuasion,
        body=lambda w: {"contact-relative": "孙母", "contact-relation": "母亲", "contact-what": "讲明政策"},
        lands="cases:persuasion_detail",
    ),
    action(
        "cases:persuasion_close",
        RECORD,
        args=_persuasion,
        body=lambda w: {"close-outcome": "surrendered"},
        lands="cases:persuasion_detail",
    ),
]
