import pytest

from jingmin.worktime.calendar import calendar_cache_clear


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Each test's rows are rolled back, but the per-process copy of the calendar is not: without
    # this a year one test published would still count as published in the next.
    calendar_cache_clear()
    yield
    calendar_cache_clear()
