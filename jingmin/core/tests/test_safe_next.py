"""After a form, a page goes where `next` says only if that is a page of this site."""

from __future__ import annotations

from django.test import RequestFactory

from jingmin.core.http import safe_next

factory = RequestFactory()


def test_next_from_the_form_or_the_query_when_it_is_a_page_of_this_site():
    assert safe_next(factory.post("/x/", {"next": "/appeals/7/"}), "/home/") == "/appeals/7/"
    assert safe_next(factory.post("/x/?next=/visits/tasks/"), "/home/") == "/visits/tasks/"
    assert safe_next(factory.get("/x/", {"next": "/ledger/"}), "/home/") == "/ledger/"


def test_anything_else_goes_to_the_default():
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", ""):
        assert safe_next(factory.post("/x/", {"next": target}), "/home/") == "/home/"
    assert safe_next(factory.post("/x/"), "/home/") == "/home/"


def test_a_given_candidate_is_the_only_one_read():
    request = factory.post("/x/?next=/ledger/", {"next": "/appeals/"})
    assert safe_next(request, "/home/", candidate="/visits/") == "/visits/"
    assert safe_next(request, "/home/", candidate="") == "/home/"
    assert safe_next(request, "/home/", candidate="https://evil.example/") == "/home/"
