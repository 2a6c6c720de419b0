"""The services are the active categories of the second level; their questions are the service
definitions, in both formats and as the published schemas describe them."""

from __future__ import annotations

import json

from jingmin.appeals import services_settings
from jingmin.appeals.models import Category
from jingmin.open311.models import Datatype, ServiceAttribute
from jingmin.open311.tests.conftest import as_xml, call, errors_of, valid_json


def test_the_service_list_in_json(db, public):
    response = call(public, "GET", "services", "json")
    assert response.status_code == 200
    services = valid_json(response, "services.json")
    assert isinstance(services, list)
    codes = [s["service_code"] for s in services]
    leaves = Category.objects.filter(is_active=True, parent__isnull=False)
    assert set(codes) == set(leaves.values_list("code", flat=True))
    noise = next(s for s in services if s["service_code"] == "order-noise")
    assert noise == {
        "service_code": "order-noise",
        "service_name": "噪音扰民",
        "description": "Noise",
        "metadata": True,
        "type": "realtime",
        "keywords": "Noise, Public order",
        "group": "治安管理",
    }
    # A service without questions needs no call for its definition.
    assert next(s for s in services if s["service_code"] == "order-fight")["metadata"] is False


def test_the_service_list_in_xml(db, public):
    root = as_xml(call(public, "GET", "services", "xml"))
    assert root.tag == "services"
    noise = next(s for s in root.findall("service") if s.findtext("service_code") == "order-noise")
    assert [child.tag for child in noise] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert noise.findtext("service_name") == "噪音扰民"
    assert noise.findtext("metadata") == "true"
    assert noise.findtext("type") == "realtime"
    assert noise.findtext("group") == "治安管理"


def test_an_inactive_category_is_not_a_service(persona, public):
    category = Category.objects.get(code="order-fight")
    services_settings.category_update(
        actor=persona.sam, category=category, name=category.name, is_active=False
    )
    codes = [s["service_code"] for s in json.loads(call(public, "GET", "services").content)]
    assert "order-fight" not in codes
    assert call(public, "GET", "services/order-fight").status_code == 404


def test_a_service_definition_in_json(db, public, every_kind):
    response = call(public, "GET", f"services/{every_kind.code}", "json")
    assert response.status_code == 200
    definition = valid_json(response, "service-definition.json")
    # An object, as the specification shows it (the schema alone would also pass a list).
    assert isinstance(definition, dict)
    assert definition["service_code"] == every_kind.code
    attributes = definition["attributes"]
    assert [a["order"] for a in attributes] == sorted(a["order"] for a in attributes)
    assert {a["datatype"] for a in attributes} == set(Datatype.values)
    where = next(a for a in attributes if a["code"] == "where")
    assert where == {
        "variable": True,
        "code": "where",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 5,
        "description": "在哪里？",
        "values": [{"key": "street", "name": "街道"}, {"key": "yard", "name": "院内"}],
    }
    note = next(a for a in attributes if a["code"] == "note")
    assert note["variable"] is False and note["required"] is False


def test_a_service_definition_in_xml(db, public, every_kind):
    root = as_xml(call(public, "GET", f"services/{every_kind.code}", "xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == every_kind.code
    attributes = root.findall("attributes/attribute")
    assert len(attributes) == 7
    kinds = next(a for a in attributes if a.findtext("code") == "kinds")
    assert [child.tag for child in kinds] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert kinds.findtext("datatype") == "multivaluelist"
    assert kinds.findtext("required") == "false"
    assert [(v.findtext("key"), v.findtext("name")) for v in kinds.findall("values/value")] == [
        ("a", "甲"),
        ("b", "乙"),
        ("c", "丙"),
    ]


def test_a_service_without_questions_has_an_empty_definition(db, public):
    definition = valid_json(call(public, "GET", "services/order-fight", "json"), "service-definition.json")
    assert definition == {"service_code": "order-fight", "attributes": []}


def test_an_unknown_service_is_404_in_both_formats(db, public):
    for fmt in ("json", "xml"):
        response = call(public, "GET", "services/no-such-thing", fmt)
        assert response.status_code == 404
        [description] = errors_of(response, fmt)
        assert "no-such-thing" in description


def test_the_seeded_definitions_use_every_datatype(db):
    assert set(ServiceAttribute.objects.values_list("datatype", flat=True)) >= set(Datatype.values)
    assert ServiceAttribute.objects.filter(
        category__code="order-noise", code="noise_source", required=True
    ).exists()


def test_text_is_escaped_in_xml(persona, public, every_kind):
    ServiceAttribute.objects.filter(category=every_kind, code="plate").update(
        description='<b>车牌</b> & "号码"\x07'
    )
    root = as_xml(call(public, "GET", f"services/{every_kind.code}", "xml"))
    plate = next(a for a in root.findall("attributes/attribute") if a.findtext("code") == "plate")
    # Parsed back to the same text; the control character XML cannot carry is dropped.
    assert plate.findtext("description") == '<b>车牌</b> & "号码"'
