"""Who may call which endpoint, as one matrix: every endpoint against every persona.

Clara (clerk, station A), Oliver (officer, district A1), Olga (officer, district B1 of station B),
Chen (chief, station A), Li (leader) and Ines (inspector) at the bureau, and the administrators
Sam (system) and Audrey (audit), who have no appeal capabilities at all. The appeals are station
A's. An allowed call reaches its state; a refused one (403 for a role that may never do it, 404
for an appeal outside the person's scope) leaves the appeal, its history and the count of appeals
exactly as they were.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingmin.api.tests.conftest import api_as
from jingmin.appeals.models import Appeal, AppealEvent, State

PERSONAS = ["clara", "oliver", "olga", "chen", "li", "ines", "sam", "audrey"]
BUSINESS = {"clara", "oliver", "olga", "chen", "li", "ines"}


def codes(ok, status, **others):
    """Expected status per persona: `ok` for those listed in it, else what `others` say, else 403."""
    return {name: (status if name in ok else others.get(name, 403)) for name in PERSONAS}


# endpoint: (method, state the appeal is prepared in (None: no appeal), body, state after success, codes)
# A body may name units and appeals symbolically; `resolve` fills them in.
MATRIX = {
    "categories": ("get", None, None, None, codes(BUSINESS, 200)),
    "units": ("get", None, None, None, codes(BUSINESS | {"sam"}, 200)),
    "appeals": ("get", None, None, None, codes(BUSINESS, 200)),
    "appeals.create": ("post", None, "new", None, codes({"clara", "chen"}, 201)),
    "appeal": ("get", State.DISPATCHED, None, None, codes(BUSINESS - {"olga"}, 200, olga=404)),
    "appeal_events": ("get", State.DISPATCHED, None, None, codes(BUSINESS - {"olga"}, 200, olga=404)),
    "accept": ("post", State.SUBMITTED, {}, State.ACCEPTED, codes({"clara", "chen"}, 200)),
    "reject": (
        "post",
        State.SUBMITTED,
        {"reason": "非警务事项"},
        State.REJECTED,
        codes({"clara", "chen"}, 200),
    ),
    "dispatch": ("post", State.ACCEPTED, {"unit": "a1"}, State.DISPATCHED, codes({"clara", "chen"}, 200)),
    "sign": ("post", State.DISPATCHED, {}, State.SIGNED, codes({"oliver", "chen"}, 200, olga=404)),
    "contact": (
        "post",
        State.SIGNED,
        {"note": "已电话联系"},
        State.HANDLING,
        codes({"oliver", "chen"}, 200, olga=404),
    ),
    "transfer": (
        "post",
        State.SIGNED,
        {"unit": "a2", "reason": "属地不符"},
        State.DISPATCHED,
        codes({"clara", "oliver", "chen", "li", "ines"}, 200, olga=404),
    ),
    "return": (
        "post",
        State.SIGNED,
        {"reason": "职能交叉"},
        State.ACCEPTED,
        codes({"oliver", "chen"}, 200, olga=404),
    ),
    "conclude": (
        "post",
        State.HANDLING,
        {"result": "solved", "note": "已调解"},
        State.CONCLUDED,
        codes({"oliver", "chen"}, 200, olga=404),
    ),
    "follow-up": (
        "post",
        State.CONCLUDED,
        {"resolved": True, "satisfaction": 4},
        State.FOLLOWED_UP,
        codes({"clara", "oliver", "chen"}, 200, olga=404),
    ),
    "review": (
        "post",
        "dissatisfied",
        {"reasonable": True, "note": "合理"},
        State.HANDLING,
        codes({"li", "ines"}, 200),
    ),
    "reopen": (
        "post",
        "reviewed",
        {"reason": "再次反映"},
        State.HANDLING,
        codes({"chen", "li", "ines"}, 200),
    ),
    "supervise": (
        "post",
        State.DISPATCHED,
        {"note": "限期办结"},
        State.DISPATCHED,
        codes({"chen", "li", "ines"}, 200),
    ),
    "merge": (
        "post",
        State.SUBMITTED,
        {"into": "other"},
        State.MERGED,
        codes({"clara", "chen", "li", "ines"}, 200),
    ),
    "archive": ("post", State.FOLLOWED_UP, {}, State.ARCHIVED, codes({"clara", "chen", "li", "ines"}, 200)),
}


def route_name(endpoint):
    if endpoint == "appeals.create":
        return "appeals"
    if endpoint in ("categories", "units", "appeals", "appeal", "appeal_events"):
        return endpoint
    return f"appeal_{endpoint.replace('-', '_')}"


def url_for(endpoint, appeal):
    return reverse(f"api:{route_name(endpoint)}", args=[appeal.pk] if appeal is not None else [])


def resolve(body, p, register):
    if body == "new":
        return {
            "channel": "window",
            "type": "complaint",
            "category": "traffic-parking",
            "title": "小区门口长期违停",
            "content": "东门小区门口每天早上有车辆违停，堵住消防通道。",
        }
    symbols = {"a1": p.district_a1.pk, "a2": p.district_a2.pk}
    out = {}
    for key, value in (body or {}).items():
        if value == "other":
            value = register(title="同一问题的另一件").pk
        out[key] = symbols.get(value, value) if isinstance(value, str) else value
    return out


def prepare(state, register, walk, dissatisfied):
    if state is None:
        return None
    if state == "dissatisfied":
        return dissatisfied()
    if state == "reviewed":
        return dissatisfied(reviewed=True)
    return walk(register(), state)


CASES = [(endpoint, name) for endpoint in MATRIX for name in PERSONAS]


@pytest.mark.parametrize(("endpoint", "name"), CASES, ids=[f"{e}-{n}" for e, n in CASES])
def test_scope(persona, register, walk, dissatisfied, endpoint, name):
    method, state, body, after, expected = MATRIX[endpoint]
    user = getattr(persona, name)
    appeal = prepare(state, register, walk, dissatisfied)
    payload = resolve(body, persona, register)
    before_state = appeal.state if appeal else None
    before_events = AppealEvent.objects.filter(appeal=appeal).count() if appeal else 0
    before_count = Appeal.objects.count()

    client = api_as(user)
    url = url_for(endpoint, appeal)
    response = client.get(url) if method == "get" else client.post(url, payload, format="json")

    assert response.status_code == expected[name], (endpoint, name, response.json())
    if response.status_code < 300:
        if appeal is not None and method == "post":
            appeal.refresh_from_db()
            assert appeal.state == after
            assert AppealEvent.objects.filter(appeal=appeal).count() > before_events
        if endpoint == "appeals.create":
            assert Appeal.objects.count() == before_count + 1
        return
    assert response.json()["code"] in ("permission_denied", "not_found")
    assert Appeal.objects.count() == before_count
    if appeal is not None:
        appeal.refresh_from_db()
        assert appeal.state == before_state
        assert AppealEvent.objects.filter(appeal=appeal).count() == before_events


def test_the_matrix_covers_every_route():
    from jingmin.api.urls import urlpatterns

    # The schema, its page and the token endpoint are the only routes outside the matrix.
    assert {p.name for p in urlpatterns} - {"schema", "docs", "token"} == {route_name(e) for e in MATRIX}


@pytest.mark.parametrize(
    ("name", "sees"),
    [("clara", True), ("oliver", True), ("olga", False), ("chen", True), ("li", True), ("ines", True)],
)
def test_the_list_holds_only_the_persons_scope(persona, register, walk, name, sees):
    appeal = walk(register(), State.DISPATCHED)
    ids = [a["id"] for a in api_as(getattr(persona, name)).get("/api/v1/appeals/").json()["results"]]
    assert (appeal.pk in ids) is sees


def test_an_assisting_district_sees_the_appeal(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    api_as(persona.clara).post(
        f"/api/v1/appeals/{appeal.pk}/dispatch/",
        {"unit": persona.district_a1.pk, "assist_units": [persona.district_b1.pk]},
        format="json",
    )
    client = api_as(persona.olga)
    detail = client.get(f"/api/v1/appeals/{appeal.pk}/")
    assert detail.status_code == 200
    # The steps of the holding unit are not offered to an assisting one.
    assert detail.json()["allowed_actions"] == []
    # Seeing is not holding: only the lead unit signs for it.
    response = client.post(f"/api/v1/appeals/{appeal.pk}/sign/", {}, format="json")
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED


def test_an_officer_cannot_sign_for_the_neighbouring_district(persona, register, walk):
    appeal = walk(register(), State.ACCEPTED)
    api_as(persona.clara).post(
        f"/api/v1/appeals/{appeal.pk}/dispatch/", {"unit": persona.district_a2.pk}, format="json"
    )
    response = api_as(persona.oliver).post(f"/api/v1/appeals/{appeal.pk}/sign/", {}, format="json")
    assert response.status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == State.DISPATCHED and appeal.handler is None


@pytest.mark.parametrize(
    ("name", "codes_seen"),
    [
        ("clara", {"TA10", "TA11", "TA12"}),
        ("oliver", {"TA11"}),
        ("olga", {"TB11"}),
        ("li", {"T000", "TA00", "TB00", "TA10", "TB10", "TA11", "TA12", "TB11"}),
    ],
)
def test_units_are_those_of_the_persons_subtree(persona, name, codes_seen):
    units = api_as(getattr(persona, name)).get("/api/v1/units/").json()
    assert {u["code"] for u in units} == codes_seen
