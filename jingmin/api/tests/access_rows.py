"""The permission matrix's rows for the staff API (see `jingmin/core/tests/access.py`).

Requests carry the persona's token and a JSON body, as programs send them; the appeals are the
appeals rows' world (station A, one in each state a step starts from), and each step is allowed
to whom the pages allow it (`STEPS`). Roles without appeal
capabilities are turned away before the method is looked at, so a GET of a step is 405 only for
those who may see appeals.
"""

from __future__ import annotations

from conftest import PASSWORD
from jingmin.appeals.tests.access_rows import OUTSIDE, STEPS, in_state, step_pk
from jingmin.core.tests.access import BUSINESS, EVERYONE, SIGNED_IN, STATION_A, Row, action, get, page, post

NEEDS = ("appeals", "disputes", "warnings")

INTAKE = frozenset({"clara", "chen"})
DISPUTE_STEPS = {
    "mediate": {"with_whom": "王五、赵六", "what": "现场调解"},
    "visit": {"what": "回访，情绪稳定"},
    "regrade": {"grade": "orange", "reason": "矛盾升级"},
    "resolve": {"outcome": "双方和解"},
    "hand_over": {"to_kind": "court", "to": "城关区人民法院"},
    "contain": {"note": "双方情绪稳定"},
}


def _step(name: str, body=None) -> Row:
    """A step of the life cycle, allowed to those the pages allow it to (`STEPS`)."""
    fields = body or {}
    return Row(
        f"api:appeal_{name.replace('-', '_')}",
        (
            get(BUSINESS, args=step_pk(name), ok=(405,), api=True),
            post(
                STEPS[name][1],
                args=step_pk(name),
                body=lambda w: {k: v(w) if callable(v) else v for k, v in fields.items()},
                ok=(200,),
                api=True,
                outside=OUTSIDE.get(name, frozenset()),
            ),
        ),
    )


ROWS = [
    # The schema and its page are for staff, like the API they describe; people open them in the
    # browser they are signed in with.
    page("api:schema", SIGNED_IN),
    page("api:docs", SIGNED_IN),
    # The credentials are in the body: any client may ask, and a signed-in one learns nothing more.
    action(
        "api:token",
        EVERYONE,
        public=True,
        body=lambda w: {"username": "clara", "password": PASSWORD},
        ok=(200,),
        api=True,
    ),
    page("api:categories", BUSINESS, api=True),
    page("api:units", BUSINESS | {"sam", "sue"}, api=True),
    Row(
        "api:appeals",
        (
            get(BUSINESS, api=True),
            post(
                INTAKE,
                body=lambda w: {
                    "channel": "window",
                    "type": "complaint",
                    "category": "traffic-parking",
                    "title": "小区门口长期违停",
                    "content": "东门小区门口每天早上有车辆违停，堵住消防通道。",
                },
                ok=(201,),
                api=True,
            ),
        ),
    ),
    # Partners and the hotline register many at once: whoever may register one may send a batch.
    Row(
        "api:appeals_batch",
        (
            get(BUSINESS, ok=(405,), api=True),
            post(
                INTAKE,
                body=lambda w: {
                    "appeals": [
                        {
                            "key": "matrix-batch-1",
                            "channel": "12345",
                            "type": "complaint",
                            "category": "traffic-parking",
                            "title": "小区门口长期违停",
                            "content": "东门小区门口每天早上有车辆违停，堵住消防通道。",
                        }
                    ]
                },
                ok=(200,),
                api=True,
            ),
        ),
    ),
    page("api:appeal", STATION_A, args=in_state("dispatched"), api=True),
    page("api:appeal_events", STATION_A, args=in_state("dispatched"), api=True),
    _step("accept"),
    _step("reject", {"reason": "非警务事项"}),
    _step("dispatch", {"unit": lambda w: w.p.district_a1.pk}),
    _step("sign"),
    _step("contact", {"note": "已电话联系"}),
    _step("transfer", {"unit": lambda w: w.p.district_a2.pk, "reason": "属地不符"}),
    _step("return", {"reason": "职能交叉"}),
    _step("conclude", {"result": "solved", "note": "已调解"}),
    _step("follow-up", {"resolved": True, "satisfaction": 4}),
    _step("review", {"reasonable": True, "note": "合理"}),
    _step("reopen", {"reason": "再次反映"}),
    _step("supervise", {"note": "限期办结"}),
    _step("merge", {"into": lambda w: w.appeals.accepted.pk}),
    _step("archive"),
    Row(
        "api:disputes",
        (
            get(BUSINESS, api=True),
            # Olga registers disputes, but district A1 is not hers: the answer names the field.
            post(
                frozenset({"oliver", "olga", "chen"}),
                ok_for={"olga": (400,)},
                writes=frozenset({"oliver", "chen"}),
                body=lambda w: {
                    "title": "宅基地边界纠纷",
                    "description": "两户因院墙位置发生争执。",
                    "place": "东门路8号",
                    "district": w.p.district_a1.pk,
                    "type": "land",
                    "grade": "blue",
                    "parties": [{"name": "李四"}],
                },
                ok=(201,),
                api=True,
            ),
        ),
    ),
    page("api:dispute", STATION_A, args=lambda w: {"pk": w.disputes.dispute.pk}, api=True),
    Row(
        "api:dispute_action",
        (
            get(
                BUSINESS,
                args=lambda w: {"pk": w.disputes.dispute.pk, "action": "resolve"},
                ok=(405,),
                api=True,
            ),
            *(
                post(
                    frozenset({"oliver", "chen"}),
                    label=name,
                    args=lambda w, n=name: {"pk": w.disputes.dispute.pk, "action": n},
                    body=lambda w, b=body: b,
                    ok=(200,),
                    api=True,
                )
                for name, body in DISPUTE_STEPS.items()
            ),
        ),
    ),
    page("api:signals", BUSINESS, query=lambda w: {"state": "open", "kind": "risk_words"}, api=True),
]
