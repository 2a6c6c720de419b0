"""Answers are checked against the service definition, one rule per datatype: a POST with every
datatype is stored by code; a bad value of each kind is refused with its own message."""

from __future__ import annotations

import json

import pytest

from jingmin.appeals.models import Appeal
from jingmin.open311.tests.conftest import EVERY_KIND, errors_of, every_kind_answers, post_form


def every_kind_post(key: str, **answers) -> dict:
    return {
        "api_key": key,
        "service_code": EVERY_KIND,
        "address_string": "北街1号",
        "description": "测试",
        **every_kind_answers(**answers),
    }


def test_a_post_with_every_datatype(persona, public, hotline, every_kind):
    response = post_form(public, "json", every_kind_post(hotline.key))
    assert response.status_code == 200, response.content
    [answer] = json.loads(response.content)
    appeal = Appeal.objects.get(pk=int(answer["service_request_id"]))
    assert appeal.attributes == {
        "plate": "京A12345",
        "count": "2.5",
        "seen_at": "2026-11-28T21:30:00+08:00",
        "details": "第一行\n第二行",
        "where": "yard",
        "kinds": ["a", "c"],
    }


def test_the_optional_answers_may_be_left_out(persona, public, hotline, every_kind):
    response = post_form(
        public,
        "json",
        every_kind_post(
            hotline.key, **{"attribute[plate]": None, "attribute[details]": "", "attribute[kinds][]": None}
        ),
    )
    assert response.status_code == 200
    appeal = Appeal.objects.get()
    assert set(appeal.attributes) == {"count", "seen_at", "where"}


def test_a_datetime_without_offset_is_the_bureaus_time(persona, public, hotline, every_kind):
    post_form(public, "json", every_kind_post(hotline.key, **{"attribute[seen_at]": "2026-11-28T21:30"}))
    assert Appeal.objects.get().attributes["seen_at"] == "2026-11-28T21:30:00+08:00"


def test_a_multivaluelist_takes_one_value_without_brackets_too(persona, public, hotline, every_kind):
    data = every_kind_post(hotline.key, **{"attribute[kinds][]": None, "attribute[kinds]": "b"})
    assert post_form(public, "json", data).status_code == 200
    assert Appeal.objects.get().attributes["kinds"] == ["b"]


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"attribute[plate]": "京A\n12345"}, "without line breaks"),
        ({"attribute[plate]": "字" * 501}, "at most 500"),
        ({"attribute[count]": "three"}, "number"),
        ({"attribute[count]": "NaN"}, "number"),
        ({"attribute[seen_at]": "yesterday evening"}, "ISO 8601"),
        ({"attribute[seen_at]": "2026-13-40T25:00:00"}, "ISO 8601"),
        ({"attribute[details]": "字" * 4001}, "at most 4000"),
        ({"attribute[where]": "roof"}, "not one of the choices"),
        ({"attribute[where]": ["street", "yard"]}, "one value"),
        ({"attribute[kinds][]": ["a", "z"]}, "not one of the choices"),
        ({"attribute[count]": None}, "required"),
        ({"attribute[where]": "  "}, "required"),
        ({"attribute[colour]": "red"}, "not a question"),
        ({"attribute[note]": "hello"}, "not a question"),
    ],
)
def test_a_bad_answer_is_refused(persona, public, hotline, every_kind, answers, words):
    for fmt in ("json", "xml"):
        response = post_form(public, fmt, every_kind_post(hotline.key, **answers))
        assert response.status_code == 400
        descriptions = errors_of(response, fmt)
        assert len(descriptions) == 1
        assert "attribute[" in descriptions[0] and words in descriptions[0], descriptions
    assert not Appeal.objects.exists()


def test_a_required_answer_names_its_question(persona, public, hotline, every_kind):
    response = post_form(public, "json", every_kind_post(hotline.key, **{"attribute[where]": None}))
    [description] = errors_of(response, "json")
    assert "在哪里？" in description
