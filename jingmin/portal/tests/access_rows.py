"""The permission matrix's rows for the citizens' portal (see `jingmin/core/tests/access.py`).

The public pages are everyone's, and a staff session changes nothing about what they show; the
tracking code is the credential for an appeal's page and its rating. The notices page of the
staff is for those who publish (the chief of station A, the leader). The world has a notice of
station A and uses the appeals rows' concluded appeal, whose follow-up waits for the citizen.
"""

from __future__ import annotations

from types import SimpleNamespace

from jingmin.appeals.models import Category
from jingmin.core.tests.access import EVERYONE, NOBODY, Row, action, form, get, page, post
from jingmin.portal import services

NEEDS = ("appeals", "evaluation")

PUBLISH = frozenset({"chen", "li"})


def build(w):
    notice = services.notice_publish(
        actor=w.p.chen, kind="safety", title="防范电信诈骗", body="陌生来电要求转账，一律是诈骗。"
    )
    return SimpleNamespace(notice=notice, code=w.appeals.concluded.tracking_code)


def _code(w):
    return {"code": w.portal.code}


def _notice_body(w):
    return {"kind": "announcement", "title": "户籍窗口调整", "body": "周六上午照常办理户籍业务。"}


ROWS = [
    page("portal:home", EVERYONE, public=True),
    Row(
        "portal:submit",
        (
            get(EVERYONE, public=True),
            post(
                EVERYONE,
                body=lambda w: {
                    "submission_key": "matrix-portal-0001",
                    "type": "complaint",
                    "category": str(Category.objects.get(code="order-noise").pk),
                    "content": "楼上每晚十二点后还在装修，敲打声很大，影响休息。",
                    "address": "东门小区3栋",
                    "anonymous": "on",
                    "consent": "on",
                },
                lands="portal:submitted",
            ),
        ),
    ),
    # Without a submission in this browser's session, the page sends to the tracking form.
    page("portal:submitted", EVERYONE, ok=(302,), lands="portal:track", public=True),
    Row(
        "portal:track",
        (
            get(EVERYONE, public=True),
            post(
                EVERYONE, body=lambda w: {"code": w.portal.code}, lands="portal:track_detail", writes=NOBODY
            ),
        ),
    ),
    page("portal:track_detail", EVERYONE, args=_code, public=True),
    action(
        "portal:rate",
        EVERYONE,
        public=True,
        args=_code,
        body=lambda w: {"resolved": "1", "satisfaction": "5"},
        lands="portal:track_detail",
    ),
    page("portal:notices", EVERYONE, public=True),
    page("portal:notice", EVERYONE, args=lambda w: {"pk": w.portal.notice.pk}, public=True),
    page("portal:stats", EVERYONE, public=True),
    page("portal:privacy", EVERYONE, public=True),
    # Large text is a cookie of the browser: nothing is stored.
    action(
        "portal:display",
        EVERYONE,
        public=True,
        body=lambda w: {"large": "1", "next": "/portal/"},
        lands="portal:home",
        writes=NOBODY,
    ),
    form("portal:notice_manage", PUBLISH, body=_notice_body, lands="portal:notice_manage"),
    form(
        "portal:notice_edit",
        PUBLISH,
        args=lambda w: {"pk": w.portal.notice.pk},
        body=_notice_body,
        lands="portal:notice_edit",
    ),
]


# ---------------------------------------------------------------------------------------------
# Open-door evaluation: the stations' events and the surveys, public and anonymous (the
# evaluation rows' world: a held event of station A, an open survey of district A1, a draft).


def _survey_code(w):
    return {"code": w.evaluation.survey.code}


ROWS += [
    page("portal:evaluation", EVERYONE, public=True),
    page("portal:event", EVERYONE, args=lambda w: {"pk": w.evaluation.event.pk}, public=True),
    Row(
        "portal:survey",
        (
            get(EVERYONE, args=_survey_code, public=True),
            post(
                EVERYONE,
                args=_survey_code,
                body=lambda w: {"submission_key": "matrix-portal-sheet-1", f"q{w.evaluation.scale.pk}": "5"},
                lands="portal:survey_done",
                unaudited="an anonymous survey sheet: nobody acts, and the sheet itself is the record",
            ),
        ),
    ),
    page("portal:survey_done", EVERYONE, args=_survey_code, public=True),
]
