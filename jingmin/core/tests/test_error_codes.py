"""Every error code is declared once, named by one scheme, and listed in docs/api.md as declared."""

import re
from pathlib import Path

from django.conf import settings

from jingmin.core.codes import CommonError, error_code_table, error_enums

API_DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


def test_each_code_is_declared_by_one_enum_only():
    declared: dict[str, list[str]] = {}
    for enum in error_enums():
        for member in enum:
            declared.setdefault(member.value, []).append(f"{enum.__module__}.{enum.__name__}")
    assert {code: where for code, where in declared.items() if len(where) > 1} == {}


def test_a_members_name_is_its_code_in_capitals():
    misnamed = [
        f"{enum.__module__}.{enum.__name__}.{member.name}"
        for enum in error_enums()
        for member in enum
        if member.name != member.value.upper()
    ]
    assert misnamed == []


def test_the_enums_are_found_through_every_app_that_declares_some():
    modules = {enum.__module__ for enum in error_enums()}
    assert CommonError in error_enums()
    assert {
        "jingmin.appeals.codes",
        "jingmin.ledger.codes",
        "jingmin.api.codes",
        "jingmin.org.codes",
    } <= modules


def test_the_api_documentation_lists_every_code_as_declared():
    text = API_DOC.read_text()
    found = re.search(r"<!-- error codes: begin -->\n(.*?)<!-- error codes: end -->", text, re.S)
    assert found, "docs/api.md has lost its table of error codes"
    assert found.group(1) == error_code_table(), (
        "docs/api.md lists other error codes than the enums declare; put this table between its "
        "markers:\n" + error_code_table()
    )
