"""The permission matrix's rows for open-door events and surveys (see `jingmin/core/tests/access.py`).

Everyone of the business reads the events, surveys and results of their scope; the chief of
station A plans and records events and builds surveys. The world is a held event of station A
with a file, an open opinion and one given to Oliver to answer (so he, an officer of district A1,
sees that event), and two surveys of district A1: an open one with a sheet, and a draft.
The public pages are in the portal's rows, the API's below.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingmin.appeals.models import Category
from jingmin.core.tests.access import BUSINESS, SIGNED_IN, STATION_A, Row, action, form, get, page, post
from jingmin.evaluation import services
from jingmin.evaluation.services import EventInput, QuestionInput, SurveyInput

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MANAGE = frozenset({"chen"})
# Olga, of station B, does not see station A's records: refused by scope (404) where only the chief
# of station A may act.
OLGA = frozenset({"olga"})
# Oliver owns the tracked opinion: he may report its outcome, like the chief.
OWNER_OR_CHIEF = frozenset({"chen", "oliver"})


def _survey(w, title: str):
    return services.survey_create(
        actor=w.p.chen,
        data=SurveyInput(
            unit=w.p.district_a1,
            title=title,
            closes_at=timezone.now() + timedelta(days=30),
            questions=[
                QuestionInput(
                    kind="scale", text="您对社区民警的工作满意吗？", required=True, satisfaction=True
                ),
                QuestionInput(kind="single", text="您见过社区民警吗？", options=["见过", "没见过"]),
            ],
        ),
    )


def build(w):
    event = services.event_plan(
        actor=w.p.chen,
        data=EventInput(
            unit=w.p.station_a,
            kind="open_door",
            title="城关派出所开门评警",
            place="东门社区服务中心",
            starts_at=timezone.now() - timedelta(hours=2),
        ),
    )
    services.event_hold(actor=w.p.chen, event_id=event.pk, minutes="到会群众30人。")
    [file] = services.event_file_add(
        actor=w.p.chen,
        event_id=event.pk,
        files=[SimpleUploadedFile("签到表.png", PNG, content_type="image/png")],
    )
    open_opinion = services.opinion_add(actor=w.p.chen, event_id=event.pk, text="东门路口路灯不亮。")
    tracked = services.opinion_add(
        actor=w.p.chen, event_id=event.pk, text="希望增加夜间巡逻。", contact_phone="13812345678"
    )
    services.opinion_track(
        actor=w.p.chen,
        opinion_id=tracked.pk,
        owner=w.p.oliver,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    survey = _survey(w, "东门社区满意度调查")
    survey = services.survey_step(actor=w.p.chen, survey_id=survey.pk, step="publish")
    scale = survey.questions.get(position=1)
    services.survey_answer(survey=survey, answers={scale.pk: 4}, submission_key="matrix-sheet-0001")
    draft = _survey(w, "西门社区问卷（草稿）")
    return SimpleNamespace(
        event=event,
        file=file,
        open_opinion=open_opinion,
        tracked=tracked,
        survey=survey,
        scale=scale,
        draft=draft,
        category=Category.objects.filter(parent__isnull=False, is_active=True).first(),
    )


def _event(w):
    return {"pk": w.evaluation.event.pk}


def _survey_pk(w):
    return {"pk": w.evaluation.survey.pk}


def _survey_body(w):
    return {
        "title": "东门社区安全感调查",
        "unit": str(w.p.district_a1.pk),
        "closes_at": (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "intro": "",
        "blocks": "1",
        "q0_position": "1",
        "q0_kind": "scale",
        "q0_text": "您对辖区治安满意吗？",
        "q0_options": "",
        "q0_satisfaction": "on",
    }


ROWS = [
    page("evaluation:events", BUSINESS),
    form(
        "evaluation:event_plan",
        MANAGE,
        body=lambda w: {
            "unit": str(w.p.station_a.pk),
            "kind": "forum",
            "title": "西门社区座谈会",
            "starts_at": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "place": "西门社区活动室",
            "description": "欢迎参加。",
        },
        lands="evaluation:event",
    ),
    page("evaluation:event", STATION_A, args=_event),
    action(
        "evaluation:event_hold",
        MANAGE,
        args=_event,
        body=lambda w: {"minutes": "补记纪要。"},
        lands="evaluation:event",
        outside=OLGA,
    ),
    action(
        "evaluation:event_attendance",
        MANAGE,
        args=_event,
        body=lambda w: {"count_resident": "32", "count_representative": "2"},
        lands="evaluation:event",
        outside=OLGA,
    ),
    action(
        "evaluation:event_files",
        MANAGE,
        args=_event,
        body=lambda w: {"files": SimpleUploadedFile("纪要.png", PNG, content_type="image/png")},
        lands="evaluation:event",
        outside=OLGA,
    ),
    action(
        "evaluation:event_ratings",
        MANAGE,
        args=_event,
        body=lambda w: {"officer": str(w.p.oliver.pk), "level_5": "3", "level_4": "1"},
        lands="evaluation:event",
        outside=OLGA,
    ),
    action(
        "evaluation:event_opinion",
        MANAGE,
        args=_event,
        body=lambda w: {"text": "窗口排队时间长。", "contact_phone": ""},
        lands="evaluation:event",
        outside=OLGA,
    ),
    # The open opinion is the station's: Oliver, of district A1, does not see it.
    action(
        "evaluation:opinion_appeal",
        MANAGE,
        args=lambda w: {"pk": w.evaluation.open_opinion.pk},
        body=lambda w: {
            f"a{w.evaluation.open_opinion.pk}-type": "help",
            f"a{w.evaluation.open_opinion.pk}-category": str(w.evaluation.category.pk),
        },
        lands="evaluation:event",
        outside=frozenset({"oliver", "olga"}),
    ),
    action(
        "evaluation:opinion_track",
        MANAGE,
        args=lambda w: {"pk": w.evaluation.open_opinion.pk},
        body=lambda w: {
            f"t{w.evaluation.open_opinion.pk}-owner": str(w.p.clara.pk),
            f"t{w.evaluation.open_opinion.pk}-due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
        lands="evaluation:event",
        outside=frozenset({"oliver", "olga"}),
    ),
    action(
        "evaluation:opinion_conclude",
        OWNER_OR_CHIEF,
        args=lambda w: {"pk": w.evaluation.tracked.pk},
        body=lambda w: {f"c{w.evaluation.tracked.pk}-outcome": "已增加夜间巡逻一次。"},
        lands="evaluation:event",
    ),
    page("evaluation:my_opinions", BUSINESS),
    # Each opening of a file is recorded.
    page("evaluation:event_file", STATION_A, args=lambda w: {"pk": w.evaluation.file.pk}),
    page("evaluation:compliance", BUSINESS),
    page("evaluation:surveys", BUSINESS),
    form("evaluation:survey_build", MANAGE, body=_survey_body, lands="evaluation:survey"),
    page("evaluation:survey", STATION_A, args=_survey_pk),
    Row(
        "evaluation:survey_step",
        (
            get(SIGNED_IN, args=_survey_pk, ok=(405,)),
            post(
                MANAGE,
                label="close",
                args=_survey_pk,
                body=lambda w: {"step": "close"},
                lands="evaluation:survey",
                outside=OLGA,
            ),
            post(
                MANAGE,
                label="publish",
                args=lambda w: {"pk": w.evaluation.draft.pk},
                body=lambda w: {"step": "publish"},
                lands="evaluation:survey",
                outside=OLGA,
            ),
        ),
    ),
    # The export of every answer is recorded.
    page("evaluation:survey_export", STATION_A, args=_survey_pk),
    page("evaluation:survey_qr", STATION_A, args=_survey_pk),
    page("evaluation:survey_poster", STATION_A, args=_survey_pk),
    # The staff API.
    page("api:surveys", BUSINESS, api=True),
    page("api:survey_results", STATION_A, args=_survey_pk, api=True),
]
