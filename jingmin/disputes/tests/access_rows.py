"""The permission matrix's rows for the dispute register (see `jingmin/core/tests/access.py`).

Everyone of the business reads the disputes of their scope; the officers and the chief register
them and take their steps; the monthly report is a station's, so it is read from a station or
above (an officer of a police district has none). The world is a yellow dispute Oliver found in
district A1, with one party and a file.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingmin.core.tests.access import BUSINESS, SIGNED_IN, STATION_A, Row, get, page, post
from jingmin.disputes import services
from jingmin.disputes.tests.conftest import dispute_input

NEEDS = ("ledger",)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HANDLE = frozenset({"oliver", "chen"})
REPORT = frozenset({"clara", "chen", "li", "ines"})


def build(w):
    dispute, _created = services.dispute_register(
        actor=w.p.oliver,
        data=dispute_input(w.p.district_a1.pk),
        files=[SimpleUploadedFile("协议.png", PNG, content_type="image/png")],
    )
    return SimpleNamespace(dispute=dispute, attachment=dispute.attachments.get())


def _dispute(w):
    return {"pk": w.disputes.dispute.pk}


def _new_body(w):
    return {
        "submission_key": "matrix-dispute-0001",
        "title": "宅基地边界纠纷",
        "description": "两户因院墙位置发生争执。",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "东门路8号",
        "district": str(w.p.district_a1.pk),
        "type": "land",
        "grade": "blue",
        "people_involved": "2",
        "source": "screening",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-0-role": "applicant",
        "parties-0-name": "李四",
    }


STEP_BODIES = {
    "mediate": {"mediate-with_whom": "王五、赵六", "mediate-what": "现场调解"},
    "visit": {"visit-what": "回访，情绪稳定"},
    "regrade": {"regrade-grade": "orange", "regrade-reason": "矛盾升级"},
    "resolve": {"resolve-outcome": "双方和解"},
    "hand_over": {"hand_over-to_kind": "court", "hand_over-to": "城关区人民法院"},
    "contain": {"contain-note": "双方情绪稳定"},
}


def _step(name):
    return lambda w: {"pk": w.disputes.dispute.pk, "step": name}


def _month(w):
    return {"station": w.p.station_a.pk, "month": timezone.localdate().strftime("%Y-%m")}


ROWS = [
    page("disputes:list", BUSINESS),
    Row(
        "disputes:new",
        (
            get(HANDLE | {"olga"}),
            # Olga may register disputes, but district A1 is not hers: the form says so.
            post(
                HANDLE | {"olga"},
                body=_new_body,
                lands="disputes:detail",
                ok_for={"olga": (400,)},
                writes=HANDLE,
            ),
        ),
    ),
    page("disputes:party_search", HANDLE | {"olga"}, query=lambda w: {"q": "张三"}),
    Row(
        "disputes:report",
        (
            get(REPORT, query=_month, outside=frozenset({"oliver", "olga"})),
            get(
                REPORT,
                label="xlsx",
                query=lambda w: {**_month(w), "format": "xlsx"},
                outside=frozenset({"oliver", "olga"}),
            ),
        ),
    ),
    page("disputes:detail", STATION_A, args=_dispute),
    Row(
        "disputes:attach",
        (
            get(SIGNED_IN, args=_dispute, ok=(405,)),
            post(
                HANDLE,
                args=_dispute,
                body=lambda w: {
                    "attach-attachments": SimpleUploadedFile("现场.png", PNG, content_type="image/png")
                },
                lands="disputes:detail",
            ),
        ),
    ),
    Row(
        "disputes:step",
        (
            get(
                SIGNED_IN,
                args=_step("mediate"),
                ok=(405,),
            ),
            *(
                post(HANDLE, label=name, args=_step(name), body=lambda w, b=body: b, lands="disputes:detail")
                for name, body in STEP_BODIES.items()
            ),
        ),
    ),
    page("disputes:attachment", STATION_A, args=lambda w: {"pk": w.disputes.attachment.pk}),
]
