"""Every URL pattern of the project × every actor: allowed ones answer, refused ones change nothing.

The rows are each app's `tests/access_rows.py`; the machinery and what a cell asserts are in
`access.py`. A URL pattern without a row fails here, naming it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from jingmin.core.tests.access import (
    ACTORS,
    ANONYMOUS,
    all_rows,
    built_world,
    check_cell,
    label_of,
    url_of,
    url_patterns,
)

ROWS = all_rows()
CELLS = [(row, case, actor) for row in ROWS.values() for case in row.cases for actor in ACTORS]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), built_world(tmp_path_factory.mktemp("access-media")) as w:
        yield w


def test_every_url_pattern_has_a_row():
    names = {p.name for p in url_patterns()}
    missing = sorted(names - set(ROWS))
    assert not missing, (
        "URL patterns without a row in the permission matrix (add one to the app's "
        f"tests/access_rows.py): {missing}"
    )
    stale = sorted(set(ROWS) - names)
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


def test_olga_is_let_into_no_object_of_station_a():
    """Every object of the world is station A's. Olga, an officer of the other branch, may reach
    none of them: a staff case that names one in its path and lets her in is a wrong row (public
    links, where the path is the credential, and 405s to a wrong method are not letting in)."""
    letting_in = [
        f"{row.name} {label_of(case)}"
        for row in ROWS.values()
        for case in row.cases
        if case.names_an_object
        and "olga" in case.allowed
        and ANONYMOUS not in case.allowed
        and case.ok != (405,)
    ]
    assert not letting_in, f"cases that let Olga into station A: {letting_in}"


@pytest.mark.django_db
def test_every_route_is_reached(world):
    """Each pattern is tried at its own route: a row whose arguments resolve elsewhere, or a
    pattern that shares its name with another (format suffixes), is caught here."""
    reached = {resolve(urlsplit(url_of(row, case, world)).path).route for row, case, _ in CELLS}
    missing = sorted(f"{p.name} {p.route}" for p in url_patterns() if p.route not in reached)
    assert not missing, f"URL patterns no case reaches: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "case", "actor"),
    CELLS,
    ids=[f"{row.name}-{label_of(case)}-{actor}" for row, case, actor in CELLS],
)
def test_access(world, row, case, actor):
    check_cell(world, row, case, actor)
