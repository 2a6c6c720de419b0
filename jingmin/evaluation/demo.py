"""Demo open-door evaluation: a year of events at most stations (some stations have none yet, so
the compliance view has something to say), with attendance, ratings and opinions in every state;
a closed survey of the chief's station with its answers, and an open one of a police district.

Everything goes through the services, as the chiefs would do it; only the times are set back
afterwards, as the notices' demo does, so that the lists read like a year of work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from jingmin.appeals.models import Category
from jingmin.evaluation import services
from jingmin.evaluation.models import Answer, EventHistory, EventRating, Response, Survey
from jingmin.evaluation.services import EventInput, NamedAttendee, QuestionInput, SurveyInput
from jingmin.org.demo import DemoOrg
from jingmin.org.models import User
from jingmin.org.roles import Role

# Share of stations that have held an event this year.
STATIONS_WITH_EVENTS = 0.75

OPINIONS = [
    ("东门路口晚上路灯坏了很久，走夜路不安全，希望加强巡逻。", "lamp"),
    ("户籍窗口中午不办公，上班族办事不方便。", "window"),
    ("小区门口夜市噪音大，晚上十一点还很吵。", "appeal"),
    ("电动车充电桩太少，有人从楼上拉线充电，存在火灾隐患。", "open"),
    ("希望多到学校讲讲防诈骗知识。", "open"),
    ("社区民警来得勤，老人们都认识，点个赞。", "done"),
]
OUTCOMES = {
    "lamp": "已联系路灯管理所修复，东门路口夜间巡逻每晚增加一次。",
    "window": "户籍窗口自下月起中午安排一人值守。",
    "done": "感谢肯定，我们会继续坚持。",
}


@dataclass
class EvaluationCounts:
    events: int = 0
    opinions: int = 0
    surveys: int = 0
    sheets: int = 0


def _staff(station_pk: int) -> tuple[User | None, list[User]]:
    chief = User.objects.filter(unit_id=station_pk, role=Role.CHIEF, is_active=True).order_by("pk").first()
    people = list(
        User.objects.filter(unit__parent_id=station_pk, role=Role.OFFICER, is_active=True).order_by("pk")[:3]
    )
    return chief, people


def seed_evaluation(*, seed: int, org: DemoOrg) -> EvaluationCounts:
    rng = random.Random(seed * 17 + 5)
    now = timezone.now().replace(microsecond=0)
    counts = EvaluationCounts()
    category = Category.objects.filter(parent__isnull=False, is_active=True, code="order-noise").first() or (
        Category.objects.filter(parent__isnull=False, is_active=True).first()
    )
    chief_account = org.accounts.get("chief")
    stations = list(org.stations)
    # The chief's own station always has one, with every state of opinion; the last stations none.
    with_events = stations[: max(1, int(len(stations) * STATIONS_WITH_EVENTS))]
    for index, station in enumerate(with_events):
        chief = chief_account if chief_account is not None and chief_account.unit_id == station.pk else None
        if chief is None:
            chief, officers = _staff(station.pk)
        else:
            officers = _staff(station.pk)[1]
        if chief is None:
            continue
        days_ago = rng.randint(5, 200) if index else 12
        event = services.event_plan(
            actor=chief,
            data=EventInput(
                unit=station,
                kind=rng.choice(["open_door", "open_door", "forum", "talk"]),
                title=f"{station.name}开门评警座谈会",
                place=rng.choice(["社区服务中心会议室", "派出所二楼会议室", "村委会议室", "街道文化站"]),
                starts_at=now - timedelta(days=days_ago, hours=rng.randint(0, 5)),
                description="邀请辖区群众代表、人大代表和社区干部参加，听取对派出所工作的意见和建议。",
            ),
        )
        services.event_hold(
            actor=chief,
            event_id=event.pk,
            minutes=(
                "所长通报了本年度辖区治安情况和为民服务举措，与会群众逐一发言。"
                "会上发放评议表，现场收回。群众意见集中在夜间巡逻、窗口服务和防诈骗宣传三个方面。"
            ),
        )
        services.event_attendance_record(
            actor=chief,
            event_id=event.pk,
            counts={
                "resident": rng.randint(15, 40),
                "representative": rng.randint(1, 3),
                "community": rng.randint(2, 6),
                "business": rng.randint(0, 5),
            },
            named=[NamedAttendee(name="王建国", kind="representative", consent=True)] if index == 0 else [],
        )
        services.event_rate(
            actor=chief,
            event_id=event.pk,
            officer=None,
            levels={5: rng.randint(8, 20), 4: rng.randint(4, 10), 3: rng.randint(1, 4), 2: rng.randint(0, 2)},
        )
        for officer in officers[:2]:
            services.event_rate(
                actor=chief,
                event_id=event.pk,
                officer=officer,
                levels={5: rng.randint(3, 9), 4: rng.randint(1, 4)},
            )
        chosen = OPINIONS if index == 0 else rng.sample(OPINIONS, rng.randint(1, 3))
        for text, fate in chosen:
            phone = f"13{rng.randint(100000000, 999999999)}" if fate in ("lamp", "appeal") else ""
            opinion = services.opinion_add(actor=chief, event_id=event.pk, text=text, contact_phone=phone)
            counts.opinions += 1
            if fate == "appeal" and category is not None:
                services.opinion_to_appeal(
                    actor=chief, opinion_id=opinion.pk, type="complaint", category=category
                )
            elif fate in OUTCOMES:
                owner = officers[0] if officers else chief
                services.opinion_track(
                    actor=chief,
                    opinion_id=opinion.pk,
                    owner=owner,
                    due_on=timezone.localdate() + timedelta(days=7),
                )
                # The chief's station keeps one tracked opinion waiting for its outcome.
                if not (index == 0 and fate == "window"):
                    services.opinion_conclude(actor=chief, opinion_id=opinion.pk, outcome=OUTCOMES[fate])
        # Ratings were given on the day of the event.
        EventRating.objects.filter(event=event).update(rated_on=timezone.localdate(event.starts_at))
        EventHistory.objects.filter(event=event).update(at=event.starts_at + timedelta(hours=3))
        counts.events += 1
    # One upcoming event, announced on the portal.
    if chief_account is not None and chief_account.unit in stations:
        services.event_plan(
            actor=chief_account,
            data=EventInput(
                unit=chief_account.unit,
                kind="talk",
                title=f"{chief_account.unit.name}警民恳谈会",
                place="社区服务中心会议室",
                starts_at=now + timedelta(days=9),
                description="欢迎辖区群众参加，当面向民警提出意见和建议。",
            ),
        )
        counts.events += 1
        counts.surveys, counts.sheets = _surveys(rng, org, chief_account, now)
    return counts


def _questions() -> list[QuestionInput]:
    return [
        QuestionInput(kind="scale", text="您对派出所的工作总体满意吗？", required=True, satisfaction=True),
        QuestionInput(
            kind="single",
            text="您认识您所在社区的民警吗？",
            required=True,
            options=["认识", "见过但不认识", "不认识"],
        ),
        QuestionInput(
            kind="multiple",
            text="您最关心哪些治安问题？",
            options=["电信网络诈骗", "电动车被盗", "噪音扰民", "交通秩序", "邻里纠纷"],
        ),
        QuestionInput(kind="text", text="您对派出所还有什么意见和建议？"),
    ]


def _surveys(rng: random.Random, org: DemoOrg, chief: User, now) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    station = chief.unit
    closed = services.survey_create(
        actor=chief,
        data=SurveyInput(
            unit=station,
            title=f"{station.name}上半年群众满意度调查",
            intro="匿名填写，约需两分钟。您的意见是我们改进工作的依据。",
            closes_at=now + timedelta(days=1),
            questions=_questions(),
        ),
    )
    closed = services.survey_step(actor=chief, survey_id=closed.pk, step="publish")
    sheets = _answer(rng, closed, 48, "demo-closed")
    services.survey_step(actor=chief, survey_id=closed.pk, step="close")
    start = now - timedelta(days=150)
    Survey.objects.filter(pk=closed.pk).update(
        created_at=start - timedelta(days=2),
        published_at=start,
        closes_at=start + timedelta(days=30),
        closed_at=start + timedelta(days=30),
    )
    for n, pk in enumerate(Response.objects.filter(survey=closed).values_list("pk", flat=True)):
        Response.objects.filter(pk=pk).update(submitted_at=start + timedelta(hours=7 + n * 13))

    district = next((d for d in org.districts if d.parent_id == station.pk), station)
    open_one = services.survey_create(
        actor=chief,
        data=SurveyInput(
            unit=district,
            title=f"{district.name}社区民警服务评价",
            intro="扫码匿名填写，感谢您的支持。",
            closes_at=now + timedelta(days=45),
            questions=[*_questions()[:2], QuestionInput(kind="text", text="您希望社区民警多做些什么？")],
        ),
    )
    open_one = services.survey_step(actor=chief, survey_id=open_one.pk, step="publish")
    sheets += _answer(rng, open_one, 9, "demo-open")
    return 2, sheets


def _answer(rng: random.Random, survey: Survey, count: int, prefix: str) -> int:
    questions = list(survey.questions.prefetch_related("options"))
    suggestions = ["希望夜间多巡逻", "窗口服务态度好", "多开展防诈骗宣传", "", "", ""]
    for n in range(count):
        sheet: dict[int, object] = {}
        for q in questions:
            options = [o.pk for o in q.options.all()]
            if q.kind == "scale":
                sheet[q.pk] = rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 15, 7, 3])[0]
            elif q.kind == "single":
                sheet[q.pk] = rng.choice(options)
            elif q.kind == "multiple":
                sheet[q.pk] = rng.sample(options, rng.randint(1, 3))
            else:
                sheet[q.pk] = rng.choice(suggestions)
        services.survey_answer(survey=survey, answers=sheet, submission_key=f"{prefix}-{n}")
    return Answer.objects.filter(response__survey=survey).values("response").distinct().count()
