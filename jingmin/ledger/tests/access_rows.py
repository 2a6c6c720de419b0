"""The permission matrix's rows for the ledger (see `jingmin/core/tests/access.py`).

Everyone of the business sees the ledger of their scope; Oliver and Chen (district A1 and its
station) edit it; Chen and the inspector reveal identifiers; the chief imports. The world is a
door in district A1 with a house, a household, its head, a second member who has left, an
organisation, a second door with nothing on it yet, and a checked import of station A.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from jingmin.core.tests.access import BUSINESS, STATION_A, action, form, page
from jingmin.ledger import imports, services
from jingmin.ledger.models import AddressKind, ImportMode
from jingmin.ledger.tests.conftest import ledger_in_a1, make_id, person_row, write_workbook

EDIT = frozenset({"oliver", "chen"})
REVEAL = frozenset({"chen", "ines"})
IMPORT = frozenset({"chen"})


def build(w):
    p = w.p
    made = ledger_in_a1(p)
    left = services.person_create(
        actor=p.oliver,
        data=services.PersonInput(name="张小三", id_number=make_id(seq=125), relation="child"),
        household_id=made["household"].pk,
    )
    services.person_deactivate(actor=p.oliver, person_id=left.pk, reason="moved_out")
    organisation = services.organisation_create(
        actor=p.oliver,
        address_id=made["address"].pk,
        data=services.OrganisationInput(name="东门便利店", kind="shop", contact_phone="13800005678"),
    )
    empty_door = services.address_ensure(
        actor=None,
        parts=[
            (AddressKind.DIVISION, "城关镇"),
            (AddressKind.DIVISION, "东门社区"),
            (AddressKind.ROAD, "东门路"),
            (AddressKind.NUMBER, "9号"),
        ],
        district=p.district_a1,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "ledger.xlsx", {"人口": [person_row()]})
        upload = SimpleUploadedFile("台账.xlsx", path.read_bytes())
    run = imports.import_upload(actor=p.chen, upload=upload, mode=ImportMode.VALID_ROWS)
    # The check the worker would run: the preview and its report are ready.
    imports.import_check(run_id=run.pk)
    run.refresh_from_db()
    return SimpleNamespace(**made, left=left, organisation=organisation, empty_door=empty_door, run=run)


def _pk(name: str):
    return lambda w: {"pk": getattr(w.ledger, name).pk}


def _person_body(w):
    return {
        "name": "张三",
        "sex": "male",
        "residence": "registered",
        "relation": "head",
        "household": str(w.ledger.household.pk),
    }


ROWS = [
    page("ledger:index", BUSINESS),
    form(
        "ledger:person_new",
        EDIT,
        query=lambda w: {"household": w.ledger.household.pk},
        body=lambda w: {
            "submission_key": "matrix-person-0001",
            "name": "张小妹",
            "sex": "female",
            "residence": "registered",
            "relation": "child",
            "household": str(w.ledger.household.pk),
        },
        lands="ledger:person",
    ),
    # Reading a person's record is an audited read.
    page("ledger:person", STATION_A, args=_pk("person")),
    form("ledger:person_edit", EDIT, args=_pk("person"), body=_person_body, lands="ledger:person"),
    action(
        "ledger:person_leave",
        EDIT,
        args=_pk("person"),
        body=lambda w: {"reason": "moved_out", "note": "迁往外地"},
        lands="ledger:person",
    ),
    action("ledger:person_reactivate", EDIT, args=_pk("left"), lands="ledger:person"),
    page("ledger:export_persons", BUSINESS),
    # The full value, for the roles that may see it; each reveal is recorded.
    action(
        "ledger:reveal",
        REVEAL,
        args=lambda w: {"record_type": "person", "pk": w.ledger.person.pk, "field": "id_number"},
        ok=(200,),
    ),
    page("ledger:addresses", BUSINESS),
    form(
        "ledger:address_new",
        EDIT,
        query=lambda w: {"parent": w.ledger.address.pk},
        body=lambda w: {"submission_key": "matrix-address-0001", "kind": "building", "name": "3栋"},
        lands="ledger:address",
    ),
    page("ledger:address", STATION_A, args=_pk("address")),
    form(
        "ledger:address_edit",
        EDIT,
        args=_pk("address"),
        body=lambda w: {"name": "8号院", "is_active": "on"},
        lands="ledger:address",
    ),
    form(
        "ledger:house_new",
        EDIT,
        args=lambda w: {"address_pk": w.ledger.empty_door.pk},
        body=lambda w: {
            "submission_key": "matrix-house-0001",
            "use": "residential",
            "owner_name": "王五",
            "is_active": "on",
        },
        lands="ledger:house",
    ),
    form(
        "ledger:organisation_new",
        EDIT,
        args=lambda w: {"address_pk": w.ledger.address.pk},
        body=lambda w: {
            "submission_key": "matrix-org-0001",
            "name": "东门药店",
            "kind": "shop",
            "is_active": "on",
        },
        lands="ledger:organisation",
    ),
    page("ledger:house", STATION_A, args=_pk("house")),
    form(
        "ledger:house_edit",
        EDIT,
        args=_pk("house"),
        body=lambda w: {"use": "rented", "rented": "on", "owner_name": "张三", "is_active": "on"},
        lands="ledger:house",
    ),
    form(
        "ledger:household_new",
        EDIT,
        args=lambda w: {"house_pk": w.ledger.house.pk},
        body=lambda w: {"submission_key": "matrix-household-0001", "number": "2", "is_active": "on"},
        lands="ledger:household",
    ),
    page("ledger:household", STATION_A, args=_pk("household")),
    form(
        "ledger:household_edit",
        EDIT,
        args=_pk("household"),
        body=lambda w: {"number": "1A", "head": str(w.ledger.person.pk), "is_active": "on"},
        lands="ledger:household",
    ),
    page("ledger:organisations", BUSINESS),
    page("ledger:export_organisations", BUSINESS),
    page("ledger:organisation", STATION_A, args=_pk("organisation")),
    form(
        "ledger:organisation_edit",
        EDIT,
        args=_pk("organisation"),
        body=lambda w: {"name": "东门便利店（新）", "kind": "shop", "is_active": "on"},
        lands="ledger:organisation",
    ),
    form(
        "ledger:imports",
        IMPORT,
        body=lambda w: {
            "file": SimpleUploadedFile("台账.xlsx", w.ledger.run.file.open("rb").read()),
            "mode": "valid-rows",
        },
        lands="ledger:import",
    ),
    page("ledger:template", IMPORT),
    page("ledger:import", IMPORT, args=_pk("run")),
    action("ledger:import_confirm", IMPORT, args=_pk("run"), lands="ledger:import"),
    # Downloading the report is recorded.
    page("ledger:import_report", IMPORT, args=_pk("run")),
]
